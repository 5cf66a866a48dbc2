import Foundation
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
        let result = try run(["init", "--ledger", directory, "--origin", "test.example/fund", "--name", "Fonds de test"],
                             environment: ["LEDGER_NOW": "2026-01-01T09:00:00.000000Z"])
        #expect(result.status == 0, "init failed: \(result.stderr)", sourceLocation: sourceLocation)
        return directory
    }

    static func logBytes(_ directory: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: directory + "/log.jsonl"))
    }
}
