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

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/expected.txt").path) }
            .sorted()
    }

    @Test func thereAreVectorsForEveryFamily() {
        #expect(Self.cases.count >= 40)
        for family in ["valid", "valid-v1", "v2-bad-signature", "v2-unfinished-batch", "v1-to-v2-bootstrap", "v2-rule-key-unique"] {
            #expect(Self.cases.contains(family), "\(family)")
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
