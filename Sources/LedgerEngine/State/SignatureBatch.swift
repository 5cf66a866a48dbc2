import LedgerCrypto
import LedgerDomain

/// Appends' signatures gathered until there are enough to spread over the cores
/// (`Ed25519.verifyBatch`): they are independent once each one's key is known, so `verify`,
/// the reports and the writers check them in batches and report the first that fails in log order.
struct SignatureBatch {
    /// Enough to spread over the cores, few enough that a bad one is reported soon after it is read.
    static let size = 256

    private var pending: [(signature: PendingSignature, offset: UInt64)] = []

    /// Adds a signature (with where its record starts, for the report); true once the batch is full.
    mutating func add(_ signature: PendingSignature, offset: UInt64 = 0) -> Bool {
        pending.append((signature, offset))
        return pending.count >= Self.size
    }

    /// Verifies and empties the batch: the first signature that does not hold, if any.
    mutating func verify() -> (signature: PendingSignature, offset: UInt64)? {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll(keepingCapacity: true) }
        let results = Ed25519.verifyBatch(pending.map { (signature: $0.signature.signature, message: $0.signature.message,
                                                         publicKey: $0.signature.key) })
        return results.firstIndex(of: false).map { pending[$0] }
    }
}
