import LedgerCore
import LedgerCrypto
import Synchronization

extension KeyEvidence {
    /// What one ledger's checks of the evidence found, kept for its next checks: an append
    /// computes the registry up to three times (the evidence's update, then the seals of the
    /// proof cache and of the snapshot), each parsing the file, decompressing every key and
    /// verifying every key event's signature again (0.8 of the 1.1 ms it took per one-record
    /// append). A `Ledger` holds one; calls without one start afresh.
    ///
    /// What is kept are facts about bytes (these bytes parse to these entries, this key signed
    /// this message), found by this process: the files are read again at each check, so
    /// nothing in the directory can forge them.
    public final class Checks: Sendable {
        /// The most signatures and keys kept: a registry has one entry per key event, and past
        /// this a log's checks are only no longer kept.
        static let keptMax = 4_096

        private let signatures = Mutex<Set<[UInt8]>>([])
        private let keys = Mutex<[[UInt8]: Ed25519.PublicKey]>([:])
        private let lastParsed = Mutex<(bytes: [UInt8], parsed: (scanned: UInt64, entries: [Entry])?)?>(nil)

        public init() {}

        /// `AppendSignature.holds`, kept when true.
        func holds(_ signature: [UInt8], firstSeq: UInt64, lastRecord: Record, key: Ed25519.PublicKey) -> Bool {
            guard firstSeq <= lastRecord.seq else { return false }
            let fact = key.bytes + AppendSignature.message(firstSeq: firstSeq, lastSeq: lastRecord.seq, lastHash: lastRecord.hash) + signature
            if signatures.withLock({ $0.contains(fact) }) { return true }
            guard AppendSignature.holds(signature, firstSeq: firstSeq, lastRecord: lastRecord, key: key) else { return false }
            signatures.withLock { if $0.count < Self.keptMax { $0.insert(fact) } }
            return true
        }

        /// The key these bytes encode (a point's decompression is a square root), kept by its bytes.
        func key(_ bytes: [UInt8]) -> Ed25519.PublicKey? {
            if let known = keys.withLock({ $0[bytes] }) { return known }
            guard let key = Ed25519.PublicKey(bytes: bytes) else { return nil }
            keys.withLock { if $0.count < Self.keptMax { $0[bytes] = key } }
            return key
        }

        /// `parse(bytes)`, kept for the last bytes parsed.
        func parsed(_ bytes: [UInt8], _ parse: ([UInt8]) -> (scanned: UInt64, entries: [Entry])?) -> (scanned: UInt64, entries: [Entry])? {
            if let known = lastParsed.withLock({ $0?.bytes == bytes ? $0 : nil }) { return known.parsed }
            let parsed = parse(bytes)
            lastParsed.withLock { $0 = (bytes, parsed) }
            return parsed
        }
    }
}
