import LedgerCrypto

extension Merkle {
    /// The audit path of RFC 9162 section 2.1.3.1, PATH(index, D[0:size]), leaf's sibling first.
    ///
    /// The recursion is unrolled into a walk down from the root. Every left sibling on the way
    /// is a perfect subtree (one read); at most one right sibling is not, and costs one read
    /// per set bit of its size. So a proof takes O(log size) reads, whatever the size.
    public static func inclusionProof(
        index: UInt64, size: UInt64, reader: some MerkleHashReader
    ) throws -> [SHA256Digest] {
        guard index < size else { throw MerkleProofError.indexBeyondSize(index: index, size: size) }
        var siblingsFromRoot: [SHA256Digest] = []
        var start: UInt64 = 0
        var end = size
        while end - start > 1 {
            let split = splitSize(end - start)
            if index - start < split {
                siblingsFromRoot.append(
                    try rangeHash(start: start + split, end: end, reader: reader))
                end = start + split
            } else {
                let level = split.trailingZeroBitCount
                siblingsFromRoot.append(
                    try reader.perfectSubtreeHash(level: level, index: start >> UInt64(level)))
                start += split
            }
        }
        precondition(start == index, "the walk must end at the leaf")
        return siblingsFromRoot.reversed()
    }

    /// How many hashes the audit path of `index` in a tree of `size` leaves has.
    static func inclusionProofLength(index: UInt64, size: UInt64) -> Int {
        precondition(index < size, "index must be below size")
        var count = 0
        var start: UInt64 = 0
        var end = size
        while end - start > 1 {
            let split = splitSize(end - start)
            if index - start < split { end = start + split } else { start += split }
            count += 1
        }
        return count
    }

    /// Checks an audit path as RFC 9162 section 2.1.3.2 prescribes, after first checking that
    /// it has exactly the number of hashes the index and size call for (so the error can say
    /// "too long" or "too short" instead of only "mismatch").
    public static func verifyInclusion(
        leafHash: SHA256Digest, index: UInt64, size: UInt64, proof: [SHA256Digest],
        root: SHA256Digest
    ) throws(MerkleProofError) {
        guard index < size else { throw .indexBeyondSize(index: index, size: size) }
        let expectedCount = inclusionProofLength(index: index, size: size)
        try MerkleProofError.checkLength(proof.count, expected: expectedCount)
        var fn = index
        var sn = size - 1
        var computed = leafHash
        for sibling in proof {
            // Cannot happen after the length check; kept because it is the RFC's own guard.
            guard sn != 0 else {
                throw .proofTooLong(hashCount: proof.count, expectedCount: expectedCount)
            }
            if fn & 1 == 1 || fn == sn {
                computed = nodeHash(sibling, computed)
                // A right-edge node with no sibling at these levels is carried up unchanged.
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                computed = nodeHash(computed, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw .proofTooShort(hashCount: proof.count, expectedCount: expectedCount)
        }
        guard computed == root else { throw .rootMismatch(computed: computed, expected: root) }
    }
}
