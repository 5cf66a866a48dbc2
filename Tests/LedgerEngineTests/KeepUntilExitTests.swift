import LedgerEngine
import Testing

/// A process that exits right after its command (the CLI) takes the states the engine is done
/// with instead of having them freed entry by entry (`Ledger.Options.keepUntilExit`). The engine
/// hands over only what it will not use again, and its results do not depend on the hook.
@Suite struct KeepUntilExitTests {
    final class Kept {
        var types: [String] = []
    }

    @Test func theEngineHandsOverOnlyTheStatesItIsDoneWith() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let kept = Kept()
        let keep: (Any) -> Void = { kept.types.append(String(describing: type(of: $0))) }
        // An append that saves a snapshot is done with its fold (the next starts from the snapshot).
        let saving = try fixture.reopen { $0.snapshots.tailRecordsMin = 1; $0.keepUntilExit = keep }
        _ = try saving.append([EngineFixture.donation("VIR-1", cents: 100)])
        #expect(kept.types == ["WriterFold"])
        // One that does not save keeps its fold for the next append of the same value: not handed over.
        let quiet = try fixture.reopen {
            $0.snapshots.tailRecordsMin = 1_000
            $0.snapshots.tailAppendsMin = 1_000
            $0.keepUntilExit = keep
        }
        _ = try quiet.append([EngineFixture.donation("VIR-2", cents: 20)])
        _ = try quiet.append([EngineFixture.donation("VIR-3", cents: 3)])
        #expect(kept.types == ["WriterFold"])
        // A dry run's fold holds a record never written: handed over, never used again.
        _ = try quiet.append([EngineFixture.donation("VIR-4", cents: 4)], dryRun: true)
        #expect(kept.types == ["WriterFold", "WriterFold"])
        // A verification's rules.
        #expect(try quiet.verify().isIntact)
        #expect(kept.types == ["WriterFold", "WriterFold", "VerifyChecks"])
        // The same figures as a ledger that frees its states: the hook changes nothing else.
        #expect(EngineFixture.cash(try fixture.reopen().view(mode: .fromLog)) == 123)
        #expect(EngineFixture.cash(try quiet.view(mode: .cached)) == 123)
        #expect(fixture.warnings.messages.isEmpty, "\(fixture.warnings.messages)")
    }
}
