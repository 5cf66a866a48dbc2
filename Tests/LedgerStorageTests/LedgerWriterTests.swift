import Foundation
import LedgerCore
import LedgerJSON
import Testing
@testable import LedgerStorage

@Suite struct LedgerWriterTests {
    @Test func appendsAreChainedAndVerify() throws {
        let clock = ManualClock()
        let paths = try StorageFixture.newLedger(clock: clock)
        let writer = try LedgerWriter(paths: paths)
        for number in 1...10 {
            clock.advance(seconds: 1)
            let outcome = try writer.append([StorageFixture.note(number)], clock: clock)
            #expect(outcome.first?.record.seq == UInt64(number))
        }
        let report = try StorageFixture.verify(paths)
        #expect(report.failure == nil)
        #expect(report.recordCount == 11)
        #expect(report.headHash == writer.last.hash)
    }

    @Test func aNewWriterReadsOnlyTheTail() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        do {
            let writer = try LedgerWriter(paths: paths)
            _ = try writer.append((1...50).map { StorageFixture.note($0) }, clock: clock)
        }
        let reopened = try LedgerWriter(paths: paths)
        #expect(reopened.last.seq == 50)
        #expect(reopened.notices.isEmpty)
    }

    @Test func anIdempotentRetryReturnsTheOriginalAndWritesNothing() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        let first = try LedgerWriter(paths: paths).appendKeyed([StorageFixture.note(1, key: "BANK-1")], clock: clock)
        let before = try StorageFixture.bytes(paths.log)
        clock.advance(seconds: 60)
        let retry = try LedgerWriter(paths: paths).appendKeyed([StorageFixture.note(1, key: "BANK-1")], clock: clock)
        #expect(retry == [.existing(first[0].record)])
        #expect(try StorageFixture.bytes(paths.log) == before)
    }

    @Test func aReusedKeyWithOtherContentIsRefusedAndWritesNothing() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        _ = try LedgerWriter(paths: paths).appendKeyed([StorageFixture.note(1, key: "BANK-1")], clock: clock)
        let before = try StorageFixture.bytes(paths.log)
        #expect(throws: AppendError.storage(.idempotencyConflict(key: "BANK-1", seq: 1, field: "payload"))) {
            try LedgerWriter(paths: paths).appendKeyed([StorageFixture.note(1, key: "BANK-1", amount: 7)], clock: clock)
        }
        #expect(try StorageFixture.bytes(paths.log) == before)
    }

    /// The engine finds a retried key's seq in the fund's state; the record itself is read back
    /// from the log by a binary search over byte offsets, whatever the lengths of the lines.
    @Test func everyRecordIsFoundBySeq() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        // Lines of very different lengths, so that a probe lands anywhere in a line.
        let drafts = (1...700).map { StorageFixture.note($0, text: String(repeating: "x", count: ($0 * 7_919) % 3_000)) }
        let written: [Record]
        do {
            let writer = try LedgerWriter(paths: paths)
            written = try writer.append(drafts, clock: clock).map(\.record)
            #expect(try writer.record(atSeq: 0).type == "ledger.genesis")
            for record in written { #expect(try writer.record(atSeq: record.seq) == record) }
        }
        let reopened = try LedgerWriter(paths: paths)
        #expect(try reopened.record(atSeq: 350) == written[349])
    }

    @Test func aRecordNotWhereItsSeqSaysIsADamagedLog() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        _ = try LedgerWriter(paths: paths).append((1...20).map { StorageFixture.note($0) }, clock: clock)
        // Records 5 and 6 swapped: each line still reads back, the order of seqs does not hold.
        var lines = try StorageFixture.bytes(paths.log).split(separator: 0x0A, omittingEmptySubsequences: false)
        lines.swapAt(5, 6)
        try Data(lines.joined(separator: [0x0A])).write(to: URL(fileURLWithPath: paths.log))
        let writer = try LedgerWriter(paths: paths)
        #expect(throws: StorageError.self) {
            for seq in UInt64(1)...19 { _ = try writer.record(atSeq: seq) }
        }
    }

    @Test func theSameKeyTwiceInABatch() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        let same = try LedgerWriter(paths: paths).appendKeyed([StorageFixture.note(1, key: "D"), StorageFixture.note(1, key: "D")], clock: clock)
        #expect(same.count == 2)
        #expect(same[0].record == same[1].record)
        #expect(throws: AppendError.self) {
            try LedgerWriter(paths: paths).appendKeyed([StorageFixture.note(2, key: "E"), StorageFixture.note(3, key: "E")], clock: clock)
        }
        #expect(try StorageFixture.verify(paths).recordCount == 2)
    }

    @Test func aClockBehindTheLogIsRefused() throws {
        let clock = ManualClock("2026-03-01T10:00:00.000000Z")
        let paths = try StorageFixture.newLedger(clock: clock)
        let before = try StorageFixture.bytes(paths.log)
        let behind = ManualClock("2026-03-01T09:59:59.999999Z")
        #expect(throws: AppendError.storage(.clockBehind(now: "2026-03-01T09:59:59.999999Z", last: "2026-03-01T10:00:00.000000Z"))) {
            try LedgerWriter(paths: paths).append([StorageFixture.note(1)], clock: behind)
        }
        #expect(try StorageFixture.bytes(paths.log) == before)
    }

    @Test(arguments: [
        RecordDraft(type: "Bad Type", actor: "OP-1", payload: JSONObject()),
        RecordDraft(type: "ledger.genesis", actor: "OP-1", payload: JSONObject()),
        RecordDraft(type: "note.x", actor: "bad actor", payload: JSONObject()),
        RecordDraft(type: "note.x", actor: "OP-1", idempotencyKey: "", payload: JSONObject()),
    ])
    func invalidDraftsAreRefusedAndWriteNothing(draft: RecordDraft) throws {
        let paths = try StorageFixture.newLedger()
        let before = try StorageFixture.bytes(paths.log)
        #expect(throws: AppendError.self) { try LedgerWriter(paths: paths).append([draft], clock: ManualClock()) }
        #expect(try StorageFixture.bytes(paths.log) == before)
    }

    @Test func textIsStoredInNFC() throws {
        let paths = try StorageFixture.newLedger()
        let draft = RecordDraft(type: "note.x", actor: "OP-1", payload: JSONObject([("text", .string("e\u{301}te\u{301}"))]))
        _ = try LedgerWriter(paths: paths).append([draft], clock: ManualClock())
        let log = try StorageFixture.bytes(paths.log)
        #expect(log.range(of: Data("\u{E9}t\u{E9}".utf8)) != nil)
        #expect(log.range(of: Data("e\u{301}".utf8)) == nil)
        #expect(try StorageFixture.verify(paths).failure == nil)
    }

    @Test func aSecondWriterWaitsForTheLockThenGivesUp() throws {
        let paths = try StorageFixture.newLedger()
        let holder = try LedgerWriter(paths: paths)
        #expect(throws: StorageError.locked(path: paths.lock, waitedMilliseconds: 50)) {
            _ = try LedgerWriter(paths: paths, lockTimeoutMilliseconds: 50)
        }
        withExtendedLifetime(holder) {}
    }

    @Test func creatingOverAnExistingLedgerIsRefused() throws {
        let paths = try StorageFixture.newLedger()
        #expect(throws: StorageError.alreadyExists(path: paths.directory)) {
            try LedgerCreation.create(paths: paths, genesis: StorageFixture.genesis, actor: "OP-1", clock: ManualClock())
        }
    }
}
