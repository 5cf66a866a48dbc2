import LedgerCore
import LedgerCrypto
import LedgerProofs
import Testing
@testable import LedgerStorage

/// `StreamingConsistencyProof` keeps only the subtrees a consistency proof reads: checked here
/// against the in-memory store (which keeps every subtree) for every pair of sizes up to 160.
@Suite struct MerkleCacheStreamingTests {
    static let leaves: [SHA256Digest] = (0..<160).map { Merkle.leafHash(Array("leaf \($0)".utf8)) }

    @Test func everyConsistencyProofUpTo160LeavesMatchesTheFullStore() throws {
        var store = MerkleHashStore()
        var stores: [MerkleHashStore] = [store]
        for leaf in Self.leaves {
            store.append(leafHash: leaf)
            stores.append(store)
        }
        for oldSize in UInt64(1)...160 {
            var stream = StreamingConsistencyProof(oldSize: oldSize)
            for (index, leaf) in Self.leaves.enumerated() {
                stream.append(leafHash: leaf)
                let newSize = UInt64(index + 1)
                guard newSize >= oldSize else { continue }
                let expected = try Merkle.consistencyProof(oldSize: oldSize, newSize: newSize, reader: stores[Int(newSize)])
                let streamed = try stream.proof()
                #expect(streamed == expected, "sizes \(oldSize) -> \(newSize)")
                #expect(stream.oldTreeHead == stores[Int(oldSize)].root)
                #expect(stream.treeHead == stores[Int(newSize)].root)
            }
        }
    }

    @Test func theProofVerifiesAgainstBothTreeHeads() throws {
        var stream = StreamingConsistencyProof(oldSize: 37)
        for leaf in Self.leaves.prefix(101) { stream.append(leafHash: leaf) }
        let oldHead = try #require(stream.oldTreeHead)
        try Merkle.verifyConsistency(oldSize: 37, newSize: 101, oldRoot: oldHead, newRoot: stream.treeHead,
                                     proof: try stream.proof())
    }

    @Test func anEmptyOldTreeHasAnEmptyProofAndTheEmptyHead() throws {
        var stream = StreamingConsistencyProof(oldSize: 0)
        #expect(stream.oldTreeHead == Merkle.emptyRoot)
        for leaf in Self.leaves.prefix(5) { stream.append(leafHash: leaf) }
        #expect(try stream.proof().isEmpty)
    }
}
