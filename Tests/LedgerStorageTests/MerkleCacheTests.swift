import Foundation
import LedgerCore
import LedgerCrypto
import LedgerProofs
import Testing
@testable import LedgerStorage

/// The proof cache against the log and against the in-memory reference store.
@Suite struct MerkleCacheTests {
    /// A ledger with `count` notes after the genesis record.
    static func ledger(notes count: Int) throws -> LedgerPaths {
        let clock = ManualClock()
        let paths = try StorageFixture.newLedger(clock: clock)
        if count > 0 { _ = try LedgerWriter(paths: paths).append((1...count).map { StorageFixture.note($0) }, clock: clock) }
        return paths
    }

    /// Every record's leaf hash, from a full verification's point of view (decoded lines).
    static func referenceStore(_ paths: LedgerPaths) throws -> MerkleHashStore {
        let lines = String(decoding: try StorageFixture.bytes(paths.log), as: UTF8.self).split(separator: "\n")
        return MerkleHashStore(leafHashes: try lines.map { RecordLeaf.hash(try RecordCodec.decodeChecked(line: Array($0.utf8)).hash) })
    }

    static func link(_ line: [UInt8]) -> Result<ChainLink, ChainLink.Problem> {
        line.withUnsafeBytes { buffer in Result { () throws(ChainLink.Problem) in try ChainLink.parse(buffer) } }
    }

