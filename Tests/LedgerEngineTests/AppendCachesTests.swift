import Foundation
import LedgerCore
import LedgerEngine
import Testing

/// After an append, the key evidence, the proof cache and (when one is due) the state snapshot
/// are brought up to it, the snapshot on a thread of its own beside the other two: each is
/// trusted by the next command, and a cache that cannot be written is a warning, told in the
/// order the three are written in, never a failed append.
@Suite struct AppendCachesTests {
    @Test func theCachesAnAppendSavesAreTrustedByTheNextCommand() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopenSavingEveryAppend()
        _ = try ledger.append((1...40).map { EngineFixture.donation("VIR-\($0)", cents: Int64($0)) })
        let reader = try fixture.reopen()
        let view = try reader.view(mode: .cached)
        guard case .snapshot(let snapshot, _) = view.trusted else {
            Issue.record("no snapshot trusted: \(view.trusted); \(fixture.warnings.messages)")
            return
        }
        #expect(snapshot.records == view.records, "the snapshot covers the append")
        let checkpoint = try reader.checkpoint()
        #expect(checkpoint.size == view.records)
        #expect(checkpoint == (try reader.verifiedCheckpoint()), "the sealed proof cache gives the log's own tree head")
        #expect(fixture.warnings.messages.isEmpty, "\(fixture.warnings.messages)")
    }

    @Test func cachesThatCannotBeWrittenAreWarnedOfInTheirOrder() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let cache = fixture.directory + "/cache"
        let files = FileManager.default
        // Nothing can be renamed onto a directory that holds a file, nor made inside a file.
        try? files.removeItem(atPath: cache + "/keys.evidence")
        try files.createDirectory(atPath: cache + "/keys.evidence", withIntermediateDirectories: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: cache + "/keys.evidence/in-the-way"))
        try? files.removeItem(atPath: cache + "/snapshots")
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: cache + "/snapshots"))
        let before = try fixture.logBytes().count
        let ledger = try fixture.reopenSavingEveryAppend()
        fixture.warnings.messages.removeAll()
        _ = try ledger.append((1...40).map { EngineFixture.donation("VIR-\($0)", cents: Int64($0)) })
        #expect(try fixture.logBytes().count > before, "the append is written whatever its caches")
        let messages = fixture.warnings.messages
        let evidence = try #require(messages.lastIndex { $0.contains("could not update the key evidence") }, "\(messages)")
        let snapshot = try #require(messages.lastIndex { $0.contains("could not save a state snapshot") }, "\(messages)")
        #expect(evidence < snapshot, "the snapshot's warning follows the evidence's: \(messages)")
        #expect(try fixture.reopen().view(mode: .fromLog).records == UInt64(6 + 40), "the log holds every record")
    }

    /// A writer killed while it wrote a cache leaves its temporary file (`.NAME.HEX.tmp`): the
    /// next snapshot saved removes it, under the writer's lock, where nobody else writes one.
    @Test func aKilledWritersTemporaryFilesAreRemovedByTheNextSave() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopenSavingEveryAppend()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 1)])
        let snapshots = fixture.snapshots
        let left = [".bulk-f8p6c6-9.tables.0123456789abcdef.tmp", ".state-core-f8p6c6-9.snap.fedcba9876543210.tmp"]
        for name in left { try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: snapshots + "/" + name)) }
        _ = try ledger.append([EngineFixture.donation("VIR-2", cents: 2)])
        let names = try FileManager.default.contentsOfDirectory(atPath: snapshots)
        #expect(!names.contains { $0.hasSuffix(".tmp") }, "\(names)")
        #expect(names.contains { $0.hasPrefix("state-") }, "the snapshot itself stays: \(names)")
        #expect(fixture.warnings.messages.isEmpty, "\(fixture.warnings.messages)")
    }
}
