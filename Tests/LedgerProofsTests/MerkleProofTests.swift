import LedgerCrypto
import LedgerProofs
import Testing

/// Generated trees of every size 1...64: every proof the generator makes verifies, equals the
/// RFC's recursive definition, and stops verifying when tampered with.
@Suite struct MerkleProofTests {
    static let leafHashes = sampleLeafHashes(count: 64)
    static let store = MerkleHashStore(leafHashes: leafHashes)

    @Test(arguments: 1...64)
    func rootsAgree(size: Int) throws {
        let reference = ReferenceMerkle.root(Self.leafHashes[0..<size])
        #expect(Merkle.root(leafHashes: Self.leafHashes.prefix(size)) == reference)
        #expect(try Merkle.root(size: UInt64(size), reader: Self.store) == reference)
        #expect(MerkleHashStore(leafHashes: Self.leafHashes.prefix(size)).root == reference)
    }

    @Test(arguments: 1...64)
    func inclusionProofs(size: Int) throws {
        let root = ReferenceMerkle.root(Self.leafHashes[0..<size])
        for index in 0..<size {
            let proof = try Merkle.inclusionProof(
                index: UInt64(index), size: UInt64(size), reader: Self.store)
            #expect(
                proof == ReferenceMerkle.path(index, Self.leafHashes[0..<size]), "index \(index)")
            let leafHash = Self.leafHashes[index]
            func verify(
                _ proof: [SHA256Digest], leaf: SHA256Digest = leafHash, at index: Int = index,
                size: Int = size
            ) throws {
                try Merkle.verifyInclusion(
                    leafHash: leaf, index: UInt64(index), size: UInt64(size), proof: proof,
                    root: root)
            }
            #expect(throws: Never.self) { try verify(proof) }
            for position in proof.indices {
                var tampered = proof
                tampered[position] = tampered[position].flippingBit(position * 37)
                #expect(throws: MerkleProofError.self) { try verify(tampered) }
            }
            #expect(
                throws: MerkleProofError.proofTooLong(
                    hashCount: proof.count + 1, expectedCount: proof.count)
            ) {
                try verify(proof + [root])
            }
            if !proof.isEmpty {
                #expect(
                    throws: MerkleProofError.proofTooShort(
                        hashCount: proof.count - 1, expectedCount: proof.count)
                ) {
                    try verify(Array(proof.dropLast()))
                }
            }
            #expect(throws: MerkleProofError.self) {
                try verify(proof, leaf: leafHash.flippingBit(1))
            }
            if size > 1 {
                #expect(throws: MerkleProofError.self) { try verify(proof, at: (index + 1) % size) }
            }
        }
    }

    @Test(arguments: 1...64)
    func consistencyProofs(newSize: Int) throws {
        let newRoot = ReferenceMerkle.root(Self.leafHashes[0..<newSize])
        for oldSize in 1...newSize {
            let oldRoot = ReferenceMerkle.root(Self.leafHashes[0..<oldSize])
            let proof = try Merkle.consistencyProof(
                oldSize: UInt64(oldSize), newSize: UInt64(newSize), reader: Self.store)
            let expected =
                oldSize == newSize
                ? [] : ReferenceMerkle.subproof(oldSize, Self.leafHashes[0..<newSize], true)
            #expect(proof == expected, "\(oldSize) -> \(newSize)")
            func verify(
                _ proof: [SHA256Digest], old: SHA256Digest = oldRoot, new: SHA256Digest = newRoot
            ) throws {
                try Merkle.verifyConsistency(
                    oldSize: UInt64(oldSize), newSize: UInt64(newSize), oldRoot: old, newRoot: new,
                    proof: proof)
            }
            #expect(throws: Never.self) { try verify(proof) }
            for position in proof.indices {
                var tampered = proof
                tampered[position] = tampered[position].flippingBit(position * 41 + 3)
                #expect(throws: MerkleProofError.self) { try verify(tampered) }
            }
            #expect(
                throws: MerkleProofError.proofTooLong(
                    hashCount: proof.count + 1, expectedCount: proof.count)
            ) {
                try verify(proof + [newRoot])
            }
            if !proof.isEmpty {
                #expect(
                    throws: MerkleProofError.proofTooShort(
                        hashCount: proof.count - 1, expectedCount: proof.count)
                ) {
                    try verify(Array(proof.dropLast()))
                }
            }
            #expect(throws: MerkleProofError.self) {
                try verify(proof, old: oldRoot.flippingBit(5))
            }
            #expect(throws: MerkleProofError.self) {
                try verify(proof, new: newRoot.flippingBit(5))
            }
        }
    }

    @Test func sizeErrors() throws {
        let root = Self.store.root
        #expect(throws: MerkleProofError.indexBeyondSize(index: 0, size: 0)) {
            try Merkle.verifyInclusion(
                leafHash: Self.leafHashes[0], index: 0, size: 0, proof: [], root: Merkle.emptyRoot)
        }
        #expect(throws: MerkleProofError.indexBeyondSize(index: 64, size: 64)) {
            try Merkle.verifyInclusion(
                leafHash: Self.leafHashes[0], index: 64, size: 64, proof: [], root: root)
        }
        #expect(throws: MerkleProofError.indexBeyondSize(index: 7, size: 7)) {
            _ = try Merkle.inclusionProof(index: 7, size: 7, reader: Self.store)
        }
        #expect(throws: MerkleProofError.emptyOldTree) {
            try Merkle.verifyConsistency(
                oldSize: 0, newSize: 5, oldRoot: Merkle.emptyRoot, newRoot: root, proof: [])
        }
        #expect(throws: MerkleProofError.emptyOldTree) {
            _ = try Merkle.consistencyProof(oldSize: 0, newSize: 5, reader: Self.store)
        }
        #expect(throws: MerkleProofError.oldSizeBeyondNewSize(oldSize: 6, newSize: 5)) {
            try Merkle.verifyConsistency(
                oldSize: 6, newSize: 5, oldRoot: root, newRoot: root, proof: [])
        }
        // Equal sizes: the roots must be equal and the proof empty.
        #expect(throws: Never.self) {
            try Merkle.verifyConsistency(
                oldSize: 64, newSize: 64, oldRoot: root, newRoot: root, proof: [])
        }
        #expect(
            throws: MerkleProofError.newRootMismatch(computed: root, expected: Merkle.emptyRoot)
        ) {
            try Merkle.verifyConsistency(
                oldSize: 64, newSize: 64, oldRoot: root, newRoot: Merkle.emptyRoot, proof: [])
        }
        #expect(throws: MerkleProofError.proofTooLong(hashCount: 1, expectedCount: 0)) {
            try Merkle.verifyConsistency(
                oldSize: 64, newSize: 64, oldRoot: root, newRoot: root, proof: [root])
        }
    }

    /// Sizes far beyond what we store: verification is pure arithmetic on the sizes and must
    /// neither trap nor accept. A proof of the right length but wrong hashes fails on the root.
    @Test func hugeSizesDoNotTrap() {
        let size = UInt64.max
        let proofLength = 64
        let proof = Array(Self.leafHashes.prefix(proofLength))
        let outcome = Result { () throws(MerkleProofError) in
            try Merkle.verifyInclusion(
                leafHash: Self.leafHashes[0], index: size - 1, size: size, proof: proof,
                root: Self.store.root)
        }
        #expect(throws: MerkleProofError.self) { try outcome.get() }
        #expect(throws: MerkleProofError.self) {
            try Merkle.verifyConsistency(
                oldSize: size - 1, newSize: size, oldRoot: Self.store.root,
                newRoot: Self.store.root, proof: proof)
        }
    }

    @Test func errorsReadWell() {
        let error = MerkleProofError.proofTooLong(hashCount: 4, expectedCount: 3)
        #expect(error.description == "proof has 4 hashes, 1 too many (expected 3)")
        #expect(
            MerkleProofError.proofTooShort(hashCount: 2, expectedCount: 3).description
                == "proof has 2 hashes, 1 too few (expected 3)")
    }
}
