import Foundation
import LedgerCore
import Testing
@testable import LedgerStorage

/// The scanner's batches stay bounded whatever the lines: a hostile log of millions of empty
/// lines must not make a verifier hold a decoded record for each of them at once.
struct LogScannerTests {
    @Test func aFillOfShortLinesIsCutIntoBatchesOfBoundedLength() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scanner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let count = 3 * LogScanner.linesPerBatchMax + 17
        // Lines of 0, 1 and 2 bytes, so that offsets are not a multiple of anything.
        var bytes: [UInt8] = []
        var expected: [UInt64] = []
        for index in 0..<count {
            expected.append(UInt64(bytes.count))
            bytes += Array(repeating: UInt8(ascii: "x"), count: index % 3) + [0x0A]
        }
        bytes += Array("torn".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        var offsets: [UInt64] = []
        var largest = 0
        let ending = try LogScanner.scanBatches(path: path) { batch in
            largest = max(largest, batch.lines.count)
            for (index, line) in batch.lines.enumerated() {
                #expect(line.count == offsets.count % 3)
                offsets.append(batch.offsets[index])
            }
            return nil
        }
        #expect(largest == LogScanner.linesPerBatchMax)
        #expect(offsets == expected)
        #expect(ending.tornBytes == 4)
        #expect(ending.completeBytes == UInt64(bytes.count - 4))
    }

    @Test func aVerifierStopsAtTheFirstBadLineOfAMillionEmptyOnes() throws {
        let paths = try StorageFixture.newLedger()
        defer { try? FileManager.default.removeItem(atPath: paths.directory) }
        try StorageFixture.appendRaw(Array(repeating: 0x0A, count: 1_000_000), to: paths.log)
        let report = try StorageFixture.verify(paths)
        #expect(report.failure?.kind == .malformed)
        #expect(report.failure?.line == 2)
        #expect(report.recordCount == 1)
    }
}
