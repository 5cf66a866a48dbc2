import Foundation
import LedgerCore
import Testing
@testable import LedgerStorage

/// Every vector of Specs/vectors/ must get exactly the verdict written next to it.
@Suite struct SpecVectorTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Specs/vectors")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/expected.txt").path) }
            .sorted()
    }

    @Test func thereAreVectorsForEveryLogLevelKind() {
        #expect(Self.cases.count >= 15)
    }

    @Test(arguments: cases)
    func vectorGetsItsVerdict(name: String) throws {
        let directory = Self.root.appendingPathComponent(name)
        let expected = try String(contentsOf: directory.appendingPathComponent("expected.txt"), encoding: .utf8)
            .split(separator: "\n")[0]
        let report = try LogVerification.run(path: directory.appendingPathComponent("log.jsonl").path)
        let verdict: String
        if let failure = report.failure {
            verdict = "\(failure.kind.rawValue) line=\(failure.line ?? 0) offset=\(failure.offset ?? 0)"
        } else {
            verdict = "INTACT \(report.recordCount)"
        }
        #expect(verdict == String(expected))
    }

    @Test func theValidLedgerHasTheListedHashes() throws {
        let directory = Self.root.appendingPathComponent("valid")
        let listed = try String(contentsOf: directory.appendingPathComponent("hashes.txt"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ")[1] }
        var seen: [String] = []
        _ = try LogScanner.scan(path: directory.appendingPathComponent("log.jsonl").path) { line, _ in
            seen.append((try? RecordCodec.decodeChecked(line: Array(line)))?.hash.hex ?? "unreadable")
            return true
        }
        #expect(seen == listed.map(String.init))
    }
}
