import Foundation
import Testing

/// Helpers of the proof tests: ledgers with notes, key pairs, signed checkpoints, the
/// independent Python checkers. The suite below checks the checkers' own Ed25519 and Merkle
/// code against published vectors, so their verdicts in the other tests mean something.
enum ProofFixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let scripts = repository.appendingPathComponent("scripts")

    /// A ledger whose records are the genesis and `count` notes ("note 1" ...).
    static func ledger(notes count: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let ledger = try LedgerProcess.makeLedger(sourceLocation: sourceLocation)
        try append(notes: 1...count, to: ledger, sourceLocation: sourceLocation)
        return ledger
    }

    static func append(notes: ClosedRange<Int>, to ledger: String, text: String = "note",
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let batch = Data(notes.map { #"{"type":"note.recorded","payload":{"text":"\#(text) \#($0)"}}"# }.joined(separator: "\n").utf8)
        let result = try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-"], stdin: batch)
        #expect(result.status == 0, "append failed: \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// A key pair: (path of the .key, path of the .pub).
    static func keys(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (key: String, pub: String) {
        let prefix = LedgerProcess.temporaryPath(name)
        let result = try LedgerProcess.run(["keygen", "--name", name, "--output", prefix])
        #expect(result.status == 0, "keygen failed: \(result.stderr)", sourceLocation: sourceLocation)
        return (prefix + ".key", prefix + ".pub")
    }

    /// `ledger checkpoint --sign` into a new file; returns its path.
    static func signedCheckpoint(_ ledger: String, key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = LedgerProcess.temporaryPath("checkpoint")
        let result = try LedgerProcess.run(["checkpoint", "--ledger", ledger, "--sign", key, "--output", path])
        #expect(result.status == 0, "checkpoint --sign failed: \(result.stderr)", sourceLocation: sourceLocation)
        return path
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static func write(_ text: String, _ name: String = "file") throws -> String {
        let path = LedgerProcess.temporaryPath(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func rewriteLog(_ ledger: String, _ change: (inout [String]) -> Void) throws {
        var lines = String(decoding: try LedgerProcess.logBytes(ledger), as: UTF8.self).split(separator: "\n").map(String.init)
        change(&lines)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: ledger + "/log.jsonl"))
    }

    /// Runs `python3 scripts/<script> <arguments>`, with `stdin` as its standard input.
    static func python(_ script: String, _ arguments: [String], stdin: String? = nil) throws -> LedgerProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scripts.appendingPathComponent(script).path] + arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return LedgerProcess.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                    stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A JSON string literal's body for `text` (the canonical escapes our bundles use).
    static func jsonEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

@Suite struct ProofFixtureTests {
    /// The Python checkers' Ed25519 and Merkle code on published vectors, through a small driver.
    @Test func theIndependentCheckersPassPublishedVectors() throws {
        let fixtures = ProofFixture.repository.appendingPathComponent("Tests")
        let driver = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        from tlog_verify import *
        vectors = json.load(open(sys.argv[2]))["vectors"]
        for v in vectors:
            pk, msg, sig = bytes.fromhex(v["publicKey"]), bytes.fromhex(v["message"]), bytes.fromhex(v["signature"])
            assert ed25519_verify(pk, msg, sig), v["name"]
            assert not ed25519_verify(pk, msg + b"!", sig), v["name"]
            s = int.from_bytes(sig[32:], "little") + L
            assert not ed25519_verify(pk, msg, sig[:32] + s.to_bytes(32, "little")), "S + L must be refused"
        text, signatures = split_note(open(sys.argv[3]).read())
        assert check_signatures(text, signatures, load_verifier_keys(sys.argv[4])) == ["PeterNeumann+c74f20a3"]
        import base64, os
        b = base64.b64decode
        checked = 0
        for folder in ["merkle-consistency", "merkle-inclusion"]:
            for name in sorted(os.listdir(sys.argv[5] + "/" + folder)):
                c = json.load(open(sys.argv[5] + "/" + folder + "/" + name))
                try:
                    if folder == "merkle-consistency":
                        verify_consistency(c["size1"], c["size2"], b(c["root1"]), b(c["root2"]), [b(h) for h in c["proof"] or []])
                    else:
                        verify_inclusion(b(c["leafHash"]), c["leafIdx"], c["treeSize"], [b(h) for h in c["proof"] or []], b(c["root"]))
                    assert not c["wantErr"], name
                except Invalid:
                    assert c["wantErr"], name
                checked += 1
        print("ok", len(vectors), checked)
        """
        let proofs = fixtures.appendingPathComponent("LedgerProofsTests/Fixtures")
        let driverPath = try ProofFixture.write(driver, "driver.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", driverPath, ProofFixture.scripts.path,
                             fixtures.appendingPathComponent("LedgerCryptoTests/Fixtures/rfc8032-ed25519.json").path,
                             proofs.appendingPathComponent("peterneumann.note").path,
                             proofs.appendingPathComponent("peterneumann.vkey").path,
                             proofs.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output == "ok 5 15\n")
    }
}
