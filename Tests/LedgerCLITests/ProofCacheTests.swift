import Foundation
import Testing

/// The proof cache through the built binary: derivable (deleted, stale, corrupt: rebuilt and
/// still right) and never part of `ledger verify`'s verdict.
@Suite struct ProofCacheTests {
    /// The tree head a full `ledger verify` computes, for comparison.
    static func verifiedTreeHead(_ ledger: String) throws -> String {
        let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(object?["tree_head"] as? String)
    }

    static func checkpointHead(_ ledger: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (String, LedgerProcess.Result) {
        let result = try LedgerProcess.run(["checkpoint", "--ledger", ledger])
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        return (String(result.stdout.split(separator: "\n").last ?? ""), result)
    }

    static func overwrite(_ path: String, at offset: UInt64, with bytes: [UInt8]) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    @Test func aDeletedCacheIsRebuilt() throws {
        let ledger = try ProofFixture.ledger(notes: 12)
        let (first, _) = try Self.checkpointHead(ledger)
        #expect(FileManager.default.fileExists(atPath: ledger + "/cache/merkle.hashes"))
        #expect(FileManager.default.fileExists(atPath: ledger + "/cache/offsets"))
        try FileManager.default.removeItem(atPath: ledger + "/cache")
        let (again, _) = try Self.checkpointHead(ledger)
        #expect(again == first)
        #expect(again == (try Self.verifiedTreeHead(ledger)))
    }

    @Test func aStaleCacheCatchesUpWhenTheLogGrows() throws {
        let ledger = try ProofFixture.ledger(notes: 7)
        let (before, _) = try Self.checkpointHead(ledger)
        try ProofFixture.append(notes: 8...30, to: ledger)
        let (after, result) = try Self.checkpointHead(ledger)
        #expect(after != before)
        #expect(result.stdout.hasPrefix("test.example/fund\n31\n"))
        #expect(after == (try Self.verifiedTreeHead(ledger)))
        #expect(result.stderr.isEmpty, "catching up is not a rebuild")
    }

    @Test(arguments: ["garbage file", "garbage inner hash", "garbage offsets", "history rewritten"])
    func aCorruptCacheIsRebuiltAndTheProofIsStillRight(damage: String) throws {
        let ledger = try ProofFixture.ledger(notes: 10)
        let treasurer = try ProofFixture.keys("treasurer")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        #expect(try LedgerProcess.run(["prove", "1", "--ledger", ledger, "--checkpoint", checkpoint]).status == 0)
        let hashes = ledger + "/cache/merkle.hashes", offsets = ledger + "/cache/offsets"
        switch damage {
        case "garbage file":
            try Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: hashes))
        case "garbage inner hash":
            // Leaf 0 (the first stored hash, after the 128-byte header) is not a peak of 11 leaves,
            // but record 1's proof starts with it.
            try Self.overwrite(hashes, at: 128, with: Array(repeating: 0xAB, count: 32))
        case "garbage offsets":
            try Self.overwrite(offsets, at: 128 + 8, with: Array(repeating: 0x01, count: 8))
        default:
            // Same records, rewritten and re-chained after the checkpoint was signed: FORKED, and
            // the cache (built on the old history) must not hide it.
            try FileManager.default.removeItem(atPath: ledger + "/log.jsonl")
            let other = try LedgerProcess.makeLedger()
            try ProofFixture.append(notes: 1...10, to: other, text: "other")
            try FileManager.default.copyItem(atPath: other + "/log.jsonl", toPath: ledger + "/log.jsonl")
        }
        let result = try LedgerProcess.run(["prove", "1", "--ledger", ledger, "--checkpoint", checkpoint])
        if damage == "history rewritten" {
            #expect(result.status == 1)
            #expect(result.stderr.contains("FORKED"))
            #expect(result.stderr.contains("rebuilt"))
            return
        }
        #expect(result.status == 0, "\(damage): \(result.stderr)")
        #expect(result.stderr.contains("rebuilt"), "\(damage): \(result.stderr)")
        let checked = try LedgerProcess.run(["verify-proof", "-", "--key", treasurer.pub], stdin: Data(result.stdout.utf8))
        #expect(checked.status == 0, "\(damage): \(checked.stdout)")
        #expect(try Self.checkpointHead(ledger).0 == (try Self.verifiedTreeHead(ledger)))
    }

    @Test func aCorruptPeakDoesNotChangeTheCheckpoint() throws {
        let ledger = try ProofFixture.ledger(notes: 10)
        let (head, _) = try Self.checkpointHead(ledger)
        // The last stored hash is leaf 10, a peak of the 11-leaf tree, so the tree head depends on it.
        let hashes = ledger + "/cache/merkle.hashes"
        let size = try #require((try FileManager.default.attributesOfItem(atPath: hashes)[.size] as? NSNumber)?.uint64Value)
        try Self.overwrite(hashes, at: size - 32, with: Array(repeating: 0x11, count: 32))
        let (again, result) = try Self.checkpointHead(ledger)
        #expect(again == head)
        #expect(result.stderr.contains("rebuilt"))
    }

    @Test func verifyNeitherReadsNorWritesTheCache() throws {
        let ledger = try ProofFixture.ledger(notes: 9)
        let treasurer = try ProofFixture.keys("treasurer")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        try ProofFixture.append(notes: 10...20, to: ledger)
        let arguments = ["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", treasurer.pub, "--json"]
        // Appends keep the proof cache (sealed); verify neither reads nor changes it.
        let cache = { () -> [String: Data] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: ledger + "/cache")) ?? []
            return Dictionary(uniqueKeysWithValues: names.compactMap { name in
                (try? Data(contentsOf: URL(fileURLWithPath: ledger + "/cache/" + name))).map { (name, $0) }
            })
        }
        let before = cache()
        let withoutCache = try LedgerProcess.run(arguments)
        #expect(withoutCache.status == 0)
        #expect(cache() == before, "verify does not touch the cache")

        // A cache that lies: consistent with itself, wrong about the log.
        #expect(try LedgerProcess.run(["checkpoint", "--ledger", ledger]).status == 0)
        let hashes = ledger + "/cache/merkle.hashes"
        let size = try #require((try FileManager.default.attributesOfItem(atPath: hashes)[.size] as? NSNumber)?.uint64Value)
        try Self.overwrite(hashes, at: 128, with: Array(repeating: 0x42, count: Int(size) - 128))
        let cacheBefore = try Data(contentsOf: URL(fileURLWithPath: hashes))
        let withBadCache = try LedgerProcess.run(arguments)
        #expect(withBadCache.status == withoutCache.status)
        #expect(withBadCache.stdout == withoutCache.stdout)
        #expect(try Data(contentsOf: URL(fileURLWithPath: hashes)) == cacheBefore, "verify leaves the cache alone")

        // And a corrupt cache does not hide a real fork from verify.
        try ProofFixture.rewriteLog(ledger) { lines in lines[4] = lines[4].replacingOccurrences(of: "note 4", with: "note 0") }
        let broken = try LedgerProcess.run(arguments)
        #expect(broken.status == 1)
        #expect(broken.stdout.contains(#""kind":"HASH_MISMATCH""#))
    }
}
