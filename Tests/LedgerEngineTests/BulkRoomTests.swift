import Foundation
@testable import LedgerDomain
@testable import LedgerEngine
import Testing

/// The room a fold from the genesis makes in the rules' large tables (`StateStore.bulkRoom`):
/// indexes for the counts a log's length suggests, entries' arrays for the most it could hold,
/// so that entries past a short estimate are never copied into a larger array.
@Suite struct BulkRoomTests {
    @Test func indexesForTheEstimateEntriesForTheMostALogHolds() {
        let room = StateStore.bulkRoom(logBytes: 615_609_668)
        #expect(room.references == 615_609_668 / 768 && room.idempotencyKeys == 615_609_668 / 384)
        #expect(room.entriesAtMost == 615_609_668 / 192)
        // Cut at a record: never more room than records.
        let cut = StateStore.bulkRoom(logBytes: 615_609_668, lastRecord: 999)
        #expect(cut.references == 1_000 && cut.idempotencyKeys == 1_000 && cut.entriesAtMost == 1_000)
        #expect(StateStore.bulkRoom(logBytes: 100).entriesAtMost == 0)
    }

    /// A fold from the genesis gives the rules' references and keys, and the projections'
    /// contributions, that room (`FundState.reserveBulk`, `Projections.reserveBulk`).
    @Test func aFoldFromTheGenesisReservesTheRoom() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let bytes = UInt64(try fixture.logBytes().count)
        let room = StateStore.bulkRoom(logBytes: bytes)
        let state = try StateStore.fold(fixture.logPath, from: .genesis, to: bytes, cut: .head).state
        #expect(room.entriesAtMost > 0)
        #expect(state.rules.references.recent.entries.capacity >= room.entriesAtMost)
        #expect(state.rules.idempotencyKeys.recent.entries.capacity >= room.entriesAtMost)
        #expect(state.views.contributions.recent.entries.capacity >= room.entriesAtMost)
    }

    /// One entry per 192 bytes is more than a log holds: no record is that short (its hash and
    /// the previous one alone take 146 bytes, its time 43).
    @Test func everyRecordIsLongerThanTheRoomPerEntry() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        _ = try ledger.append([EngineFixture.draft("note.recorded", by: EngineFixture.treasurer, [("text", "x")])])
        let lines = try String(decoding: fixture.logBytes(), as: UTF8.self).split(separator: "\n")
        #expect(lines.count > 5)
        #expect(lines.allSatisfy { $0.utf8.count > 192 }, "shortest: \(lines.map(\.utf8.count).min() ?? 0) bytes")
    }
}
