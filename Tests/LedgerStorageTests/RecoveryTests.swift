import Foundation
import LedgerCore
import Testing
@testable import LedgerStorage

@Suite struct RecoveryTests {
    @Test func aTornTailIsReportedThenSetAsideByTheNextWriter() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1)], clock: clock)
        let intact = try StorageFixture.bytes(paths.log)
        let torn = Array("{\"actor\":\"OP-1\",\"effec".utf8)
        try StorageFixture.appendRaw(torn, to: paths.log)

        let report = try StorageFixture.verify(paths)
        #expect(report.failure?.kind == .tornTail)
        #expect(report.failure?.offset == UInt64(intact.count))
        #expect(report.recordCount == 2)

        let writer = try LedgerWriter(paths: paths)
        #expect(writer.notices.count == 1)
        #expect(try StorageFixture.bytes(paths.log) == intact)
        let kept = StorageFixture.tornFiles(paths)
        #expect(kept.count == 1)
        #expect(try StorageFixture.bytes(paths.torn + "/" + kept[0]) == Data(torn))
        _ = try writer.append([StorageFixture.note(2)], clock: clock)
        #expect(try StorageFixture.verify(paths).failure == nil)
    }

    @Test func anUnfinishedBatchIsRolledBackIntoTorn() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1)], clock: clock)
        let before = try StorageFixture.bytes(paths.log)
        // Simulate a crash in the middle of a batch: the pending note is durable, two of three
        // complete lines reached the file.
        let lines = LogFixtureLines.make(after: try LedgerWriter(paths: paths).last, count: 3)
        let marker = Recovery.PendingBatch(bytesBefore: UInt64(before.count),
                                           bytesAfter: UInt64(before.count + lines.joined().count),
                                           lastHash: lines.records.last!.hash)
        try Data(marker.text.utf8).write(to: URL(fileURLWithPath: paths.pending))
        try StorageFixture.appendRaw(Array(lines.lines[0...1].joined()), to: paths.log)
        #expect(try StorageFixture.verify(paths).recordCount == 4)

        let writer = try LedgerWriter(paths: paths)
        #expect(writer.notices.count == 1)
        #expect(try StorageFixture.bytes(paths.log) == before)
        #expect(StorageFixture.tornFiles(paths).count == 1)
        #expect(writer.last.seq == 1)
    }

    @Test func aFinishedBatchIsKeptEvenIfItsNoteSurvived() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1)], clock: clock)
        let before = try StorageFixture.bytes(paths.log)
        let lines = LogFixtureLines.make(after: try LedgerWriter(paths: paths).last, count: 3)
        let marker = Recovery.PendingBatch(bytesBefore: UInt64(before.count),
                                           bytesAfter: UInt64(before.count + lines.joined().count),
                                           lastHash: lines.records.last!.hash)
        try Data(marker.text.utf8).write(to: URL(fileURLWithPath: paths.pending))
        try StorageFixture.appendRaw(lines.joined(), to: paths.log)
        let writer = try LedgerWriter(paths: paths)
        #expect(writer.notices.isEmpty)
        #expect(writer.last.seq == 4)
    }

    @Test func aDamagedLastRecordStopsTheWriter() throws {
        let paths = try StorageFixture.newLedger()
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1)], clock: ManualClock())
        var bytes = try StorageFixture.bytes(paths.log)
        bytes[bytes.count - 10] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: paths.log))
        #expect(throws: StorageError.self) { try LedgerWriter(paths: paths) }
        #expect(try StorageFixture.bytes(paths.log) == bytes)
    }

    @Test func aMissingLogIsNotALedger() throws {
        let paths = LedgerPaths(directory: FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path)
        #expect(throws: StorageError.self) { try LedgerWriter(paths: paths) }
    }
}

/// Valid lines that continue a log, made without a writer (to simulate what a crash leaves).
struct LogFixtureLines {
    var lines: [[UInt8]]
    var records: [Record]

    func joined() -> [UInt8] { Array(lines.joined()) }

    static func make(after last: Record, count: Int) -> LogFixtureLines {
        var result = LogFixtureLines(lines: [], records: [])
        var previous = last
        for number in 0..<count {
            let (line, record) = RecordCodec.encode(draft: StorageFixture.note(100 + number), seq: previous.seq + 1,
                                                    prev: previous.hash, recordedAt: last.recordedAt,
                                                    effective: last.effective, version: 1)
            result.lines.append(line)
            result.records.append(record)
            previous = record
        }
        return result
    }
}

@Suite struct RecoveryEdgeTests {
    @Test func aBatchNoteWithNothingWrittenIsCleared() throws {
        let paths = try StorageFixture.newLedger()
        let size = UInt64(try StorageFixture.bytes(paths.log).count)
        let marker = Recovery.PendingBatch(bytesBefore: size, bytesAfter: size + 600, lastHash: .zero)
        try Data(marker.text.utf8).write(to: URL(fileURLWithPath: paths.pending))
        let writer = try LedgerWriter(paths: paths)
        #expect(writer.notices.isEmpty)
        _ = try writer.append([StorageFixture.note(1)], clock: ManualClock())
        #expect(try StorageFixture.verify(paths).failure == nil)
        #expect(try StorageFixture.bytes(paths.pending).isEmpty)
    }

    @Test func anInterruptedInitCanBeRunAgain() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let paths = LedgerPaths(directory: base.path)
        try Data("{\"actor\":\"OP".utf8).write(to: URL(fileURLWithPath: paths.log + ".new"))
        FileManager.default.createFile(atPath: paths.lock, contents: nil)
        _ = try LedgerCreation.create(paths: paths, genesis: StorageFixture.genesis, actor: "OP-1", clock: ManualClock())
        #expect(try StorageFixture.verify(paths).failure == nil)
        #expect(!FileManager.default.fileExists(atPath: paths.log + ".new"))
    }
}
