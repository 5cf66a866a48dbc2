import Foundation
import LedgerCore
import LedgerEngine
import Testing

/// Every vector of Specs/vectors/ gets exactly the verdict written next to it (Specs/vectors.md):
/// the kind, seq, line, byte offset and rule of a failure, the head kept after an unfinished
/// batch, and for an intact ledger its records, unsigned records, bootstrap and clock. The
/// expected verdicts come from what the generator broke, never from a verifier.
@Suite struct SpecVectorTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Specs/vectors")

    /// The families that are not a log alone (LedgerCLITests' SpecVectorProofTests checks them).
    static let proofFamilies: Set<String> = ["checkpoints", "notes", "key-files", "bundles", "evidence", "ed25519", "keys"]

    /// Every log vector: a directory, at any depth (rules/<rule id>-<n>), holding expected.txt and
    /// log.jsonl, outside the proof families.
    static var cases: [String] {
        let files = FileManager.default
        return ((try? files.subpathsOfDirectory(atPath: root.path)) ?? [])
            .filter { $0.hasSuffix("expected.txt") }
            .map { String($0.dropLast("expected.txt".count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
            .filter { !$0.isEmpty && files.fileExists(atPath: root.appendingPathComponent("\($0)/log.jsonl").path) }
            .filter { !proofFamilies.contains(String($0.prefix { $0 != "/" })) }
            .sorted()
    }

    @Test func thereAreVectorsForEveryFamily() {
        #expect(Self.cases.count >= 150)
        for family in ["valid", "valid-v1", "v2-bad-signature", "v2-unfinished-batch", "v1-to-v2-bootstrap", "v2-rule-key-unique",
                       "rules/base", "rules/base-decisions", "rules/I6.tally-1", "rules/I2.below-disbursed-1"] {
            #expect(Self.cases.contains(family), "\(family)")
        }
    }

    /// Every rule of Specs/events.md section 6 has a RULE_VIOLATION vector, but E0.genesis: a
    /// genesis out of place is GENESIS_INVALID at step 6 of log-format section 8, before the rules.
    @Test func everyRuleOfTheSpecHasAVector() throws {
        let events = try String(contentsOf: Self.root.deletingLastPathComponent().appendingPathComponent("events.md"), encoding: .utf8)
        let table = events.components(separatedBy: "## 6. The rules")[1].components(separatedBy: "## Appendix")[0]
        let rules = table.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            return String(line.dropFirst(3).prefix { $0 != "`" })
        }
        #expect(rules.count >= 50)
        let vectors = Set(try Self.cases.compactMap { name -> String? in
            let expected = try String(contentsOf: Self.root.appendingPathComponent("\(name)/expected.txt"), encoding: .utf8)
            return expected.split(separator: "\n")[0].split(separator: " ").last.flatMap { $0.hasPrefix("rule=") ? String($0.dropFirst(5)) : nil }
        })
        for rule in rules where rule != "E0.genesis" {
            #expect(vectors.contains(rule), "no vector for \(rule)")
        }
    }

    @Test(arguments: cases)
    func vectorGetsItsVerdict(name: String) throws {
        let directory = Self.root.appendingPathComponent(name)
        let expected = try String(contentsOf: directory.appendingPathComponent("expected.txt"), encoding: .utf8)
            .split(separator: "\n")[0]
        var options = Ledger.Options()
        options.snapshots.isEnabled = false
        let verification = try Ledger(directory: directory.path, options: options).verify()
        #expect(Self.verdict(verification) == String(expected), "\(name)")
    }

    /// The verdict in the words of expected.txt.
    static func verdict(_ verification: Ledger.Verification) -> String {
        let report = verification.report
        guard let failure = verification.failure else {
            var words = ["INTACT \(report?.recordCount ?? 0)"]
            if report?.genesis?.isSimulated == true { words.append("clock=simulated") }
            if let unsigned = report?.unsignedRecords, unsigned > 0 { words.append("unsigned=\(unsigned)") }
            if let bootstrap = report?.bootstrap { words.append("bootstrap=\(bootstrap.actor)@\(bootstrap.seq)") }
            return words.joined(separator: " ")
        }
        var words = [failure.kind.rawValue, "seq=\(failure.seq ?? 0)", "line=\(failure.line ?? 0)", "offset=\(failure.offset ?? 0)"]
        if failure.kind == .unfinishedBatch, let head = report?.headHash { words.append("head=\(head.hex)") }
        // "rule A1.operator-unknown: ..." (RuleViolation.description)
        if failure.kind == .ruleViolation, let rule = failure.message.split(separator: " ").dropFirst().first?.split(separator: ":").first {
            words.append("rule=\(rule)")
        }
        return words.joined(separator: " ")
    }
}
