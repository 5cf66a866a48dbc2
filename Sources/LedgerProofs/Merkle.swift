import LedgerCrypto

/// The Merkle Tree Hash of RFC 9162 section 2.1 (unchanged from RFC 6962), over SHA-256.
///
/// Leaves and interior nodes are hashed with different one-byte prefixes (0x00 and 0x01),
/// so no leaf can pose as an interior node, and an odd last node is carried up unpaired,
/// never duplicated (the Bitcoin CVE-2012-2459 pitfall). The split point of a tree of n > 1
/// leaves is the largest power of two below n.
public enum Merkle {
    /// MTH({}) = SHA-256 of the empty string.
    public static let emptyRoot: SHA256Digest = SHA256.hash([])

    /// SHA-256(0x00 || data).
    public static func leafHash(_ data: some Collection<UInt8>) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(byte: 0x00)
        let hashed: Void? = data.withContiguousStorageIfAvailable {
            hasher.update(UnsafeRawBufferPointer($0))
        }
        if hashed == nil {
            hasher.update(Array(data))
        }
        return hasher.finalized()
    }

    /// SHA-256(0x01 || left || right).
    public static func nodeHash(_ left: SHA256Digest, _ right: SHA256Digest) -> SHA256Digest {
        SHA256.hash(prefix: 0x01, left, right)   // runs once per leaf when rooting a tree
    }

    /// MTH of the given leaf hashes, in one streaming pass with O(log n) memory.
    public static func root(leafHashes: some Sequence<SHA256Digest>) -> SHA256Digest {
        var accumulator = MerkleAccumulator()
        for leafHash in leafHashes {
            accumulator.append(leafHash: leafHash)
        }
        return accumulator.root
    }

    /// MTH of the first `size` leaves, from O(log size) perfect-subtree reads.
    public static func root(size: UInt64, reader: some MerkleHashReader) throws -> SHA256Digest {
        guard size > 0 else { return emptyRoot }
        return try rangeHash(start: 0, end: size, reader: reader)
    }

    /// The largest power of two strictly below `count` (the RFC's k), for count > 1.
    static func splitSize(_ count: UInt64) -> UInt64 {
        precondition(count > 1, "only a tree of two or more leaves has a split point")
        return 1 << (63 - UInt64((count - 1).leadingZeroBitCount))
    }

    /// MTH of leaves [start, end): the perfect subtrees that tile the range, biggest first,
    /// folded from the right, which is what the RFC's recursion computes. `start` must be a
    /// multiple of the biggest of them, as every range the proofs need is.
    static func rangeHash(
        start: UInt64, end: UInt64, reader: some MerkleHashReader
    ) throws -> SHA256Digest {
        precondition(start < end, "a range hash needs at least one leaf")
        let count = end - start
        let biggestLevel = 63 - count.leadingZeroBitCount
        precondition(start & ((1 << UInt64(biggestLevel)) - 1) == 0, "range start must be aligned")
        var tiles: [SHA256Digest] = []
        var position = start
        for level in stride(from: biggestLevel, through: 0, by: -1)
        where (count >> UInt64(level)) & 1 == 1 {
            tiles.append(
                try reader.perfectSubtreeHash(level: level, index: position >> UInt64(level)))
            position += 1 << UInt64(level)
        }
        precondition(position == end, "tiles must cover the range exactly")
        var hash = tiles[tiles.count - 1]
        for tile in tiles.dropLast().reversed() {
            hash = nodeHash(tile, hash)
        }
        return hash
    }
}
