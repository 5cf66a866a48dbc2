import Foundation
import LedgerCore
import LedgerDomain
import LedgerEngine
import LedgerJSON
import Testing

/// A batch of a writer's chunk or more folds its projections on a thread of their own, beside
/// its rules: the snapshot saved after it holds the projections a fold of the log gives, a
/// refused one leaves nothing behind, and a projections' file that cannot be read costs a fold
/// from the genesis, never a wrong figure.
@Suite struct LargeBatchTests {
    static let size = 4_500

    static func donations(_ prefix: String, count: Int = size) -> [RecordDraft] {
        (1...count).map { EngineFixture.donation("\(prefix)-\($0)", party: $0 % 2 == 0 ? "P-1" : "P-2", cents: Int64($0)) }
    }

    /// A ledger whose newest snapshot leaves its projections in their file (a reopened writer),
    /// with two records after it: the fold of the next append starts with a tail.
    static func snapshotted() throws -> (EngineFixture, Ledger) {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let eager = try fixture.reopenSavingEveryAppend()
        _ = try eager.append([EngineFixture.donation("VIR-0", cents: 100)])
        let lazy = try fixture.reopen { $0.snapshots.tailRecordsMin = 1_000 }
        _ = try lazy.append([EngineFixture.donation("VIR-T1", cents: 10)])
        _ = try lazy.append([EngineFixture.donation("VIR-T2", cents: 20)])
        return (fixture, try fixture.reopenSavingEveryAppend())
    }

    static func snapshotView(_ fixture: EngineFixture) throws -> (records: UInt64, view: LedgerView)? {
        let view = try fixture.reopen().view(mode: .cached)
        guard case .snapshot(let snapshot, _) = view.trusted else { return nil }
        return (snapshot.records, view)
    }

    @Test func theSnapshotAfterALargeBatchHoldsTheLogsProjections() throws {
        let (fixture, ledger) = try Self.snapshotted()
        _ = try ledger.append(Self.donations("BIG"))
        let fromLog = try fixture.reopen().view(mode: .fromLog)
        let saved = try #require(try Self.snapshotView(fixture))
        #expect(saved.records == fromLog.records, "the snapshot covers the batch")
        #expect(saved.view.projections == fromLog.projections)
        #expect(EngineFixture.cash(saved.view) == 130 + Int64(Self.size * (Self.size + 1) / 2))
        #expect(fixture.warnings.messages.isEmpty, "\(fixture.warnings.messages)")
    }

    @Test func aRefusedLargeBatchLeavesNothingBehind() throws {
        let (fixture, ledger) = try Self.snapshotted()
        let before = try fixture.logBytes()
        // The last draft reuses the reference of the first batch: I14.reference-unique.
        let drafts = Self.donations("BIG") + [EngineFixture.donation("VIR-0", cents: 1)]
        #expect(throws: LedgerError.self) { try ledger.append(drafts) }
        #expect(try fixture.logBytes() == before)
        // The same value appends on: the projections folded aside for the refused batch are gone.
        _ = try ledger.append(Self.donations("NEXT"))
        let fromLog = try fixture.reopen().view(mode: .fromLog)
        #expect(try #require(try Self.snapshotView(fixture)).view.projections == fromLog.projections)
    }

    @Test func anUnreadableProjectionsFileCostsAFoldFromTheGenesis() throws {
        let (fixture, ledger) = try Self.snapshotted()
        let snapshots = fixture.snapshots
        let part = try #require(try FileManager.default.contentsOfDirectory(atPath: snapshots).first { $0.hasPrefix("views-") })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: snapshots + "/" + part))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: snapshots + "/" + part))
        _ = try ledger.append(Self.donations("BIG"))
        #expect(fixture.warnings.messages.contains { $0.contains("projections are") && $0.contains("folding the log from the genesis") },
                "\(fixture.warnings.messages)")
        let fromLog = try fixture.reopen().view(mode: .fromLog)
        let saved = try #require(try Self.snapshotView(fixture))
        #expect(saved.records == fromLog.records)
        #expect(saved.view.projections == fromLog.projections)
    }
}
