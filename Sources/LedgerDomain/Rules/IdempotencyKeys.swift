import LedgerCore
import LedgerCrypto

/// The idempotency keys of the log (`I15.idem-unique`), kept so that a writer answers a retried
/// append from the fund's sealed state rather than from a cache anyone could edit.
extension FundState {
    typealias IdempotencyDigest = Identifier<IdempotencyKind>

    /// A key's entry in the table: the hex of the first 16 bytes of SHA-256(key). The writer
    /// re-reads the record a digest points to and compares its key, so a collision could never
    /// pass one record off as another; 128 bits make one unheard of anyway.
    static func idempotencyDigest(_ key: String) -> IdempotencyDigest {
        IdempotencyDigest(checkedText: Hex.encode(SHA256.hash(Array(key.utf8)).bytes[0..<16]))
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
