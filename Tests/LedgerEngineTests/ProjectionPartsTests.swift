import LedgerDomain
import LedgerEngine
import Testing

/// A read that asks for fewer parts of the projections (`Projections.Parts`, what `balances`
/// prints) folds only those from the log; from a snapshot it has them all, and what it answers
/// is the same either way.
@Suite struct ProjectionPartsTests {
    @Test func aReadFromTheLogKeepsThePartsAskedForAndASnapshotHasThemAll() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopen { $0.snapshots.tailRecordsMin = 1 }
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100), EngineFixture.donation("VIR-2", party: "P-2", cents: 20)])

        let lean = try ledger.view(mode: .fromLog, parts: [])
        let whole = try ledger.view(mode: .fromLog)
        let cached = try ledger.view(mode: .cached, parts: [])
        #expect(lean.projections.parts == [] && whole.projections.parts == .all, "\(lean.projections.parts.rawValue) \(whole.projections.parts.rawValue)")
        #expect(cached.projections.parts == .all, "a snapshot's projections have every part")
        guard case .snapshot = cached.trusted else {
            Issue.record("the read started from the snapshot the append saved: \(cached.trusted)")
            return
        }
        for view in [lean, cached] {
            #expect(view.projections.balances(by: .fund) == whole.projections.balances(by: .fund))
        }
        #expect(whole.projections.statement(PartyID("P-1")!)?.contributed == 100)
        #expect(fixture.warnings.messages.isEmpty, "\(fixture.warnings.messages)")
    }
}
