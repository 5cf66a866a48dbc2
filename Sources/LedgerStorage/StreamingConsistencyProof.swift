import LedgerCrypto
import LedgerProofs

/// The consistency proof from a fixed old size to wherever a stream of leaves ends, built
/// during `ledger verify`'s one pass without the proof cache and in O(log n) memory.
///
/// `Merkle.consistencyProof(oldSize: m, newSize: n)` reads perfect subtrees of two kinds
/// only: those on the path from leaf m - 1 to the root, with their siblings (for every level L,
/// indices `(m - 1) >> L` and its neighbour `((m - 1) >> L) ^ 1`), and the peaks of the final
/// tree (the last subtree completed at each level), which tile the right edge. Both sets hold
/// at most 64 hashes each, so the stream keeps those as they complete and nothing else.
/// `MerkleCacheStreamingTests` checks this against the in-memory store for every m <= n <= 160.
public struct StreamingConsistencyProof: Sendable {
    public let oldSize: UInt64
    private var tree = MerkleAccumulator()
    private var kept: [SubtreeKey: SHA256Digest] = [:]
    /// The last completed subtree at each level: at the end, the peaks of the final tree.
    private var latest: [SHA256Digest?] = Array(repeating: nil, count: 64)
    /// The tree head after exactly `oldSize` leaves, once reached.
    public private(set) var oldTreeHead: SHA256Digest?

    struct SubtreeKey: Hashable, Sendable {
        let level: Int
        let index: UInt64
    }

    public init(oldSize: UInt64) {
        self.oldSize = oldSize
        if oldSize == 0 { oldTreeHead = Merkle.emptyRoot }
    }

    public var size: UInt64 { tree.size }
    public var treeHead: SHA256Digest { tree.root }

    public mutating func append(leafHash: SHA256Digest) {
        tree.append(leafHash: leafHash)
        for subtree in tree.completedSubtrees {
            latest[subtree.level] = subtree.hash
            if isOnOldPath(level: subtree.level, index: subtree.index) {
                kept[SubtreeKey(level: subtree.level, index: subtree.index)] = subtree.hash
            }
        }
        if tree.size == oldSize { oldTreeHead = tree.root }
        precondition(kept.count <= 128, "at most two kept subtrees per level")
    }

    /// The proof from `oldSize` to `size` (RFC 9162 section 2.1.4.1); empty when the sizes are
    /// equal or the old tree is empty. Needs `size >= oldSize`.
    public func proof() throws -> [SHA256Digest] {
        precondition(size >= oldSize, "the stream has not reached the old size")
        guard oldSize > 0 else { return [] }
        return try Merkle.consistencyProof(oldSize: oldSize, newSize: size, reader: Reader(stream: self))
    }

    private func isOnOldPath(level: Int, index: UInt64) -> Bool {
        guard oldSize > 0, level < 64 else { return false }
        let pathIndex = (oldSize - 1) >> UInt64(level)
        return index == pathIndex || index == pathIndex ^ 1
    }

    private struct Reader: MerkleHashReader {
        let stream: StreamingConsistencyProof

        func perfectSubtreeHash(level: Int, index: UInt64) throws -> SHA256Digest {
            if let hash = stream.kept[SubtreeKey(level: level, index: index)] { return hash }
            let completeAtLevel = level < 64 ? stream.size >> UInt64(level) : 0
            if completeAtLevel > 0, index == completeAtLevel - 1, let hash = stream.latest[level] { return hash }
            throw MerkleHashStoreError.subtreeNotComplete(level: level, index: index, size: stream.size)
        }
    }
}
