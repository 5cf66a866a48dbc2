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

/// Verify checks one batch of lines while it decodes the next: its verdict must not depend on
/// where batches end. The same logs, intact and damaged at every kind of place, verified with
/// batches of 1, 2, 7 lines and with the default, give the same report.
struct PipelinedVerificationTests {
    static func damaged(_ paths: LedgerPaths) throws -> [(String, [UInt8])] {
        let log = Array(try StorageFixture.bytes(paths.log))
        let starts = [0] + log.indices.filter { log[$0] == 0x0A }.map { $0 + 1 }.dropLast()
        var cases: [(String, [UInt8])] = [("intact", log), ("torn tail", log + Array("{\"seq\"".utf8))]
        for line in [1, 2, 7, 8, 30, starts.count - 1] {
            var flipped = log
            flipped[starts[line] + 12] ^= 0x01
            cases.append(("byte flipped in line \(line + 1)", flipped))
            let long = Array(repeating: UInt8(ascii: "x"), count: RecordCodec.lineBytesMax + 10) + [0x0A]
            cases.append(("oversize line before line \(line + 1)", Array(log[..<starts[line]]) + long + Array(log[starts[line]...])))
        }
        return cases
    }

    @Test func theVerdictDoesNotDependOnWhereBatchesEnd() throws {
        let paths = try StorageFixture.newLedger()
        defer { try? FileManager.default.removeItem(atPath: paths.directory) }
        let clock = ManualClock()
        let writer = try LedgerWriter(paths: paths)
        for number in 1...40 {
            clock.advance(seconds: 1)
            _ = try writer.append([StorageFixture.note(number)], clock: clock)
        }
        for (name, bytes) in try Self.damaged(paths) {
            try Data(bytes).write(to: URL(fileURLWithPath: paths.log))
            let expected = try LogVerification.run(path: paths.log)
            #expect((expected.failure == nil) == (name == "intact"), "\(name): \(String(describing: expected.failure))")
            for linesPerBatch in [1, 2, 7] {
                let report = try LogVerification.run(path: paths.log, linesPerBatch: linesPerBatch)
                #expect(report.failure?.kind == expected.failure?.kind && report.failure?.line == expected.failure?.line
                        && report.failure?.offset == expected.failure?.offset, "\(name), batches of \(linesPerBatch)")
                #expect(report.recordCount == expected.recordCount && report.logBytes == expected.logBytes
                        && report.headHash == expected.headHash && report.treeHead == expected.treeHead, "\(name), batches of \(linesPerBatch)")
            }
        }
    }
}
