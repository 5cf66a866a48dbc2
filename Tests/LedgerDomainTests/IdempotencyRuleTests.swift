import LedgerCore
import Testing
@testable import LedgerDomain

/// `I15.idem-unique`: the idempotency keys the fund's state keeps, so that a writer answers a
/// retry from sealed state rather than from a cache anyone could edit.
@Suite struct IdempotencyRuleTests {
    @Test func aVersion2KeyIsUsedOnce() throws {
        var fold = Fold.world()
        fold.accept(E.contribution("VIR-1", amount: eur(50)).keyed("bank:VIR-1"))
        let seq = fold.seq - 1
        #expect(try fold.state.seq(usingIdempotencyKey: "bank:VIR-1") == seq)
        let message = fold.refuse("I15.idem-unique", E.note("the same key again").keyed("bank:VIR-1"))
        #expect(message.contains("seq \(seq)"))
        fold.accept(E.note("another key").keyed("bank:VIR-2"))
        #expect(try fold.state.seq(usingIdempotencyKey: "bank:VIR-2") == seq + 1)
        #expect(try fold.state.seq(usingIdempotencyKey: "bank:VIR-3") == nil)
    }

    /// A key's digest: `k` and the first 84 bits of its SHA-256 in base64url, 15 bytes, an
    /// identifier Swift keeps inside the string (no heap allocation per key). The expected texts
    /// are Python's `"k" + base64.urlsafe_b64encode(hashlib.sha256(key).digest())[:14]`.
    @Test func aKeysDigestIsFifteenCharactersOfItsSHA256() {
        let expected = ["bank:VIR-1": "kVgY1VDKKGw-k-C", "N-1": "kpblHltVJ0Gsbyf", "retry-me": "kKak-9FMU_K1W6F"]
        for (key, text) in expected {
            let digest = FundState.idempotencyDigest(key)
            #expect(digest.text == text, "\(key)")
            #expect(digest.text.utf8.count == 15 && FieldRules.isIdentifier(digest.text))
        }
    }

    /// A record refused by another rule leaves its key unused: the corrected retry may take it.
    @Test func aRefusedRecordDoesNotUseItsKey() throws {
        var fold = Fold.world()
        fold.refuse("I0.unknown-reference", E.contribution("VIR-9", party: "P-404", amount: eur(5)).keyed("retry-me"))
        #expect(try fold.state.seq(usingIdempotencyKey: "retry-me") == nil)
        fold.accept(E.contribution("VIR-9", amount: eur(5)).keyed("retry-me"))
    }

    /// Version 1 had no such rule: a key seen twice there is accepted, and the first use is the one kept.
    @Test func aVersion1LogMayHaveUsedAKeyTwice() throws {
        var fold = Fold.world()
        fold.version = 1
        fold.accept(E.note("first").keyed("K"))
        let first = fold.seq - 1
        fold.accept(E.note("second").keyed("K"))
        #expect(try fold.state.seq(usingIdempotencyKey: "K") == first)
    }

    /// Keys are any printable ASCII, which no identifier is: the table holds their digests.
    @Test func keysOfAnyPrintableCharacterAreKept() throws {
        var fold = Fold.world()
        let keys = ["x@y.example/import#12", "~!{}", String(repeating: "~", count: 128), "K"]
        for (index, key) in keys.enumerated() { fold.accept(E.note("note \(index)").keyed(key)) }
        let first = fold.seq - UInt64(keys.count)
        for (index, key) in keys.enumerated() { #expect(try fold.state.seq(usingIdempotencyKey: key) == first + UInt64(index), "\(key)") }
    }
}
