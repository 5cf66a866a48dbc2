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
        let first = try LedgerWriter(paths: paths).append([StorageFixture.note(1, key: "BANK-1")], clock: clock)
        let before = try StorageFixture.bytes(paths.log)
        clock.advance(seconds: 60)
        let retry = try LedgerWriter(paths: paths).append([StorageFixture.note(1, key: "BANK-1")], clock: clock)
        #expect(retry == [.existing(first[0].record)])
        #expect(try StorageFixture.bytes(paths.log) == before)
    }

    @Test func aReusedKeyWithOtherContentIsRefusedAndWritesNothing() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1, key: "BANK-1")], clock: clock)
        let before = try StorageFixture.bytes(paths.log)
        #expect(throws: AppendError.storage(.idempotencyConflict(key: "BANK-1", seq: 1, field: "payload"))) {
            try LedgerWriter(paths: paths).append([StorageFixture.note(1, key: "BANK-1", amount: 7)], clock: clock)
        }
        #expect(try StorageFixture.bytes(paths.log) == before)
    }

    @Test func idempotencySurvivesALostOrStaleIndex() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        _ = try LedgerWriter(paths: paths).append((1...300).map { StorageFixture.note($0, key: "K-\($0)") }, clock: clock)
        try FileManager.default.removeItem(atPath: paths.idempotencyIndex)
        let retry = try LedgerWriter(paths: paths).append([StorageFixture.note(123, key: "K-123")], clock: clock)
        #expect(retry.first == .existing(retry[0].record))
        #expect(retry[0].record.seq == 123)
        // A corrupt index (garbage) is ignored and rebuilt, never trusted.
        try Data(repeating: 0x41, count: 100).write(to: URL(fileURLWithPath: paths.idempotencyIndex))
        let again = try LedgerWriter(paths: paths).append([StorageFixture.note(7, key: "K-7")], clock: clock)
        #expect(again[0] == .existing(again[0].record))
        #expect(again[0].record.seq == 7)
    }

    @Test func theIndexGrowsPastItsFirstCapacity() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        do {
            let writer = try LedgerWriter(paths: paths)
            for chunk in 0..<6 {
                _ = try writer.append((0..<500).map { StorageFixture.note(chunk * 500 + $0, key: "G-\(chunk * 500 + $0)") }, clock: clock)
            }
        }
        let retry = try LedgerWriter(paths: paths).append([StorageFixture.note(2999, key: "G-2999")], clock: clock)
        #expect(retry[0] == .existing(retry[0].record))
        #expect(retry[0].record.seq == 3000)
    }

    @Test func theSameKeyTwiceInABatch() throws {
        let paths = try StorageFixture.newLedger()
        let clock = ManualClock()
        let same = try LedgerWriter(paths: paths).append([StorageFixture.note(1, key: "D"), StorageFixture.note(1, key: "D")], clock: clock)
        #expect(same.count == 2)
        #expect(same[0].record == same[1].record)
        #expect(throws: AppendError.self) {
            try LedgerWriter(paths: paths).append([StorageFixture.note(2, key: "E"), StorageFixture.note(3, key: "E")], clock: clock)
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
