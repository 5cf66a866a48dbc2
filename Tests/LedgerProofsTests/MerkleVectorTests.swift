import Foundation
import LedgerCrypto
import LedgerProofs
import Testing

/// The RFC 6962 / 9162 vectors of transparency-dev/merkle, from Fixtures/.
@Suite struct MerkleVectorTests {
    struct TreeRoots {
        var leaves: [[UInt8]] = []
        var roots: [String] = []
        var katLines: [String] = []
    }

    static func treeRoots() throws -> TreeRoots {
        var result = TreeRoots()
        for line in try Fixtures.text("merkle-tree-roots.txt").split(separator: "\n")
        where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if parts[0].hasPrefix("leaf ") {
                result.leaves.append(Hex.decode(parts.count > 1 ? parts[1] : "") ?? [])
            } else if parts[0].hasPrefix("root ") {
                result.roots.append(parts[1])
            } else {
                result.katLines.append(String(line))
            }
        }
        return result
    }

    @Test func rootsForSizesZeroToEight() throws {
        let vectors = try Self.treeRoots()
        try #require(vectors.leaves.count == 8 && vectors.roots.count == 9)
        let leafHashes = vectors.leaves.map { Merkle.leafHash($0) }
        let store = MerkleHashStore(leafHashes: leafHashes)
        for size in 0...8 {
            #expect(
                Merkle.root(leafHashes: leafHashes.prefix(size)).hex == vectors.roots[size],
                "size \(size)")
            #expect(
                try Merkle.root(size: UInt64(size), reader: store).hex == vectors.roots[size],
                "size \(size)")
        }
        #expect(Merkle.emptyRoot.hex == vectors.roots[0])
    }

    @Test func hasherKnownAnswers() throws {
        let lines = try Self.treeRoots().katLines
        try #require(lines.count == 3)
        func expected(_ prefix: String) -> String? {
            lines.first { $0.hasPrefix(prefix) }.flatMap {
                $0.split(separator: "=").last?.trimmingCharacters(in: .whitespaces)
            }
        }
        #expect(Merkle.leafHash([UInt8]()).hex == expected("leafhash(\"\")"))
        #expect(Merkle.leafHash(Array("L123456".utf8)).hex == expected("leafhash(\"L123456\")"))
        // Upstream hashes the raw 4-byte strings as children, which `Merkle.nodeHash` (digests
        // only) cannot take; this pins the 0x01 prefix rule, and the roots test pins nodeHash.
        var hasher = SHA256()
        hasher.update(byte: 0x01)
        hasher.update("N123")
        hasher.update("N456")
        #expect(hasher.finalized().hex == expected("nodehash(\"N123\",\"N456\")"))
    }

    struct InclusionVector: Decodable {
        let leafIdx: UInt64
        let treeSize: UInt64
        let root: String
        let leafHash: String
        let proof: [String]?
        let wantErr: Bool
    }

    struct ConsistencyVector: Decodable {
        let size1: UInt64
        let size2: UInt64
        let root1: String
        let root2: String
        let proof: [String]?
        let wantErr: Bool
    }

    /// nil when the base64 is bad or not 32 bytes: such a vector cannot even be expressed
    /// with our types, which counts as rejecting it.
    static func digest(_ base64: String) -> SHA256Digest? {
        guard let bytes = Base64.decode(base64), bytes.count == 32 else { return nil }
        return SHA256Digest(bytes: bytes)
    }

    @Test(arguments: Fixtures.files(in: "merkle-inclusion"))
    func inclusionVector(_ file: String) throws {
        let vector = try JSONDecoder().decode(InclusionVector.self, from: Fixtures.data(file))
        let proof = (vector.proof ?? []).map(Self.digest)
        guard let leafHash = Self.digest(vector.leafHash), let root = Self.digest(vector.root),
            !proof.contains(where: { $0 == nil })
        else {
            #expect(vector.wantErr, "a vector that does not decode must be a must-reject one")
            return
        }
        let outcome = Result { () throws(MerkleProofError) in
            try Merkle.verifyInclusion(
                leafHash: leafHash, index: vector.leafIdx, size: vector.treeSize,
                proof: proof.compactMap { $0 }, root: root)
        }
        if vector.wantErr {
            #expect(throws: MerkleProofError.self) { try outcome.get() }
        } else {
            #expect(throws: Never.self) { try outcome.get() }
        }
    }

    @Test(arguments: Fixtures.files(in: "merkle-consistency"))
    func consistencyVector(_ file: String) throws {
        let vector = try JSONDecoder().decode(ConsistencyVector.self, from: Fixtures.data(file))
        let proof = try (vector.proof ?? []).map { try #require(Self.digest($0)) }
        let oldRoot = try #require(Self.digest(vector.root1))
        let newRoot = try #require(Self.digest(vector.root2))
        let outcome = Result { () throws(MerkleProofError) in
            try Merkle.verifyConsistency(
                oldSize: vector.size1, newSize: vector.size2, oldRoot: oldRoot, newRoot: newRoot,
                proof: proof)
        }
        if vector.wantErr {
            #expect(throws: MerkleProofError.self) { try outcome.get() }
        } else {
            #expect(throws: Never.self) { try outcome.get() }
        }
    }

    @Test func fixtureCounts() {
        #expect(Fixtures.files(in: "merkle-inclusion").count == 8)
        #expect(Fixtures.files(in: "merkle-consistency").count == 7)
    }

    /// The vectors' happy paths are exactly what our generator produces for the same tree.
    @Test func generatedProofsMatchTheVectors() throws {
        let leafHashes = try Self.treeRoots().leaves.map { Merkle.leafHash($0) }
        let store = MerkleHashStore(leafHashes: leafHashes)
        for file in Fixtures.files(in: "merkle-inclusion") where file.hasSuffix("happy-path.json") {
            let vector = try JSONDecoder().decode(InclusionVector.self, from: Fixtures.data(file))
            let proof = try Merkle.inclusionProof(
                index: vector.leafIdx, size: vector.treeSize, reader: store)
            #expect(proof.map { Base64.encode($0.bytes) } == (vector.proof ?? []), "\(file)")
        }
        for file in Fixtures.files(in: "merkle-consistency") where file.hasSuffix("happy-path.json")
        {
            let vector = try JSONDecoder().decode(ConsistencyVector.self, from: Fixtures.data(file))
            let proof = try Merkle.consistencyProof(
                oldSize: vector.size1, newSize: vector.size2, reader: store)
            #expect(proof.map { Base64.encode($0.bytes) } == (vector.proof ?? []), "\(file)")
        }
    }
}
