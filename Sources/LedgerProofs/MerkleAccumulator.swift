import LedgerCrypto

/// The root of a growing tree, fed one leaf hash at a time, in O(log n) memory.
///
/// It keeps one hash per set bit of `size`: the roots of the perfect subtrees that tile the
/// leaves so far, biggest (leftmost) first, like the carries of a binary counter. Appending
/// merges equal-sized neighbours, so a million appends cost a million node hashes in total.
/// Each append also reports the perfect subtrees it completed, so storage can persist them
/// and later serve proofs through a `MerkleHashReader` without rehashing.
public struct MerkleAccumulator: Sendable {
    public private(set) var size: UInt64 = 0
    /// Roots of the tiling perfect subtrees, biggest first; `peaks.count == size.nonzeroBitCount`.
    private var peaks: [SHA256Digest] = []
    /// The perfect subtrees completed by the last `append`, level 0 (the leaf) first; their
    /// order is the order of `Merkle.storedHashIndex`, so they can be written out as they come.
    public private(set) var completedSubtrees: [MerkleSubtree] = []

    public init() {
        self.peaks.reserveCapacity(64)
        self.completedSubtrees.reserveCapacity(64)
    }

    /// Resumes the accumulator of a tree of `size` leaves from its stored subtree hashes
    /// (one read per set bit of `size`) instead of re-appending every leaf.
    public init(size: UInt64, reader: some MerkleHashReader) throws {
        self.init()
        var position: UInt64 = 0
        for level in stride(from: 63, through: 0, by: -1) where (size >> UInt64(level)) & 1 == 1 {
            self.peaks.append(
                try reader.perfectSubtreeHash(level: level, index: position >> UInt64(level)))
            position += 1 << UInt64(level)
        }
        self.size = size
        precondition(
            position == size && self.peaks.count == size.nonzeroBitCount, "peaks must tile the tree"
        )
    }

    public mutating func append(leafHash: SHA256Digest) {
        precondition(self.size < UInt64.max, "a Merkle tree holds fewer than 2^64 leaves")
        let index = self.size
        self.completedSubtrees.removeAll(keepingCapacity: true)
        self.completedSubtrees.append(MerkleSubtree(level: 0, index: index, hash: leafHash))
        var hash = leafHash
        var level = 0
        // Every trailing one bit of the old size is a peak as big as `hash`: merge with it.
        while (index >> UInt64(level)) & 1 == 1 {
            hash = Merkle.nodeHash(self.peaks.removeLast(), hash)
            level += 1
            self.completedSubtrees.append(
                MerkleSubtree(level: level, index: index >> UInt64(level), hash: hash))
        }
        self.peaks.append(hash)
        self.size += 1
        precondition(self.peaks.count == self.size.nonzeroBitCount, "one peak per set bit of size")
    }

    /// MTH of all leaves appended so far (`Merkle.emptyRoot` for none).
    public var root: SHA256Digest {
        guard var hash = self.peaks.last else { return Merkle.emptyRoot }
        for peak in self.peaks.dropLast().reversed() {
            hash = Merkle.nodeHash(peak, hash)
        }
        return hash
    }
}
