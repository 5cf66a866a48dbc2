import LedgerCrypto

/// Why a Merkle proof was refused, or could not be built.
public enum MerkleProofError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Inclusion: the leaf index is not below the tree size (every index is, for size 0).
    case indexBeyondSize(index: UInt64, size: UInt64)
    /// Consistency: the old tree is bigger than the new one.
    case oldSizeBeyondNewSize(oldSize: UInt64, newSize: UInt64)
    /// Consistency: RFC 9162 defines proofs between non-empty trees only. An empty tree is a
    /// prefix of every tree, so a caller that trusts an empty checkpoint needs no proof and
    /// must decide that explicitly rather than by accident.
    case emptyOldTree
    /// The proof has more hashes than the path for these sizes and index.
    case proofTooLong(hashCount: Int, expectedCount: Int)
    /// The proof has fewer hashes than the path for these sizes and index.
    case proofTooShort(hashCount: Int, expectedCount: Int)
    /// Inclusion: the path from the leaf does not lead to the root.
    case rootMismatch(computed: SHA256Digest, expected: SHA256Digest)
    /// Consistency: the proof does not reproduce the old root (the old tree is not a prefix).
    case oldRootMismatch(computed: SHA256Digest, expected: SHA256Digest)
    /// Consistency: the proof does not reproduce the new root.
    case newRootMismatch(computed: SHA256Digest, expected: SHA256Digest)

    public var description: String {
        switch self {
        case .indexBeyondSize(let index, let size):
            "leaf index \(index) is beyond a tree of \(size) leaves"
        case .oldSizeBeyondNewSize(let oldSize, let newSize):
            "old tree size \(oldSize) is larger than new tree size \(newSize)"
        case .emptyOldTree:
            "a consistency proof needs a non-empty old tree"
        case .proofTooLong(let hashCount, let expectedCount):
            "proof has \(hashCount) hashes, \(hashCount - expectedCount) too many (expected \(expectedCount))"
        case .proofTooShort(let hashCount, let expectedCount):
            "proof has \(hashCount) hashes, \(expectedCount - hashCount) too few (expected \(expectedCount))"
        case .rootMismatch(let computed, let expected):
            "proof leads to root \(computed.hex), expected \(expected.hex)"
        case .oldRootMismatch(let computed, let expected):
            "proof leads to old root \(computed.hex), expected \(expected.hex)"
        case .newRootMismatch(let computed, let expected):
            "proof leads to new root \(computed.hex), expected \(expected.hex)"
        }
    }

    /// Throws unless a proof of `hashCount` hashes has exactly `expectedCount`.
    static func checkLength(_ hashCount: Int, expected expectedCount: Int) throws(MerkleProofError)
    {
        if hashCount > expectedCount {
            throw .proofTooLong(hashCount: hashCount, expectedCount: expectedCount)
        }
        if hashCount < expectedCount {
            throw .proofTooShort(hashCount: hashCount, expectedCount: expectedCount)
        }
    }
}
