import LedgerCrypto

/// What an operator signs for each append of a version-2 log, and how it is checked
/// (Specs/log-format.md, section 10.2).
public enum AppendSignature {
    public static let signatureByteCount = Ed25519.signatureByteCount
    /// The signed message's first line: the domain separator of append signatures.
    public static let domain = "ledger.append.v2"

    /// `ledger.append.v2\n<first seq>\n<last seq>\n<last hash>\n`.
    public static func message(firstSeq: UInt64, lastSeq: UInt64, lastHash: SHA256Digest) -> [UInt8] {
        precondition(firstSeq <= lastSeq, "an append's first record comes before or is its last")
        return Array("\(domain)\n\(firstSeq)\n\(lastSeq)\n\(lastHash.hex)\n".utf8)
    }

    /// Whether `signature` signs the append `firstSeq ... record.seq` ending with `record`
    /// under `key`, by strict Ed25519.
    public static func holds(_ signature: [UInt8], firstSeq: UInt64, lastRecord record: Record, key: Ed25519.PublicKey) -> Bool {
        holds(signature, firstSeq: firstSeq, lastSeq: record.seq, lastHash: record.hash, key: key)
    }

    /// The same, given the append's last seq and hash rather than its last record.
    public static func holds(_ signature: [UInt8], firstSeq: UInt64, lastSeq: UInt64, lastHash: SHA256Digest, key: Ed25519.PublicKey) -> Bool {
        guard firstSeq <= lastSeq else { return false }
        return Ed25519.verify(signature: signature, message: message(firstSeq: firstSeq, lastSeq: lastSeq, lastHash: lastHash), publicKey: key)
    }
}

/// Who signs an append: an operator's private key (it never enters the ledger directory).
public struct AppendSigner: Sendable {
    public let privateKey: Ed25519.PrivateKey
    public var publicKey: Ed25519.PublicKey { privateKey.publicKey }

    public init(privateKey: Ed25519.PrivateKey) {
        self.privateKey = privateKey
    }

    /// The signature of the append `firstSeq ... lastRecord.seq`.
    public func sign(firstSeq: UInt64, lastRecord: Record) -> [UInt8] {
        privateKey.sign(AppendSignature.message(firstSeq: firstSeq, lastSeq: lastRecord.seq, lastHash: lastRecord.hash))
    }
}
