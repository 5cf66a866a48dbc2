import LedgerCrypto
import LedgerProofs
import Testing

@Suite struct MerkleAccumulatorTests {
    @Test func emptyTree() {
        let accumulator = MerkleAccumulator()
        #expect(accumulator.size == 0)
        #expect(accumulator.root == Merkle.emptyRoot)
        #expect(
            Merkle.emptyRoot.hex
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Merkle.root(leafHashes: [SHA256Digest]()) == Merkle.emptyRoot)
    }

    /// After every append, the reported subtrees are exactly the perfect subtrees that end at
    /// the new leaf, with the hashes the recursive definition gives, lowest level first.
    @Test func completedSubtreesAreTheOnesEndingAtTheNewLeaf() {
        let leafHashes = sampleLeafHashes(count: 70)
        var accumulator = MerkleAccumulator()
        for (index, leafHash) in leafHashes.enumerated() {
            accumulator.append(leafHash: leafHash)
            #expect(accumulator.size == UInt64(index + 1))
            #expect(accumulator.root == ReferenceMerkle.root(leafHashes[0...index]))
            let newSize = index + 1
            let expectedLevels = Array(0...newSize.trailingZeroBitCount)
            #expect(accumulator.completedSubtrees.map(\.level) == expectedLevels)
            for subtree in accumulator.completedSubtrees {
                let width = 1 << subtree.level
                #expect(Int(subtree.index) == index >> subtree.level)
                let start = Int(subtree.index) * width
                #expect(subtree.hash == ReferenceMerkle.root(leafHashes[start..<start + width]))
            }
        }
    }

    /// The tlog layout: hashes in append order, level 0 first.
    @Test func storedHashLayoutIsAppendOrder() {
        // Written out by hand from the layout: leaf 0, leaf 1, node (1, 0), leaf 2, leaf 3,
        // node (1, 1), node (2, 0), leaf 4, ...
        let known: [(level: Int, index: UInt64, position: UInt64)] = [
            (0, 0, 0), (0, 1, 1), (1, 0, 2), (0, 2, 3), (0, 3, 4), (1, 1, 5), (2, 0, 6), (0, 4, 7),
        ]
        for entry in known {
            #expect(
                Merkle.storedHashIndex(level: entry.level, index: entry.index) == entry.position)
        }
        #expect(
            (0...9).map { Merkle.storedHashCount(size: $0) } == [0, 1, 3, 4, 7, 8, 10, 11, 15, 16])
        var store = MerkleHashStore()
        for leafHash in sampleLeafHashes(count: 40) {
            store.append(leafHash: leafHash)
            #expect(UInt64(store.storedHashes.count) == Merkle.storedHashCount(size: store.size))
        }
    }

    @Test func storeRefusesIncompleteSubtrees() throws {
        let store = MerkleHashStore(leafHashes: sampleLeafHashes(count: 6))
        #expect(throws: Never.self) { _ = try store.perfectSubtreeHash(level: 2, index: 0) }
        #expect(throws: Never.self) { _ = try store.perfectSubtreeHash(level: 1, index: 2) }
        #expect(throws: MerkleHashStoreError.subtreeNotComplete(level: 2, index: 1, size: 6)) {
            _ = try store.perfectSubtreeHash(level: 2, index: 1)
        }
        #expect(throws: MerkleHashStoreError.subtreeNotComplete(level: 0, index: 6, size: 6)) {
            _ = try store.perfectSubtreeHash(level: 0, index: 6)
        }
        #expect(throws: MerkleHashStoreError.self) {
            _ = try store.perfectSubtreeHash(level: -1, index: 0)
        }
        #expect(throws: MerkleHashStoreError.self) {
            _ = try store.perfectSubtreeHash(level: 64, index: 0)
        }
        #expect(throws: MerkleHashStoreError.self) {
            _ = try Merkle.inclusionProof(index: 3, size: 7, reader: store)
        }
    }

    @Test func resumesFromStoredHashes() throws {
        let leafHashes = sampleLeafHashes(count: 45)
        let store = MerkleHashStore(leafHashes: leafHashes)
        for size in 0...45 {
            var resumed = try MerkleAccumulator(size: UInt64(size), reader: store)
            #expect(resumed.root == ReferenceMerkle.root(leafHashes[0..<size]))
            if size < 45 {
                resumed.append(leafHash: leafHashes[size])
                #expect(resumed.root == ReferenceMerkle.root(leafHashes[0...size]))
            }
        }
    }

    /// Reads per proof stay logarithmic: a reader that counts.
    @Test func proofsReadLogarithmicallyManyHashes() throws {
        struct CountingReader: MerkleHashReader {
            let store: MerkleHashStore
            let counter: Counter
            func perfectSubtreeHash(level: Int, index: UInt64) throws -> SHA256Digest {
                self.counter.count += 1
                return try self.store.perfectSubtreeHash(level: level, index: index)
            }
        }
        final class Counter { var count = 0 }
        let size = 100_000
        let reader = CountingReader(
            store: MerkleHashStore(leafHashes: sampleLeafHashes(count: size)), counter: Counter())
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let index = generator.next() % UInt64(size)
            reader.counter.count = 0
            _ = try Merkle.inclusionProof(index: index, size: UInt64(size), reader: reader)
            #expect(
                reader.counter.count <= 2 * 17,
                "inclusion of \(index) read \(reader.counter.count) hashes")
            let oldSize = generator.next() % UInt64(size) + 1
            reader.counter.count = 0
            _ = try Merkle.consistencyProof(oldSize: oldSize, newSize: UInt64(size), reader: reader)
            #expect(
                reader.counter.count <= 2 * 17,
                "consistency from \(oldSize) read \(reader.counter.count) hashes")
        }
    }
}
