import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import Testing
@testable import LedgerStorage

/// Someone who can write the ledger directory, but holds no operator key, plants links where the
/// writer expects its own files. The writer must never write through them: the file they point
/// at stays byte for byte the same, and the writer either goes on without following the link or
/// stops with a refusal and leaves the log as it was.
@Suite struct PlantedEntryWriterTests {
    static let tornBytes = Array("{\"actor\":\"OP-1\",\"effec".utf8)

    /// Plants `torn/<name>` as a link to a file outside; returns that file and its bytes.
    static func linkAtTornName(_ name: String, in paths: LedgerPaths) throws -> (path: String, bytes: Data) {
        let outside = try Planted.outsideFile()
        try Planted.makeDirectory(paths.torn)
        try Planted.link(paths.torn + "/" + name, to: outside)
        return (outside, try StorageFixture.bytes(outside))
    }

    @Test func aLinkedLogIsRefusedAndWhatItNamesIsNotTruncated() throws {
        let paths = try StorageFixture.newLedger()
        // A copy of the log with a torn tail: a writer that followed the link would cut it.
        let outside = try Planted.outsideDirectory() + "/log.jsonl"
        try FileManager.default.copyItem(atPath: paths.log, toPath: outside)
        try StorageFixture.appendRaw(Self.tornBytes, to: outside)
        let before = try StorageFixture.bytes(outside)
        try FileManager.default.removeItem(atPath: paths.log)
        try Planted.link(paths.log, to: outside)
        Planted.expectRefusal(at: paths.log, code: ELOOP) { _ = try LedgerWriter(paths: paths) }
        #expect(try StorageFixture.bytes(outside) == before)
        #expect(Planted.kind(paths.torn) == nil)
        #expect(LedgerWriter.mayNeedRecovery(paths), "so that a command issuing evidence opens a writer and reports it")
    }

