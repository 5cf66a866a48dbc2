import Foundation
import LedgerCore
import LedgerDomain
import LedgerEngine
import LedgerJSON
import Testing

/// The engine used as a library, in this process: no child process, no environment.
@Suite struct LedgerTests {
    @Test func appendsReportsAndVerifiesInProcess() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let outcomes = try ledger.append([EngineFixture.donation("VIR-1", cents: 5_000), EngineFixture.donation("VIR-2", cents: 2_550)])
        #expect(outcomes.map(\.record.seq) == [6, 7])
        let view = try ledger.view()
        #expect(view.records == 8)
        #expect(EngineFixture.cash(view) == 7_550)
        #expect(view.projections.balances(by: .fund).total.cash == 7_550)
        let verification = try ledger.verify()
        #expect(verification.isIntact)
        #expect(verification.report?.recordCount == 8)
    }

    @Test func aCutSeesTheRecordsUpToIt() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 1_000)])
        _ = try ledger.append([EngineFixture.donation("VIR-2", cents: 2_000)])
        #expect(EngineFixture.cash(try ledger.view(at: Ledger.Cut(at: 6))) == 1_000)
        #expect(EngineFixture.cash(try ledger.view(at: Ledger.Cut(at: 7))) == 3_000)
        #expect(throws: LedgerError.self) { try ledger.view(at: Ledger.Cut(at: 8)) }
        do {
            _ = try ledger.view(at: Ledger.Cut(at: 8))
        } catch {
            #expect(error.category == .refused)
        }
    }

    /// The snapshot policy bounds the tail every append re-folds, whatever the state's size:
    /// a fresh snapshot once the tail reaches `tailRecordsMin` records (Specs/reports.md §7).
    @Test func aSnapshotIsSavedOnceTheTailReachesTheMinimumWhateverTheStatesSize() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopen { $0.snapshots.tailRecordsMin = 3 }
        _ = try ledger.append((1...200).map { EngineFixture.donation("VIR-\($0)", cents: 100) })
        func snapshotRecords() throws -> UInt64? {
            guard case .snapshot(let snapshot, _) = try fixture.reopen().view(mode: .cached).trusted else { return nil }
            return snapshot.records
        }
        let afterBatch = try #require(try snapshotRecords())
        _ = try ledger.append([EngineFixture.donation("VIR-A", cents: 100)])
        _ = try ledger.append([EngineFixture.donation("VIR-B", cents: 100)])
        #expect(try snapshotRecords() == afterBatch, "a tail of 2 records is kept")
        _ = try ledger.append([EngineFixture.donation("VIR-C", cents: 100)])
        #expect(try snapshotRecords() == afterBatch + 3, "a tail of 3 records is due, with 200 contributions in the state")
    }

    /// ... or once the tail holds `tailAppendsMin` appends, however few records each has: every
    /// append checks the signature of each of them again. Each append here is a command of its
    /// own (a ledger opened again), as a clerk's are.
    @Test func aSnapshotIsSavedOnceTheTailHoldsTheMinimumOfAppends() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()   // three appends, six records (no snapshot: too few)
        func snapshotRecords() throws -> UInt64? {
            guard case .snapshot(let snapshot, _) = try fixture.reopen().view(mode: .cached).trusted else { return nil }
            return snapshot.records
        }
        func append(_ drafts: [RecordDraft]) throws {
            _ = try fixture.reopen { $0.snapshots.tailAppendsMin = 5 }.append(drafts)
        }
        try append([EngineFixture.donation("VIR-1", cents: 100)])
        #expect(try snapshotRecords() == nil, "four appends")
        try append([EngineFixture.donation("VIR-2", cents: 100)])
        #expect(try snapshotRecords() == 8, "five appends are due, 504 records short of 512")
        // A batch is one append, whatever its records.
        try append((10...19).map { EngineFixture.donation("VIR-\($0)", cents: 100) })
        for reference in ["VIR-3", "VIR-4", "VIR-5"] { try append([EngineFixture.donation(reference, cents: 100)]) }
        #expect(try snapshotRecords() == 8, "four appends past the snapshot")
        try append([EngineFixture.donation("VIR-6", cents: 100)])
        #expect(try snapshotRecords() == 22)
        #expect(fixture.warnings.messages.isEmpty, "\(fixture.warnings.messages)")
    }

    @Test func twoLedgersInOneProcessShareNothing() throws {
        let first = EngineFixture(), second = EngineFixture()
        let a = try first.create(), b = try second.create()
        _ = try a.append([EngineFixture.donation("VIR-1", cents: 5_000)])
        _ = try b.append([EngineFixture.donation("VIR-1", cents: 7_000)])
        // The same reference in the other ledger is no conflict, and each value's kept fold is its own.
        _ = try a.append([EngineFixture.donation("VIR-2", cents: 100)])
        _ = try b.append([EngineFixture.donation("VIR-2", cents: 200)])
        #expect(EngineFixture.cash(try a.view()) == 5_100)
        #expect(EngineFixture.cash(try b.view()) == 7_200)
        #expect(try a.verify().isIntact)
        #expect(try b.verify().isIntact)
        #expect(first.warnings.messages.isEmpty && second.warnings.messages.isEmpty)
    }

    @Test func aRefusedBatchWritesNothingAndLeavesNothingInTheKeptState() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 1_000)])
        let before = try fixture.logBytes()
        // The batch's first record is valid; its second reuses a bank reference (I14.reference-unique).
        do {
            _ = try ledger.append([EngineFixture.donation("VIR-2", cents: 500), EngineFixture.donation("VIR-1", cents: 9)])
            Issue.record("the batch was accepted")
        } catch {
            #expect(error.category == .refused)
            #expect(error.description.contains("I14.reference-unique"))
        }
        #expect(try fixture.logBytes() == before)
        // The same value appends again: VIR-2 was never written, so it is free, and the cash
        // counts only what the log holds.
        _ = try ledger.append([EngineFixture.donation("VIR-2", cents: 300)])
        #expect(EngineFixture.cash(try ledger.view()) == 1_300)
        #expect(EngineFixture.cash(try fixture.reopen().view(mode: .fromLog)) == 1_300)
    }

    @Test func anotherWriterInBetweenIsSeenByTheNextAppend() throws {
        let fixture = EngineFixture()
        let mine = try fixture.create()
        _ = try mine.append([EngineFixture.donation("VIR-1", cents: 1_000)])
        let theirs = try fixture.reopen()
        _ = try theirs.append([EngineFixture.donation("VIR-2", cents: 2_000)])
        // My kept fold ends before their record: reusing it would let VIR-2 be claimed twice.
        do {
            _ = try mine.append([EngineFixture.donation("VIR-2", cents: 1)])
            Issue.record("a reference used by another writer was accepted")
        } catch {
            #expect(error.description.contains("I14.reference-unique"))
        }
        _ = try mine.append([EngineFixture.donation("VIR-3", cents: 4_000)])
        #expect(EngineFixture.cash(try mine.view()) == 7_000)
    }

    @Test func aRuleMetWhileBuildingIsReportedAsOnAppend() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let before = try fixture.logBytes()
        let violation = RuleViolation(rule: "I6.tally", message: "test")
        do {
            _ = try ledger.append { _ throws(LedgerError) in throw LedgerError.ruleViolation(violation) }
            Issue.record("nothing was refused")
        } catch {
            #expect(error.category == .refused)
        }
        #expect(try fixture.logBytes() == before)
        let appended = try ledger.append { state throws(LedgerError) in
            #expect(state.recordCount == 6)
            return [EngineFixture.donation("VIR-9", cents: 42)]
        }
        #expect(appended.genesis?.currency == "EUR")
        #expect(appended.outcomes.count == 1)
    }

    /// A dry run checks and writes nothing, and leaves no trace in what the value keeps: the
    /// next real append sees the log as it is.
    @Test func aDryRunWritesNothingAndKeepsNothing() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let before = try fixture.logBytes()
        let dry = try ledger.append([EngineFixture.donation("VIR-1", cents: 700)], dryRun: true)
        guard case .appended(let would) = dry.first else { Issue.record("\(dry)"); return }
        #expect(try fixture.logBytes() == before)
        let real = try ledger.append([EngineFixture.donation("VIR-1", cents: 700)])
        #expect(real == [.appended(would)])
        #expect(EngineFixture.cash(try ledger.view()) == 700)
        #expect(try ledger.verify().isIntact)
    }

    /// An event effective after the day it is recorded is appended, and said once: a planned
    /// act, or a year mistyped.
    @Test func aFutureEffectiveDateIsWarnedAbout() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        fixture.warnings.messages.removeAll()
        var draft = EngineFixture.donation("VIR-1", cents: 100)
        draft.effective = CalendarDate("2036-03-02")
        _ = try ledger.append([draft])
        #expect(fixture.warnings.messages.count == 1)
        #expect(fixture.warnings.messages.first?.contains("effective 2036-03-02, after the day it is recorded (2026-03-02)") == true,
                "\(fixture.warnings.messages)")
        _ = try ledger.append([EngineFixture.donation("VIR-2", cents: 100)])
        #expect(fixture.warnings.messages.count == 1, "a date of today is not warned about")
    }

    @Test func aCorruptSnapshotIsWarnedAboutAndIgnored() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let eager = try fixture.reopenSavingEveryAppend()
        _ = try eager.append([EngineFixture.donation("VIR-1", cents: 1_000)])
        let snapshots = fixture.snapshots
        let core = try #require(try FileManager.default.contentsOfDirectory(atPath: snapshots).first { $0.hasSuffix(".snap") })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: snapshots + "/" + core))
        bytes[bytes.count - 40] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: snapshots + "/" + core))
        fixture.warnings.messages.removeAll()
        let view = try fixture.reopen().view()
        #expect(EngineFixture.cash(view) == 1_000)
        #expect(fixture.warnings.messages.contains { $0.contains("ignored snapshot") && $0.contains("corrupt") })
    }

    @Test func withoutSnapshotsNothingIsCached() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopen {
            $0.snapshots.isEnabled = false
            $0.snapshots.tailRecordsMin = 1
        }
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 1_000)])
        _ = try ledger.view()
        let snapshots = fixture.snapshots
        #expect((try? FileManager.default.contentsOfDirectory(atPath: snapshots))?.isEmpty ?? true)
    }

    @Test func verifyNamesATamperedRecord() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 1_000)])
        var text = try String(contentsOfFile: fixture.logPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"amount\":1000", with: "\"amount\":9000")
        try text.write(toFile: fixture.logPath, atomically: false, encoding: .utf8)
        let verification = try ledger.verify()
        #expect(verification.failure?.kind == .hashMismatch)
        #expect(verification.failure?.seq == 6)
        #expect(verification.failure?.line == 7)
    }

    @Test func aDirectoryWithoutALogIsNotALedger() {
        do {
            _ = try Ledger(directory: FileManager.default.temporaryDirectory.path + "/no-ledger-\(UUID().uuidString)")
            Issue.record("opened a ledger that does not exist")
        } catch {
            #expect(error.category == .notALedger)
        }
    }
}
