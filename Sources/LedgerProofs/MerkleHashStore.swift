import LedgerCrypto

/// An in-memory `MerkleHashReader`: every perfect subtree hash of a growing tree, in the flat
/// order of `Merkle.storedHashIndex(level:index:)`. It is the reference for a file-backed
/// store (same layout, same checks) and the reader the tests use.
public struct MerkleHashStore: MerkleHashReader, Sendable {
    /// All perfect subtree hashes so far; `storedHashes.count == Merkle.storedHashCount(size:)`.
    public private(set) var storedHashes: [SHA256Digest] = []
    private var accumulator = MerkleAccumulator()

    public init() {}

    public init(leafHashes: some Sequence<SHA256Digest>) {
        for leafHash in leafHashes {
            self.append(leafHash: leafHash)
        }
    }

    public var size: UInt64 { self.accumulator.size }
    public var root: SHA256Digest { self.accumulator.root }

    public mutating func append(leafHash: SHA256Digest) {
        self.accumulator.append(leafHash: leafHash)
        for subtree in self.accumulator.completedSubtrees {
            let position = Merkle.storedHashIndex(level: subtree.level, index: subtree.index)
            precondition(
                position == UInt64(self.storedHashes.count),
                "completed subtrees arrive in stored order")
            self.storedHashes.append(subtree.hash)
        }
        precondition(
            UInt64(self.storedHashes.count) == Merkle.storedHashCount(size: self.size),
            "stored hash count")
    }

    public func perfectSubtreeHash(
        level: Int, index: UInt64
    ) throws(MerkleHashStoreError) -> SHA256Digest {
        // The subtree is complete when its last leaf, (index + 1) * 2^level - 1, is below size.
        guard level >= 0, level < 64, index < self.size >> UInt64(level) else {
            throw .subtreeNotComplete(level: level, index: index, size: self.size)
        }
        return self.storedHashes[Int(Merkle.storedHashIndex(level: level, index: index))]
    }
}

public enum MerkleHashStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A proof asked for a subtree that the tree of this size does not contain in full.
    case subtreeNotComplete(level: Int, index: UInt64, size: UInt64)

    public var description: String {
        switch self {
        case .subtreeNotComplete(let level, let index, let size):
            "perfect subtree at level \(level), index \(index) is not complete in a tree of \(size) leaves"
        }
    }
}

extension Merkle {
    /// Where the hash of perfect subtree (level, index) goes in a flat store written in append
    /// order: each leaf hash, then the hashes it completes, lowest level first. This is
    /// golang.org/x/mod/sumdb/tlog's `StoredHashIndex`.
    public static func storedHashIndex(level: Int, index: UInt64) -> UInt64 {
        precondition(level >= 0 && level < 63, "subtree level out of range")
        // Level L's index n is written right after level L-1's index 2n + 1; go down to level 0.
        var leafIndex = index
        for _ in 0..<level {
            let (doubled, overflow) = leafIndex.multipliedReportingOverflow(by: 2)
            precondition(!overflow && doubled < UInt64.max, "subtree index out of range")
            leafIndex = doubled + 1
        }
        precondition(leafIndex < 1 << 62, "subtree index out of range")
        // Leaf n is written after n leaves and the n/2 + n/4 + ... interior hashes they complete.
        var position: UInt64 = 0
        var remaining = leafIndex
        while remaining > 0 {
            position += remaining
            remaining >>= 1
        }
        return position + UInt64(level)
    }

    /// How many hashes a flat store holds for a tree of `size` leaves: 2 * size - popcount(size).
    public static func storedHashCount(size: UInt64) -> UInt64 {
        precondition(size < 1 << 62, "tree size out of range for a stored-hash file")
        return 2 * size - UInt64(size.nonzeroBitCount)
    }
}
