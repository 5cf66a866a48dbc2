import Foundation
import LedgerCore
import LedgerEngine
import Testing

/// A retried append comes back `existing`, found in the fund's sealed state (or in a fold of the
/// log), never in a cache that someone without a key could edit to make a retry land twice.
@Suite struct IdempotencyTests {
    static func keyed(_ reference: String, cents: Int64) -> RecordDraft {
        var draft = EngineFixture.donation(reference, cents: cents)
        draft.idempotencyKey = "bank:" + reference
        return draft
    }

    /// A ledger whose snapshot's base file holds the key: every append saves a snapshot and
    /// rewrites the base.
    static func ledgerWithKeyInBase() throws -> (EngineFixture, Record) {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let eager = try fixture.reopen {
            $0.snapshots.tailRecordsMin = 1
            $0.snapshots.baseEntriesMin = 1
        }
        let original = try eager.append([Self.keyed("VIR-1", cents: 1_000)])[0].record
        _ = try eager.append([Self.keyed("VIR-2", cents: 2_000)])
        return (fixture, original)
    }

    @Test func aRetryFromTheSealedStateWritesNothing() throws {
        let (fixture, original) = try Self.ledgerWithKeyInBase()
        let before = try fixture.logBytes()
        let retry = try fixture.reopen().append([Self.keyed("VIR-1", cents: 1_000)])
        #expect(retry == [.existing(original)])
        #expect(try fixture.logBytes() == before)
        #expect(fixture.warnings.messages.isEmpty, "\(fixture.warnings.messages)")
    }

    @Test func aRetryWithOtherContentIsRefused() throws {
        let (fixture, original) = try Self.ledgerWithKeyInBase()
        let before = try fixture.logBytes()
        #expect(throws: LedgerError.self) { try fixture.reopen().append([Self.keyed("VIR-1", cents: 9_000)]) }
        do {
            _ = try fixture.reopen().append([Self.keyed("VIR-1", cents: 9_000)])
        } catch {
            #expect("\(error)".contains("record \(original.seq) with a different payload"), "\(error)")
        }
        #expect(try fixture.logBytes() == before)
    }

    /// No cache at all: the key is found by folding the log.
    @Test func aRetryWithoutAnyCacheIsStillFound() throws {
        let (fixture, original) = try Self.ledgerWithKeyInBase()
        try FileManager.default.removeItem(atPath: fixture.directory + "/cache")
        let before = try fixture.logBytes()
        #expect(try fixture.reopen().append([Self.keyed("VIR-1", cents: 1_000)]) == [.existing(original)])
        #expect(try fixture.logBytes() == before)
    }

    /// The key's row erased from the snapshot's base file (its page hash recomputed would need
    /// the core's digest, and that the seal): the damage is seen, the log folded, the key found.
    @Test func aBaseFileWithoutTheKeyCannotMakeARetryLandTwice() throws {
        let (fixture, original) = try Self.ledgerWithKeyInBase()
        let snapshots = fixture.snapshots
        for name in try FileManager.default.contentsOfDirectory(atPath: snapshots) where name.hasPrefix("bulk-") {
            let url = URL(fileURLWithPath: snapshots + "/" + name)
            var bytes = try Data(contentsOf: url)
            for index in stride(from: 64, to: bytes.count, by: 97) { bytes[index] ^= 0x20 }
            try bytes.write(to: url)
        }
        let before = try fixture.logBytes()
        #expect(try fixture.reopen().append([Self.keyed("VIR-1", cents: 1_000)]) == [.existing(original)])
        #expect(try fixture.logBytes() == before)
        #expect(!fixture.warnings.messages.isEmpty, "the damaged base was said")
    }

    /// The keys of a batch: one retried, one new, one twice.
    @Test func aBatchMixingRetriesAndNewKeys() throws {
        let (fixture, original) = try Self.ledgerWithKeyInBase()
        let outcomes = try fixture.reopen().append([
            Self.keyed("VIR-1", cents: 1_000), Self.keyed("VIR-3", cents: 3_000), Self.keyed("VIR-3", cents: 3_000),
        ])
        #expect(outcomes[0] == .existing(original))
        guard case .appended(let new) = outcomes[1] else { Issue.record("\(outcomes[1])"); return }
        #expect(outcomes[2] == outcomes[1])
        #expect(try fixture.reopen().append([Self.keyed("VIR-3", cents: 3_000)]) == [.existing(new)])
    }
}
