import LedgerCore
import LedgerCrypto

/// The idempotency keys of the log (`I15.idem-unique`), kept so that a writer answers a retried
/// append from the fund's sealed state rather than from a cache anyone could edit.
extension FundState {
    typealias IdempotencyDigest = Identifier<IdempotencyKind>

    /// A key's entry in the table: `k` and the first 84 bits of SHA-256(key) in 14 characters
    /// of base64url (RFC 4648 section 5), 15 bytes in all, which Swift keeps inside the string
    /// value: the 32 hexadecimal digits of 16 bytes took a heap allocation per key, and a ledger
    /// whose writers key every record holds one key per record (1.64 million keyed notes took
    /// 295 MB to rebuild). The writer re-reads the record a digest points to and compares its
    /// key, so a collision could never pass one record off as another (it would refuse a new key
    /// as used); at 84 bits, ten million keys meet one with a chance of about 3 in a trillion.
    static func idempotencyDigest(_ key: String) -> IdempotencyDigest {
        // 11 bytes are 15 characters; the first 14 are the first 84 bits.
        let bits = Base64.encodeURLSafe(SHA256.hash(Array(key.utf8)).bytes[0..<11]).prefix(14)
        return IdempotencyDigest(checkedText: "k" + bits)
    }

    /// The digest to record for `record`'s key, nil when it has none or (version 1, whose logs
    /// did not have the rule) when the key was used before; `I15.idem-unique` for a version-2
    /// record whose key was. Changes nothing: `apply` records the key once every rule passed.
    func idempotencyDigest(unusedBy record: Record) throws(RuleViolation) -> IdempotencyDigest? {
        guard let key = record.idempotencyKey else { return nil }
        let digest = Self.idempotencyDigest(key)
        let earlier = idempotencyKeys[digest]
        if idempotencyKeys.isDamaged { throw Self.damagedBase }
        guard let earlier else { return digest }
        guard record.version < 2 else {
            throw Rules.idempotencyUnique.violation("idempotency key \"\(key)\" was already used by the record at seq \(earlier)")
        }
        return nil
    }

    /// The seq of the record that used idempotency key `key`, if any. Throws
    /// `BulkMap.damagedRule` when the snapshot's base file turns out damaged.
    public func seq(usingIdempotencyKey key: String) throws(RuleViolation) -> UInt64? {
        let seq = idempotencyKeys[Self.idempotencyDigest(key)]
        if idempotencyKeys.isDamaged { throw Self.damagedBase }
        return seq
    }
}
