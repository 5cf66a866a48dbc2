import Foundation
import LedgerCore
import LedgerEngine
import LedgerProofs
import Testing

/// A key pair in files, as `ledger keygen` writes them, in a fresh temporary directory.
enum TestKeyFiles {
    static func make() throws -> (signer: String, verifier: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let texts = try NoteSigner.generate(name: "OP-ADMIN")
        let signer = base.appendingPathComponent("admin.key").path, verifier = base.appendingPathComponent("admin.pub").path
        try (texts.signerKeyText + "\n").write(toFile: signer, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: signer)
        try (texts.verifierKeyText + "\n").write(toFile: verifier, atomically: true, encoding: .utf8)
        return (signer, verifier)
    }
}

/// The library example of README.md, as written there (between the marked lines), so that it
/// stays true.
@Suite struct ReadmeExampleTests {
    @Test func theReadmeExampleRuns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-readme-\(UUID().uuidString)").path
        var heard: [String] = []
        let keys = try TestKeyFiles.make()
        let keyPath = keys.signer
        // --- README.md, "The library" ---
        var options = Ledger.Options()
        options.warn = { warning in print("ledger:", warning) }   // caches ignored, crashes repaired
        options.signer = try KeyFile.appendSigner(keyPath, outside: directory, warn: options.warn)  // a .key of `ledger keygen`
        let genesis = Genesis(origin: "ledger.example/fund", currency: "EUR", minorUnits: 2, name: "Fonds")
        let ledger = try Ledger.create(directory: directory, genesis: genesis, founder: "OP-ADMIN", options: options).ledger

        _ = try ledger.append([
            RecordDraft(type: "fund.opened", actor: "OP-ADMIN", payload: [
                "fund": "citizens", "name": "Fondation citoyenne", "pool": "citizens",
                "accepts": ["donation"], "uses": ["grant"],
            ]),
            RecordDraft(type: "note.recorded", actor: "OP-ADMIN", payload: ["text": "Statuts adoptés"]),
        ])
        let view = try ledger.view()                        // the state at the head (or `at:` a cut)
        let balances = view.projections.balances(by: .fund) // typed figures, in minor units
        let verification = try ledger.verify()              // the whole log, the fund's rules included
        assert(verification.isIntact)
        // --- end ---
        heard.append(contentsOf: balances.rows.map { $0.labels.joined(separator: " ") })
        #expect(heard == ["citizens citizens"])
        #expect(view.records == 3)
        #expect(verification.isIntact)
    }

    /// The README holds the same lines as the test above.
    @Test func theReadmeHoldsThisCode() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let start = try #require(test.range(of: "// --- README.md, \"The library\" ---\n"))
        let end = try #require(test.range(of: "        // --- end ---"))
        let lines = test[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }
        #expect(readme.contains(lines.joined(separator: "\n")), "README.md's library example differs from this test's")
    }
}