    @Test func aLinkedBatchNoteIsNeitherReadNorWrittenThrough() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        let genesisBytes = UInt64(try StorageFixture.bytes(paths.log).count)
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1)], clock: clock)
        let log = try StorageFixture.bytes(paths.log)
        // A note that, were it read, would roll back record 1 as an unfinished batch.
        let note = Recovery.PendingBatch(bytesBefore: genesisBytes, bytesAfter: UInt64(log.count) + 600, lastHash: .zero)
        let outside = try Planted.outsideFile(note.text)
        try Planted.link(paths.pending, to: outside)
        let writer = try LedgerWriter(paths: paths)
        #expect(try StorageFixture.bytes(paths.log) == log)
        #expect(try StorageFixture.bytes(outside) == Data(note.text.utf8))
        #expect(writer.notices.count == 1)
        #expect(writer.notices.first?.contains("append.pending was a symbolic link") == true)
        #expect(Planted.kind(paths.pending) == S_IFREG)
        _ = try writer.append([StorageFixture.note(2), StorageFixture.note(3)], clock: clock)
        #expect(try StorageFixture.verify(paths).recordCount == 4)
        #expect(try StorageFixture.bytes(outside) == Data(note.text.utf8))
    }

    @Test func aLinkPlantedAtTheBatchNoteUnderAnOpenWriterIsReplaced() throws {
        let paths = try StorageFixture.newLedger()
        let writer = try LedgerWriter(paths: paths)
        let outside = try Planted.outsideFile()
        let before = try StorageFixture.bytes(outside)
        try Planted.link(paths.pending, to: outside)
        _ = try writer.append([StorageFixture.note(1), StorageFixture.note(2)], clock: ManualClock())
        #expect(try StorageFixture.bytes(outside) == before)
        #expect(Planted.kind(paths.pending) == S_IFREG)
        #expect(try StorageFixture.bytes(paths.pending).isEmpty)
        #expect(try StorageFixture.verify(paths).recordCount == 3)
    }

    @Test func aTornTailNeverGoesThroughALinkAtItsPredictableName() throws {
        let paths = try StorageFixture.newLedger()
        let intact = try StorageFixture.bytes(paths.log)
        try StorageFixture.appendRaw(Self.tornBytes, to: paths.log)
        let predictable = "tail-at-\(intact.count)-\(SHA256.hash(Self.tornBytes).hex.prefix(16)).bin"
        let outside = try Self.linkAtTornName(predictable, in: paths)

        let writer = try LedgerWriter(paths: paths)
        #expect(try StorageFixture.bytes(outside.path) == outside.bytes)
        #expect(try StorageFixture.bytes(paths.log) == intact)
        #expect(Planted.kind(paths.torn + "/" + predictable) == S_IFLNK, "what held the name is left as it was")
        let kept = try #require(StorageFixture.tornFiles(paths).first { $0 != predictable })
        #expect(kept.hasPrefix(predictable.dropLast(".bin".count) + "-") && kept.hasSuffix(".bin"), "\(kept)")
        #expect(try StorageFixture.bytes(paths.torn + "/" + kept) == Data(Self.tornBytes))
        let notice = "set aside a torn tail of \(Self.tornBytes.count) bytes (a crash; never acknowledged) in torn/\(kept)"
        #expect(writer.notices == [notice])
    }

    @Test func aRolledBackBatchNeverGoesThroughALinkAtItsPredictableName() throws {
        let paths = try StorageFixture.newLedger()
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1)], clock: ManualClock())
        let before = try StorageFixture.bytes(paths.log)
        let lines = LogFixtureLines.make(after: try LedgerWriter(paths: paths).last, count: 3)
        let marker = Recovery.PendingBatch(bytesBefore: UInt64(before.count), bytesAfter: UInt64(before.count + lines.joined().count),
                                           lastHash: lines.records.last!.hash)
        try Data(marker.text.utf8).write(to: URL(fileURLWithPath: paths.pending))
        let reached = Array(lines.lines[0...1].joined())
        try StorageFixture.appendRaw(reached, to: paths.log)
        let predictable = "batch-at-\(before.count)-\(SHA256.hash(reached).hex.prefix(16)).bin"
        let outside = try Self.linkAtTornName(predictable, in: paths)

        let writer = try LedgerWriter(paths: paths)
        #expect(try StorageFixture.bytes(outside.path) == outside.bytes)
        #expect(try StorageFixture.bytes(paths.log) == before)
        #expect(writer.last.seq == 1)
        let kept = try #require(StorageFixture.tornFiles(paths).first { $0 != predictable })
        #expect(try StorageFixture.bytes(paths.torn + "/" + kept) == Data(reached))
    }

    /// `cache` is opened before recovery writes anything, `torn` before the tail is cut.
    @Test(arguments: [LedgerPaths.Name.cache, LedgerPaths.Name.torn])
    func aLinkedDirectoryStopsTheWriterAndTheLogKeepsItsTail(name: String) throws {
        let paths = try StorageFixture.newLedger()
        try StorageFixture.appendRaw(Self.tornBytes, to: paths.log)
        let log = try StorageFixture.bytes(paths.log)
        let outside = try Planted.outsideDirectory()
        try Planted.link(paths.directory + "/" + name, to: outside)
        Planted.expectRefusal(at: paths.directory + "/" + name, code: ELOOP) { _ = try LedgerWriter(paths: paths) }
        #expect(try StorageFixture.bytes(paths.log) == log, "the torn tail was not set aside")
        #expect(StorageFixture.tornFiles(paths).isEmpty)
        #expect(Planted.names(outside).isEmpty)
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give a directory to another user"),
          arguments: [LedgerPaths.Name.cache, LedgerPaths.Name.torn])
    func aDirectoryOfAnotherUserStopsTheWriter(name: String) throws {
        let paths = try StorageFixture.newLedger()
        try StorageFixture.appendRaw(Self.tornBytes, to: paths.log)
        let log = try StorageFixture.bytes(paths.log)
        let directory = paths.directory + "/" + name
        try Planted.makeDirectory(directory)
        #expect(chown(directory, 65_534, 65_534) == 0)
        Planted.expectRefusal(at: directory, code: EPERM) { _ = try LedgerWriter(paths: paths) }
        #expect(try StorageFixture.bytes(paths.log) == log)
        #expect(Planted.names(directory).isEmpty)
    }
}
