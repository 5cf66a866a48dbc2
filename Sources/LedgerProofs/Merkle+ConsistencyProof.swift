import LedgerCrypto

extension Merkle {
    /// The consistency proof of RFC 9162 section 2.1.4.1, PROOF(oldSize, D[0:newSize]),
    /// deepest node first; empty when the sizes are equal.
    ///
    /// SUBPROOF's recursion is unrolled into a walk down from the new root towards the old
    /// tree's last leaf. As for inclusion, every left node is a perfect subtree, at most one
    /// right node is not, so a proof takes O(log newSize) reads.
    public static func consistencyProof(
        oldSize: UInt64, newSize: UInt64, reader: some MerkleHashReader
    ) throws -> [SHA256Digest] {
        try checkConsistencySizes(oldSize: oldSize, newSize: newSize)
        guard oldSize < newSize else { return [] }
        var nodesFromRoot: [SHA256Digest] = []
        var start: UInt64 = 0
        var end = newSize
        // The RFC's flag b: whether [start, end) still begins at leaf 0, in which case the old
        // root itself is the final node and the verifier already has it.
        var startsAtZero = true
        while end != oldSize {
            let split = splitSize(end - start)
            if oldSize - start <= split {
                nodesFromRoot.append(try rangeHash(start: start + split, end: end, reader: reader))
                end = start + split
            } else {
                let level = split.trailingZeroBitCount
                nodesFromRoot.append(
                    try reader.perfectSubtreeHash(level: level, index: start >> UInt64(level)))
                start += split
                startsAtZero = false
            }
        }
        if !startsAtZero {
            nodesFromRoot.append(try rangeHash(start: start, end: end, reader: reader))
        }
        return nodesFromRoot.reversed()
    }

    /// How many hashes the consistency proof between these sizes has (0 < oldSize <= newSize).
    static func consistencyProofLength(oldSize: UInt64, newSize: UInt64) -> Int {
        precondition(oldSize > 0 && oldSize <= newSize, "sizes must satisfy 0 < old <= new")
        guard oldSize < newSize else { return 0 }
        var count = 0
        var start: UInt64 = 0
        var end = newSize
        var startsAtZero = true
        while end != oldSize {
            let split = splitSize(end - start)
            if oldSize - start <= split {
                end = start + split
            } else {
                start += split
                startsAtZero = false
            }
            count += 1
        }
        return startsAtZero ? count : count + 1
    }

    private static func checkConsistencySizes(
        oldSize: UInt64, newSize: UInt64
    ) throws(MerkleProofError) {
        guard oldSize <= newSize else {
            throw .oldSizeBeyondNewSize(oldSize: oldSize, newSize: newSize)
        }
        guard oldSize > 0 else { throw .emptyOldTree }
    }

    /// Checks a consistency proof as RFC 9162 section 2.1.4.2 prescribes: the proof must
    /// rebuild both the old root and the new root. Equal sizes need an empty proof and equal
    /// roots. The hash count is checked first, as for inclusion.
    public static func verifyConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: SHA256Digest, newRoot: SHA256Digest,
        proof: [SHA256Digest]
    ) throws(MerkleProofError) {
        try checkConsistencySizes(oldSize: oldSize, newSize: newSize)
        let expectedCount = consistencyProofLength(oldSize: oldSize, newSize: newSize)
        try MerkleProofError.checkLength(proof.count, expected: expectedCount)
        guard oldSize < newSize else {
            guard oldRoot == newRoot else {
                throw .newRootMismatch(computed: oldRoot, expected: newRoot)
            }
            return
        }
        // Step 2: when the old tree is perfect, its root is the first node of the path.
        let path = oldSize.nonzeroBitCount == 1 ? [oldRoot] + proof : proof
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldComputed = path[0]
        var newComputed = path[0]
        for node in path.dropFirst() {
            guard sn != 0 else {
                throw .proofTooLong(hashCount: proof.count, expectedCount: expectedCount)
            }
            if fn & 1 == 1 || fn == sn {
                oldComputed = nodeHash(node, oldComputed)
                newComputed = nodeHash(node, newComputed)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newComputed = nodeHash(newComputed, node)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw .proofTooShort(hashCount: proof.count, expectedCount: expectedCount)
        }
        guard oldComputed == oldRoot else {
            throw .oldRootMismatch(computed: oldComputed, expected: oldRoot)
        }
        guard newComputed == newRoot else {
            throw .newRootMismatch(computed: newComputed, expected: newRoot)
        }
    }
}
