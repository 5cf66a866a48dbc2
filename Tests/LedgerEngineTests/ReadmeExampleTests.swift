import Foundation
import LedgerCore
import LedgerEngine
import Testing

/// The library example of README.md, as written there (between the marked lines), so that it
/// stays true.
@Suite struct ReadmeExampleTests {
    @Test func theReadmeExampleRuns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-readme-\(UUID().uuidString)").path
        var heard: [String] = []
        // --- README.md, "The library" ---
        var options = Ledger.Options()
        options.warn = { warning in print("ledger:", warning) }   // caches ignored, crashes repaired
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