    static func write(_ bytes: [UInt8], into path: String, at offset: UInt64) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    @Test func treeHeadAndProofsMatchTheReference() throws {
        let paths = try Self.ledger(notes: 40)
        let reference = try Self.referenceStore(paths)
        let cache = try MerkleCache.open(paths: paths)
        #expect(cache.recordCount == 41)
        #expect(try cache.treeHead(size: 41) == reference.root)
        #expect(try cache.treeHead(size: 41) == StorageFixture.verify(paths).treeHead)
        for index in UInt64(0)..<41 {
            #expect(try cache.inclusionProof(index: index, size: 41) == Merkle.inclusionProof(index: index, size: 41, reader: reference))
            #expect(try cache.record(seq: index).record.seq == index)
        }
        for oldSize in UInt64(1)...41 {
            #expect(try cache.consistencyProof(oldSize: oldSize, newSize: 41)
                    == Merkle.consistencyProof(oldSize: oldSize, newSize: 41, reader: reference))
        }
        #expect(cache.notices.isEmpty, "a missing cache is built without a notice")
    }

    @Test func itCatchesUpWhenTheLogGrowsWithoutARebuild() throws {
        let paths = try Self.ledger(notes: 10)
        let before = try MerkleCache.open(paths: paths).treeHead(size: 11)
        _ = try LedgerWriter(paths: paths).append((11...30).map { StorageFixture.note($0) }, clock: ManualClock("2026-03-02T10:00:00.000000Z"))
        let cache = try MerkleCache.open(paths: paths)
        #expect(cache.recordCount == 31)
        #expect(cache.notices.isEmpty)
        #expect(try cache.treeHead(size: 11) == before)
        #expect(try cache.treeHead(size: 31) == Self.referenceStore(paths).root)
    }

    @Test(arguments: ["garbage header", "garbage peak", "garbage everywhere", "offsets missing", "log rewritten", "log truncated"])
    func anUnusableCacheIsRebuiltAndCorrect(damage: String) throws {
        let paths = try Self.ledger(notes: 20)
        _ = try MerkleCache.open(paths: paths)
        switch damage {
        case "garbage header":
            try Self.write(Array(repeating: 0x5A, count: 64), into: paths.merkleHashes, at: 8)
        case "garbage peak":
            // The last stored hash is leaf 20, a peak of the 21-leaf tree: the tree head changes.
            let size = try #require((try FileManager.default.attributesOfItem(atPath: paths.merkleHashes)[.size] as? NSNumber)?.uint64Value)
            try Self.write(Array(repeating: 0x11, count: 32), into: paths.merkleHashes, at: size - 32)
        case "garbage everywhere":
            try Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: paths.merkleHashes))
        case "offsets missing":
            try FileManager.default.removeItem(atPath: paths.recordOffsets)
        case "log rewritten":
            // Same number of records, another history: the last record's hash differs.
            var lines = String(decoding: try StorageFixture.bytes(paths.log), as: UTF8.self).split(separator: "\n").map(String.init)
            lines.removeLast(5)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: paths.log))
            _ = try LedgerWriter(paths: paths).append((100...104).map { StorageFixture.note($0) }, clock: ManualClock("2026-03-05T10:00:00.000000Z"))
        default:
            var lines = String(decoding: try StorageFixture.bytes(paths.log), as: UTF8.self).split(separator: "\n").map(String.init)
            lines.removeLast(3)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: paths.log))
        }
        let reference = try Self.referenceStore(paths)
        let cache = try MerkleCache.open(paths: paths)
        #expect(cache.notices.count == 1, "\(damage): \(cache.notices)")
        #expect(cache.recordCount == reference.size)
        #expect(try cache.treeHead(size: reference.size) == reference.root)
        #expect(try cache.inclusionProof(index: 3, size: reference.size) == Merkle.inclusionProof(index: 3, size: reference.size, reader: reference))
    }

    @Test func aDamagedInnerHashIsCaughtByTheCallersCheckAndARebuild() throws {
        let paths = try Self.ledger(notes: 10)
        let reference = try Self.referenceStore(paths)
        _ = try MerkleCache.open(paths: paths)
        // Leaf 0 is no peak of an 11-leaf tree: opening does not notice, a proof using it does.
        try Self.write(Array(repeating: 0xEE, count: 32), into: paths.merkleHashes, at: UInt64(CacheHeader.byteCount))
        let cache = try MerkleCache.open(paths: paths)
        #expect(cache.notices.isEmpty)
        let leaf = RecordLeaf.hash(try cache.record(seq: 1).record.hash)
        let proof = try cache.retryingAfterRebuild("test") { cache throws(MerkleCacheError) in
            let proof = try cache.inclusionProof(index: 1, size: 11)
            return (try? Merkle.verifyInclusion(leafHash: leaf, index: 1, size: 11, proof: proof, root: reference.root)) != nil ? proof : nil
        }
        #expect(proof == (try Merkle.inclusionProof(index: 1, size: 11, reader: reference)))
        #expect(cache.notices.count == 1)
    }

    /// The break is found where it is, whether the lines' links are parsed on one thread (a
    /// short catch-up) or on every core (3,000 records: batches of more than 1,024 lines).
    @Test(arguments: [(10, 7), (3_000, 2_500)])
    func aBrokenChainStopsTheCacheAtTheLastGoodRecord(_ notes: Int, _ broken: Int) throws {
        let paths = try Self.ledger(notes: notes)
        var lines = String(decoding: try StorageFixture.bytes(paths.log), as: UTF8.self).split(separator: "\n").map(String.init)
        lines[broken] = lines[broken].replacingOccurrences(of: "\"note \(broken)\"", with: "\"note X\"")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: paths.log))
        #expect {
            try MerkleCache.open(paths: paths)
        } throws: { error in
            guard case MerkleCacheError.brokenLog(let seq, _, let reason) = error else { return false }
            return seq == UInt64(broken) && reason.contains("stored hash")
        }
    }

    @Test func chainLinksAgreeWithTheFullDecoder() throws {
        let paths = try Self.ledger(notes: 5)
        let lines = String(decoding: try StorageFixture.bytes(paths.log), as: UTF8.self).split(separator: "\n").map { Array($0.utf8) }
        var previous = SHA256Digest.zero
        for line in lines {
            let record = try RecordCodec.decodeChecked(line: line)
            let link = try Self.link(line).get()
            #expect(link.seq == record.seq && link.hash.digest == record.hash)
            #expect(Array(line[link.prevHex]) == Array(previous.hex.utf8))
            previous = record.hash
        }
    }

    @Test func aHashInUppercaseHexIsRefused() throws {
        let paths = try Self.ledger(notes: 2)
        let line = String(String(decoding: try StorageFixture.bytes(paths.log), as: UTF8.self).split(separator: "\n")[1])
        let start = try #require(line.range(of: #""hash":""#)).upperBound
        let end = line.index(start, offsetBy: 64)
        let changed = line[..<start] + line[start..<end].uppercased() + line[end...]
        #expect(changed != line)
        #expect(throws: ChainLink.Problem.shape("a hash is not lowercase hex")) { try Self.link(Array(changed.utf8)).get() }
    }

    /// The word-at-a-time hex decoder against the obvious one, for every byte in every position.
    @Test func hexWordsDecodeExactlyTheLowercaseDigits() {
        func reference(_ digits: [UInt8]) -> UInt32? {
            var value: UInt32 = 0
            for (index, byte) in digits.enumerated() {
                guard let digit = "0123456789abcdef".utf8.firstIndex(of: byte) else { return nil }
                let nibble = UInt32("0123456789abcdef".utf8.distance(from: "0123456789abcdef".utf8.startIndex, to: digit))
                value |= nibble << UInt32(index % 2 == 0 ? 4 + 8 * (index / 2) : 8 * (index / 2))
            }
            return value
        }
        let base = Array("0f9a6b3c".utf8)
        for position in 0..<8 {
            for byte in UInt8.min...UInt8.max {
                var digits = base
                digits[position] = byte
                let word = digits.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
                #expect(LineReader.hexWord(word) == reference(digits), "byte \(byte) at \(position)")
            }
        }
    }

    @Test(arguments: [
        (#""hash":"#, #""hsah":"#), (#","v":1}"#, #","v":2}"#), (#""seq":3"#, #""seq":03"#), ("note 3", "note Z"),
        (#","prev":""#, #","prev" :""#),
    ])
    func aLineThatIsNotAChainLinkIsRefused(change: (String, String)) throws {
        let paths = try Self.ledger(notes: 5)
        let line = String(decoding: try StorageFixture.bytes(paths.log), as: UTF8.self).split(separator: "\n")[3]
        let changed = Array(line.replacingOccurrences(of: change.0, with: change.1).utf8)
        #expect(changed != Array(line.utf8))
        #expect(throws: ChainLink.Problem.self) { try Self.link(changed).get() }
    }
}
