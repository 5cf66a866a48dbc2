import LedgerCrypto

/// The seal of a cache (Specs/log-format.md, section 10.5): made by the operator who signed the
/// last covered append, right after it, and trusted only if that same key signed that append.
/// Whoever can write the ledger directory can write a cache, but not seal one.
public struct CacheSeal: Sendable, Equatable {
    public static let byteCount = 32 + 8 + 64

    /// What the seal is of: the first words of the sealed message.
    public enum Kind: String, Sendable {
        case snapshot, merkle
    }

    public let key: Ed25519.PublicKey
    /// The first record of the append that ends with the last covered record.
    public let firstSeq: UInt64
    public let signature: [UInt8]

    /// Seals `digest`, the content of a cache of `kind` covering the log up to `lastRecord`, the
    /// last record of the append `firstSeq ... lastRecord.seq` that `signer` just made.
    public init(_ kind: Kind, digest: SHA256Digest, lastRecord: Record, firstSeq: UInt64, signer: AppendSigner) {
        key = signer.publicKey
        self.firstSeq = firstSeq
        signature = signer.privateKey.sign(Self.message(kind, records: lastRecord.seq + 1, lastHash: lastRecord.hash, digest: digest))
    }

    /// The 104 bytes of a saved seal; nil unless they hold a valid key encoding.
    public init?(bytes: some Collection<UInt8>) {
        let bytes = Array(bytes)
        guard bytes.count == Self.byteCount, let key = Ed25519.PublicKey(bytes: bytes[0..<32]) else { return nil }
        self.key = key
        firstSeq = bytes[32..<40].enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        signature = Array(bytes[40..<104])
    }

    public var bytes: [UInt8] {
        key.bytes + (0..<8).map { UInt8(truncatingIfNeeded: firstSeq >> (8 * UInt64($0))) } + signature
    }

    /// `ledger.cache-seal.v1\n<kind>\n<records>\n<last hash>\n<digest>\n`.
    static func message(_ kind: Kind, records: UInt64, lastHash: SHA256Digest, digest: SHA256Digest) -> [UInt8] {
        Array("ledger.cache-seal.v1\n\(kind.rawValue)\n\(records)\n\(lastHash.hex)\n\(digest.hex)\n".utf8)
    }

    /// Whether this seals `digest`, a cache of `kind` covering the log up to `lastRecord` (read
    /// from the log and hash-checked by the caller): the seal's key signed both the append that
    /// ends with `lastRecord` and the seal.
    public func holds(_ kind: Kind, digest: SHA256Digest, lastRecord: Record) -> Bool {
        guard lastRecord.version >= 2, let appendSignature = lastRecord.signature,
              AppendSignature.holds(appendSignature, firstSeq: firstSeq, lastRecord: lastRecord, key: key) else { return false }
        return Ed25519.verify(signature: signature, message: Self.message(kind, records: lastRecord.seq + 1, lastHash: lastRecord.hash,
                                                                           digest: digest), publicKey: key)
    }
}
