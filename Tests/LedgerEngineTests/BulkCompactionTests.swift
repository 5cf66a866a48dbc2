import Foundation
import LedgerCore
@testable import LedgerEngine
import LedgerStorage
import Testing

/// A batch that will outgrow the base's upper file has the save's merge of that file into a new
/// lower one made beside its rules (`BulkFile.Compaction`): the file it makes is the one the
/// save would make, a save takes it only for the base it was made from, and a file no save
/// took does not stay behind.
@Suite struct BulkCompactionTests {
    /// Small thresholds, so that a few hundred donations make a lower and an upper file.
    static func configure(_ options: inout Ledger.Options) {
        options.snapshots.tailRecordsMin = 1
        options.snapshots.baseEntriesMin = 16
        options.snapshots.baseEntriesMax = 64
        options.snapshots.upperRowsMin = 16
    }

    /// A ledger whose snapshot has a lower and an upper bulk file.
    static func layered() throws -> (EngineFixture, Ledger) {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopen(configure)
        _ = try ledger.append(LargeBatchTests.donations("LOW", count: 200))
        _ = try ledger.append(LargeBatchTests.donations("UP", count: 40))
        let files = try bulkFiles(fixture)
        #expect(files.count == 2, "a lower and an upper file: \(files)")
        return (fixture, ledger)
    }

    static func bulkFiles(_ fixture: EngineFixture) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixture.snapshots).filter { $0.hasPrefix("bulk-") }.sorted()
    }

    /// The snapshot's state, with its base attached.
    static func loaded(_ fixture: EngineFixture, _ ledger: Ledger) throws -> LedgerState {
        let bytes = UInt64(try fixture.logBytes().count)
        return try #require(ledger.store.load(logBytes: bytes, decodingViews: false)).state
    }

    @Test func theMergeMadeAheadIsTheOneTheSaveWouldMake() throws {
        let (fixture, ledger) = try Self.layered()
        let state = try Self.loaded(fixture, ledger)
        let base = try #require(state.base)
        let upper = try #require(base.key.layers.count > 1 ? base.key.layers.last : nil)
        let compaction = try #require(BulkFile.Compaction.begin(for: state, events: LedgerWriter.chunkRecords, paths: ledger.paths,
                                                                 policy: ledger.options.snapshots))
        #expect(compaction.take(for: try BulkFile(ledger.paths, key: base.key)) == nil, "another base's save does the step itself")
        let ahead = try #require(compaction.take(for: base))
        #expect(ahead.key.lower.records == upper.records, "the new lower file covers the upper file's records")
        let directory = try ViewsFile.snapshotDirectory(ledger.paths)
        let now = try #require(try BulkFile.mergedUpper(of: base, directory, ledger.paths, damaged: { Issue.record("damaged: \($0)") }))
        #expect(ahead.key.lower == now.key.lower, "the same bytes, so the same digest")
        compaction.finish()
        #expect(try Self.bulkFiles(fixture).contains(BulkFile.name(lower: upper.records)), "a file a save asked for stays")
    }

    @Test func aMergeNoSaveAskedForIsRemoved() throws {
        let (fixture, ledger) = try Self.layered()
        let before = try Self.bulkFiles(fixture)
        let state = try Self.loaded(fixture, ledger)
        let compaction = try #require(BulkFile.Compaction.begin(for: state, events: LedgerWriter.chunkRecords, paths: ledger.paths,
                                                                 policy: ledger.options.snapshots))
        compaction.finish()
        #expect(try Self.bulkFiles(fixture) == before)
    }

    @Test func onlyABatchThatOutgrowsTheUpperFileBeginsOne() throws {
        let (fixture, ledger) = try Self.layered()
        let state = try Self.loaded(fixture, ledger)
        let policy = ledger.options.snapshots
        #expect(BulkFile.Compaction.begin(for: state, events: LedgerWriter.chunkRecords - 1, paths: ledger.paths, policy: policy) == nil,
                "a batch too small to be folded aside")
        var roomy = policy
        roomy.upperRowsMin = 1_000_000
        #expect(BulkFile.Compaction.begin(for: state, events: LedgerWriter.chunkRecords, paths: ledger.paths, policy: roomy) == nil,
                "an upper file with room for the batch")
    }

    @Test func theSnapshotAfterALargeBatchHoldsTheLogsState() throws {
        let (fixture, ledger) = try Self.layered()
        fixture.warnings.messages.removeAll()
        _ = try ledger.append(LargeBatchTests.donations("BIG"))
        let fromLog = try fixture.reopen().view(mode: .fromLog)
        let saved = try #require(try LargeBatchTests.snapshotView(fixture))
        #expect(saved.records == fromLog.records)
        #expect(saved.view.projections == fromLog.projections)
        #expect(EngineFixture.cash(saved.view) == EngineFixture.cash(fromLog))
        let state = try Self.loaded(fixture, try fixture.reopen(Self.configure))
        #expect(try Self.bulkFiles(fixture) == (try #require(state.baseKey)).names.sorted(), "only the files the core names")
        #expect(fixture.warnings.messages.isEmpty, "\(fixture.warnings.messages)")
    }

    @Test func aRefusedLargeBatchLeavesNoMergedFile() throws {
        let (fixture, ledger) = try Self.layered()
        let before = try Self.bulkFiles(fixture)
        let log = try fixture.logBytes()
        // The last draft reuses a reference: I14.reference-unique, after the merge has begun.
        let drafts = LargeBatchTests.donations("BIG") + [EngineFixture.donation("LOW-1", cents: 1)]
        #expect(throws: LedgerError.self) { try ledger.append(drafts) }
        #expect(try fixture.logBytes() == log)
        #expect(try Self.bulkFiles(fixture) == before)
    }
}
