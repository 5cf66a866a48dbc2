import LedgerCrypto

/// A source of hashes of perfect subtrees: `perfectSubtreeHash(level: L, index: i)` is the
/// MTH of leaves [i * 2^L, (i + 1) * 2^L). Level 0 is the leaf hashes themselves.
///
/// Proof generation needs only these, O(log n) of them per proof. `MerkleHashStore` keeps
/// them in memory; a storage layer can keep them in a file laid out by
/// `Merkle.storedHashIndex(level:index:)` (the layout of golang.org/x/mod/sumdb/tlog), and
/// throw its own errors (I/O, a subtree not yet complete) from here.
public protocol MerkleHashReader {
    func perfectSubtreeHash(level: Int, index: UInt64) throws -> SHA256Digest
}

/// A perfect subtree and its hash, as completed by `MerkleAccumulator.append(leafHash:)`.
public struct MerkleSubtree: Sendable, Hashable {
    public let level: Int
    public let index: UInt64
    public let hash: SHA256Digest

    public init(level: Int, index: UInt64, hash: SHA256Digest) {
        self.level = level
        self.index = index
        self.hash = hash
    }
}
