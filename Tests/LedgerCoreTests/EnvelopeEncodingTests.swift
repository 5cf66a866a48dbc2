import LedgerCrypto
import LedgerJSON
import Testing
@testable import LedgerCore

/// A record's line is written member by member (`RecordCodec.envelope`), not through a
/// `JSONObject`: its bytes must be exactly those the canonical encoder gives the same object,
/// for every kind of member a draft can bring (an idempotency key with quotes and backslashes,
/// text to normalize, nested payloads, the largest seq), in both format versions.
@Suite struct EnvelopeEncodingTests {
    static func canonical(_ draft: RecordDraft, seq: UInt64, prev: SHA256Digest, recordedAt: Timestamp,
                          effective: CalendarDate, version: Int64) -> [UInt8] {
        var object = JSONObject([
            ("actor", .string(draft.actor)), ("effective", .string(effective.description)),
            ("payload", .object(draft.payload)), ("prev", .string(prev.hex)),
            ("recorded_at", .string(recordedAt.description)), ("seq", .integer(Int64(seq))),
            ("type", .string(draft.type)), ("v", .integer(version)),
        ])
        if let key = draft.idempotencyKey { object["idem"] = .string(key) }
        return CanonicalJSON.encode(.object(object))
    }

    static let drafts: [RecordDraft] = [
        RecordDraft(type: "note.recorded", actor: "OP-1", payload: JSONObject()),
        RecordDraft(type: "contribution.recorded", actor: "OP-SAISIE", idempotencyKey: "VIR-2024-0001",
                    payload: ["amount": 5000, "fund": "citoyens-IDF", "instrument": "donation", "party": "P-000531"]),
        RecordDraft(type: "note.recorded", actor: "OP-1", idempotencyKey: #"a "quoted" \ key ~!"#,
                    payload: ["text": "e\u{301}te\u{301} \u{1F600} \"tab\"\t", "list": [1, "b", ["c": [:]], []], "nested": ["z": 1, "a": ["y": false, "b": .null]]]),
        RecordDraft(type: "decision.recorded", actor: "OP-SECRETAIRE",
                    payload: ["adopted": true, "tally": ["abstain": 0, "against": 1, "for": 8, "recused": 0], "ballot": "B-1"]),
    ]

    @Test(arguments: [Int64(1), 2])
    func theLineIsTheCanonicalEncodingOfTheRecord(version: Int64) throws {
        let prev = SHA256.hash(Array("previous".utf8))
        let recordedAt = try #require(Timestamp("2026-12-06T16:01:22.776438Z"))
        let effective = try #require(CalendarDate("2024-08-19"))
        for (index, draft) in Self.drafts.enumerated() {
            for seq in [UInt64(1), 499_999, UInt64(JSONValue.integerRange.upperBound)] {
                let written = RecordCodec.envelope(draft: draft, seq: seq, prev: prev, recordedAt: recordedAt,
                                                   effective: effective, version: version)
                let expected = Self.canonical(draft, seq: seq, prev: prev, recordedAt: recordedAt, effective: effective, version: version)
                #expect(written == expected, "draft \(index), seq \(seq)")
            }
        }
    }
}
