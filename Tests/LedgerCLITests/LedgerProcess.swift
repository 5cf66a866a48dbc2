import Foundation
import LedgerCrypto
import LedgerProofs
import Testing

/// Runs the built `ledger` binary, the way a clerk or a script does.
struct LedgerProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let binary: URL = {
        let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ledger")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let nextToBundle = Bundle.main.bundleURL.appendingPathComponent("ledger")
        return nextToBundle
    }()

    /// A fresh temporary directory (not created: `ledger init` creates the ledger directory).
    static func temporaryPath(_ name: String = "ledger") -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        return base.appendingPathComponent(name).path
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
                    executable: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        var env = ["PATH": "/usr/bin:/bin", "LEDGER_OPERATOR": "OP-CLERK"]
        for (key, value) in environment { env[key] = value }
        // The test operator (--operator, else LEDGER_OPERATOR) signs with their test key, unless
        // the test says otherwise.
        let named = arguments.firstIndex(of: "--operator").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        if env["LEDGER_KEY"] == nil, let actor = named ?? env["LEDGER_OPERATOR"] { env["LEDGER_KEY"] = try TestKeys.signerFile(actor) }
        if env["LEDGER_KEY"] == "" { env["LEDGER_KEY"] = nil }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Creates a ledger with a fixed clock and returns its directory.
    static func makeLedger(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let directory = temporaryPath()
        let result = try run(["init", "--ledger", directory, "--origin", "test.example/fund", "--name", "Fonds de test", "--simulated-clock"],
                             environment: ["LEDGER_NOW": "2026-01-01T09:00:00.000000Z"])
        #expect(result.status == 0, "init failed: \(result.stderr)", sourceLocation: sourceLocation)
        return directory
    }

    static func logBytes(_ directory: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: directory + "/log.jsonl"))
    }
}

/// Deterministic operator keys for the tests: the seed of a name's key is the SHA-256 of the
/// name; its key files are written once per process, outside every ledger directory.
enum TestKeys {
    static let directory: String = {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-test-keys-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        return base.path
    }()
    static let lock = NSLock()

    static func privateKey(_ name: String) -> Ed25519.PrivateKey { Ed25519.PrivateKey(seed: SHA256.hash(Array(name.utf8)).bytes) }

    /// The base64 public key, as a payload holds it.
    static func publicKey(_ name: String) -> String { Base64.encode(privateKey(name).publicKey.bytes) }

    /// The signer key file (`PREFIX.key` of `ledger keygen`) of `name`, mode 0600.
    static func signerFile(_ name: String) throws -> String {
        let (signer, verifier) = try texts(name)
        _ = try write(verifier, to: directory + "/\(name).pub")
        return try write(signer, to: directory + "/\(name).key")
    }

    /// The verifier key file (`PREFIX.pub`) of `name`.
    static func verifierFile(_ name: String) throws -> String {
        _ = try signerFile(name)
        return directory + "/\(name).pub"
    }

    /// A JSON line of the setup with the key of every `operator.registered` it holds.
    static func keyed(_ line: String) -> String {
        guard line.contains("\"operator.registered\""), let start = line.range(of: "\"operator\":\""),
              let end = line[start.upperBound...].firstIndex(of: "\"") else { return line }
        let name = String(line[start.upperBound..<end])
        return line.replacingOccurrences(of: "\"payload\":{", with: "\"payload\":{\"key\":\"\(publicKey(name))\",")
    }

    static func texts(_ name: String) throws -> (signer: String, verifier: String) {
        let key = privateKey(name)
        let verifier = try NoteVerifier(name: name, publicKey: key.publicKey)
        return ("PRIVATE+KEY+\(verifier.description)+\(Base64.encode([1] + key.seed))\n", verifier.keyText + "\n")
    }

    static func write(_ text: String, to path: String) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if !FileManager.default.fileExists(atPath: path) {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
        return path
    }
}
