import Foundation
import Testing

/// The ledger of Specs/events.md's Appendix A, built through the CLI (`ledger init`, then one
/// `ledger append --batch` per run of lines by the same operator): record N is line N of the
/// appendix. The report tests compare their output with figures computed by hand from it.
struct AppendixLedger {
    static let now = "2025-07-01T09:00:00.000000Z"
    let directory: String

    /// The appendix's lines, from the spec itself.
    static let lines: [String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Specs/events.md")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var lines: [String] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```jsonl" { inside = true } else if line == "```" { inside = false } else if inside { lines.append(String(line)) }
        }
        return lines
    }()

    static func make(snapshotTailMin: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> AppendixLedger {
        let ledger = AppendixLedger(directory: LedgerProcess.temporaryPath())
        let created = try LedgerProcess.run(["init", "--ledger", ledger.directory, "--origin", "ledger.operation-milliard.example/fund",
                                             "--name", "Opération Milliard", "--operator", "OP-FONDATEUR", "--date", "2024-03-26",
                                             "--simulated-clock"],
                                            environment: ["LEDGER_NOW": now, "LEDGER_OPERATOR": "OP-FONDATEUR"])
        #expect(created.status == 0, "init: \(created.stderr)", sourceLocation: sourceLocation)
        // One append per record, each signed by its operator: a cut of the log at any record is
        // then a log of whole appends (a cut inside an append would leave it unfinished).
        var runs: [(actor: String, lines: [String])] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let actor = object["actor"] as! String
            // The batch line: the record without its actor (the operator of the batch).
            runs.append((actor, [line.replacingOccurrences(of: #"{"actor":"\#(actor)","#, with: "{")]))
        }
        var environment = ["LEDGER_NOW": now]
        if let snapshotTailMin {
            // Snapshots after every batch, and a base file for the bulk tables as soon as they hold anything.
            environment["LEDGER_SNAPSHOT_TAIL_MIN"] = String(snapshotTailMin)
            environment["LEDGER_SNAPSHOT_BASE_MIN"] = "1"
        }
        for run in runs {
            let appended = try LedgerProcess.run(["append", "--ledger", ledger.directory, "--batch", "-", "--operator", run.actor],
                                                 environment: environment.merging(["LEDGER_OPERATOR": run.actor]) { $1 },
                                                 stdin: Data(run.lines.joined(separator: "\n").utf8))
            #expect(appended.status == 0, "append by \(run.actor): \(appended.stderr)", sourceLocation: sourceLocation)
        }
        return ledger
    }

    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> LedgerProcess.Result {
        try LedgerProcess.run(arguments + ["--ledger", directory], environment: ["LEDGER_NOW": Self.now].merging(environment) { $1 })
    }

    /// Standard output of a command that must succeed.
    func output(_ arguments: [String], environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments, environment: environment)
        #expect(result.status == 0, "\(arguments.joined(separator: " ")): exit \(result.status), \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// A report's figures, without the line (or JSON member) that says what they rest on besides
    /// the log: a report with a snapshot and one without must agree on everything else.
    static func figures(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("  figures ") }
        return lines.joined(separator: "\n").replacingOccurrences(of: #""trusted":\{[^}]*\},?"#, with: "", options: .regularExpression)
    }

    /// A report's JSON output as an object.
    func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let text = try output(arguments + ["--json"], sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], sourceLocation: sourceLocation)
    }

    /// A copy of this ledger whose log is cut after record `seq` (caches dropped): "the log cut at
    /// that point", for comparing with `--at`.
    func truncatedCopy(through seq: Int) throws -> AppendixLedger {
        let copy = AppendixLedger(directory: LedgerProcess.temporaryPath())
        try FileManager.default.createDirectory(atPath: copy.directory, withIntermediateDirectories: true)
        let log = try LedgerProcess.logBytes(directory)
        let lines = log.split(separator: 0x0A, omittingEmptySubsequences: false)
        let kept = lines.prefix(seq + 1).map { Data($0) + Data([0x0A]) }.reduce(Data(), +)
        try kept.write(to: URL(fileURLWithPath: copy.directory + "/log.jsonl"))
        return copy
    }

    /// The snapshot's files: the bulk tables' (`bulk-…`), then the core's (`state-core-…`).
    var snapshots: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/cache/snapshots")) ?? [])
            .filter { $0.hasSuffix(".snap") || $0.hasSuffix(".tables") }.sorted()
    }
}

@Suite struct ReportLedgerTests {
    @Test func theAppendixLedgerIsBuiltAndIntact() throws {
        let ledger = try AppendixLedger.make()
        #expect(AppendixLedger.lines.count == 69)
        let verified = try ledger.run(["verify"])
        #expect(verified.status == 0 && verified.stdout.contains("70 checked"), "\(verified.stdout)")
    }
}

/// `operator|party|territory|fund|body list`: the directory, as of any cut.
@Suite struct ListingReportTests {
    @Test func everyFamilyIsListedSortedAndCut() throws {
        let ledger = try DomainLedger.make()
        let operators = try ledger.run(["operator", "list", "--csv"], as: "OP-AUD")
        #expect(operators.status == 0, "\(operators.stderr)")
        let lines = operators.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "operator,role,registered,registered_on,revoked_on,key")
        #expect(lines.dropFirst().map { $0.split(separator: ",")[0] } == ["OP-ADMIN", "OP-AUD", "OP-CLK", "OP-SEC", "OP-TRE", "OP-TRE2"])
        #expect(lines[1].hasPrefix("OP-ADMIN,admin,0,2025-01-01,,"), "the founder, from the genesis record: \(lines[1])")
        let parties = try ledger.run(["party", "list", "--json"], as: "OP-AUD")
        #expect(parties.stdout.contains(#""report":"parties""#) && parties.stdout.contains(#"{"kind":"public_actor","party":"STATE-1"}"#),
                "\(parties.stdout)")
        let territories = try ledger.run(["territory", "list"], as: "OP-AUD")
        #expect(territories.stdout.contains("FR-IDF     Île-de-France  FR"), "\(territories.stdout)")
        let bodies = try ledger.run(["body", "list", "--csv"], as: "OP-AUD")
        #expect(bodies.stdout.contains("AG,general_assembly,Assemblée générale,,5,1/2,simple,100000000"), "\(bodies.stdout)")
        let funds = try ledger.run(["fund", "list", "--csv"], as: "OP-AUD")
        #expect(funds.stdout.contains("public,Acteurs publics,public,FR-IDF"), "\(funds.stdout)")
        // The setup is effective 2025-06-01: as of the day before, only the founder exists.
        let before = try ledger.run(["operator", "list", "--as-of", "2025-05-31", "--csv"], as: "OP-AUD")
        #expect(before.stdout.split(separator: "\n").count == 2, "\(before.stdout)")
        #expect(try ledger.run(["fund", "list", "--as-of", "2025-05-31", "--csv"], as: "OP-AUD").stdout == "fund,name,pool,territory\n")
    }
}
