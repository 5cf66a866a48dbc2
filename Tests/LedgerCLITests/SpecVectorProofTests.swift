import Foundation
import LedgerCrypto
import Testing

/// The vector families of Specs/vectors/ that are not a log alone (Specs/vectors.md): every
/// checkpoint, signed note and key file gets from `ledger verify --checkpoint` the verdict
/// written next to it, every inclusion bundle gets its verdict from `ledger verify-proof`,
/// `ledger consistency` writes every producible consistency evidence byte for byte, `ledger
/// checkpoint` prints valid/'s tree head, and strict Ed25519 accepts exactly the signatures
/// ed25519/vectors.json says. The expected verdicts come from what the generator built or broke.
@Suite struct SpecVectorProofTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Specs/vectors")

    static func cases(_ family: String) -> [String] {
        let directory = root.appendingPathComponent(family)
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0)/expected.txt").path) }
            .map { "\(family)/\($0)" }
            .sorted()
    }

    static var checkpointCases: [String] { cases("checkpoints") + cases("notes") + cases("key-files") }

    static func expected(_ name: String) throws -> String {
        let text = try String(contentsOf: root.appendingPathComponent("\(name)/expected.txt"), encoding: .utf8)
        return String(text.split(separator: "\n")[0])
    }

    static func path(_ name: String, _ file: String) -> String { root.appendingPathComponent("\(name)/\(file)").path }

    static func exists(_ name: String, _ file: String) -> Bool { FileManager.default.fileExists(atPath: path(name, file)) }

    /// A fresh ledger directory holding a copy of a log.
    static func ledger(copying log: String) throws -> String {
        let directory = LedgerProcess.temporaryPath()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: log, toPath: directory + "/log.jsonl")
        return directory
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    @Test func thereAreVectorsForEveryProofFamily() throws {
        #expect(Self.cases("checkpoints").count >= 15)
        #expect(Self.cases("notes").count >= 20)
        #expect(Self.cases("key-files").count >= 12)
        #expect(Self.cases("bundles").count >= 20)
        #expect(Self.cases("evidence").count >= 15)
        for kind in ["ORIGIN_MISMATCH", "TRUNCATED", "FORKED", "BAD_SIGNATURE checkpoint", "MALFORMED checkpoint", "MALFORMED key"] {
            #expect(try Self.checkpointCases.contains { try Self.expected($0) == kind }, "\(kind)")
        }
    }

    /// `ledger verify --checkpoint`, in the words of expected.txt: a checkpoint's verdicts name
    /// no record, a malformed checkpoint or key file is exit status 2 (its words are the tool's).
    @Test(arguments: checkpointCases)
    func checkpointGetsItsVerdict(name: String) throws {
        let expected = try Self.expected(name)
        let log = Self.exists(name, "log.jsonl") ? Self.path(name, "log.jsonl") : Self.path("valid", "log.jsonl")
        var arguments = ["verify", "--ledger", try Self.ledger(copying: log), "--json", "--checkpoint", Self.path(name, "checkpoint")]
        if Self.exists(name, "trusted.pub") { arguments += ["--key", Self.path(name, "trusted.pub")] }
        let result = try LedgerProcess.run(arguments, environment: ["LEDGER_KEY": ""])
        if expected.hasPrefix("MALFORMED") {
            #expect(result.status == 2, "\(name): \(result.stdout) \(result.stderr)")
            return
        }
        let document = try #require(Self.object(result.stdout), "\(name): \(result.stderr)")
        var verdict: String
        if let failure = document["failure"] as? [String: Any], let kind = failure["kind"] as? String {
            if let line = failure["line"] as? Int {
                verdict = "\(kind) seq=\(failure["seq"] as? Int ?? -1) line=\(line) offset=\(failure["offset"] as? Int ?? -1)"
            } else {
                verdict = kind == "BAD_SIGNATURE" ? "BAD_SIGNATURE checkpoint" : kind
            }
        } else {
            verdict = "INTACT \(document["records"] as? Int ?? -1)"
            if document["clock"] as? String == "simulated" { verdict += " clock=simulated" }
            let signatures = (document["checkpoint"] as? [String: Any])?["signatures"] as? [String: Any]
            verdict += " signatures=\(signatures?["status"] as? String ?? "?")"
        }
        #expect(verdict == expected, "\(name)")
        let kind = expected.split(separator: " ")[0]
        #expect(result.status == (kind == "INTACT" ? 0 : kind == "TORN_TAIL" ? 3 : 1), "\(name)")
    }

    /// `ledger verify-proof`: the kind (RECORD_INVALID naming the record's failure kind) and the exit status.
    @Test(arguments: cases("bundles"))
    func bundleGetsItsVerdict(name: String) throws {
        let expected = try Self.expected(name)
        let result = try LedgerProcess.run(["verify-proof", Self.path(name, "bundle.json"), "--key", Self.path(name, "trusted.pub"), "--json"],
                                           environment: ["LEDGER_KEY": ""])
        let document = try #require(Self.object(result.stdout), "\(name): \(result.stderr)")
        let words = expected.split(separator: " ").map(String.init)
        if words[0] == "VALID" {
            #expect(document["status"] as? String == "valid", "\(name): \(result.stdout)")
            #expect(result.status == 0)
            return
        }
        #expect(document["kind"] as? String == words[0], "\(name): \(result.stdout)")
        for word in words.dropFirst() { #expect((document["message"] as? String ?? "").contains(word), "\(name): \(result.stdout)") }
        #expect(result.status == (words[0] == "MALFORMED_BUNDLE" ? 2 : 1), "\(name)")
    }

    /// `ledger consistency --from stored` writes the vector's evidence.json, byte for byte.
    @Test(arguments: cases("evidence").filter { exists($0, "stored") })
    func consistencyWritesTheEvidence(name: String) throws {
        let expected = try Self.expected(name)
        let output = LedgerProcess.temporaryPath("evidence.json")
        let result = try LedgerProcess.run(["consistency", "--ledger", try Self.ledger(copying: Self.path(name, "log.jsonl")),
                                            "--from", Self.path(name, "stored"), "--output", output], environment: ["LEDGER_KEY": ""])
        #expect(result.status == (expected == "HOLDS CONSISTENT" ? 0 : 1), "\(name): \(result.stderr)")
        let written = try Data(contentsOf: URL(fileURLWithPath: output))
        #expect(written == (try Data(contentsOf: URL(fileURLWithPath: Self.path(name, "evidence.json")))), "\(name)")
    }

    /// valid/ and valid-v1/ give their tree heads: `ledger checkpoint` prints their checkpoint files.
    @Test(arguments: ["valid", "valid-v1"])
    func checkpointPrintsTheTreeHead(name: String) throws {
        let result = try LedgerProcess.run(["checkpoint", "--ledger", try Self.ledger(copying: Self.path(name, "log.jsonl"))],
                                           environment: ["LEDGER_KEY": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try String(contentsOfFile: Self.path(name, "checkpoint"), encoding: .utf8)))
    }

    struct Ed25519Vector: Decodable, CustomTestStringConvertible {
        let name, publicKey, message, signature, why: String
        let valid: Bool
        enum CodingKeys: String, CodingKey { case name, publicKey = "public_key", message, signature, why, valid }
        var testDescription: String { name }
    }

    static var ed25519Vectors: [Ed25519Vector] {
        let data = (try? Data(contentsOf: root.appendingPathComponent("ed25519/vectors.json"))) ?? Data()
        return (try? JSONDecoder().decode([Ed25519Vector].self, from: data)) ?? []
    }

    @Test func thereAreEd25519Vectors() {
        #expect(Self.ed25519Vectors.count >= 10)
        #expect(Self.ed25519Vectors.contains { $0.valid } && Self.ed25519Vectors.contains { !$0.valid })
    }

    /// Strict verification (Specs/proofs.md section 3): a key that does not parse verifies nothing.
    @Test(arguments: ed25519Vectors)
    func ed25519AcceptsExactlyTheValidSignatures(vector: Ed25519Vector) throws {
        let bytes = { (hex: String) in try #require(Hex.decode(hex), "\(vector.name)") }
        let accepted = try Ed25519.PublicKey(bytes: bytes(vector.publicKey)).map {
            Ed25519.verify(signature: try bytes(vector.signature), message: try bytes(vector.message), publicKey: $0)
        } ?? false
        #expect(accepted == vector.valid, "\(vector.name): \(vector.why)")
    }
}
