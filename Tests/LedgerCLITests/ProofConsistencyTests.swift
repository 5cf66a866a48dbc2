import Foundation
import Testing

/// Truncated and forked ledgers against a signed checkpoint, with evidence that the
/// independent script checks without the ledger.
@Suite struct ProofConsistencyTests {
    static func evidence(_ verifyJSON: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(verifyJSON.utf8)) as? [String: Any]
        return try #require(object?["evidence"] as? [String: Any])
    }

    @Test func aGrownLogExtendsTheSignedCheckpointAndTheScriptAgrees() throws {
        let ledger = try ProofFixture.ledger(notes: 6)
        let treasurer = try ProofFixture.keys("treasurer")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        try ProofFixture.append(notes: 7...19, to: ledger)
        let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", treasurer.pub, "--json"])
        #expect(result.status == 0)
        let evidence = try Self.evidence(result.stdout)
        #expect(evidence["verdict"] as? String == "CONSISTENT")
        #expect((evidence["proof"] as? [String])?.isEmpty == false)
        #expect(evidence["stored"] as? String == (try ProofFixture.read(checkpoint)))
        let check = try ProofFixture.python("check_consistency.py", ["-", "--key", treasurer.pub], stdin: result.stdout)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("CONSISTENT: test.example/fund, stored size 7, log size 20; stored checkpoint signed by treasurer+"))

        // Evidence whose proof was altered no longer holds.
        let proof = try #require((evidence["proof"] as? [String])?.first)
        let altered = result.stdout.replacingOccurrences(of: proof, with: String(repeating: "A", count: 43) + "=")
        let refused = try ProofFixture.python("check_consistency.py", ["-"], stdin: altered)
        #expect(refused.status == 1, "\(refused.stdout)")
    }

    @Test func aTruncatedLogIsCaughtWithEvidence() throws {
        let ledger = try ProofFixture.ledger(notes: 5)
        try ProofFixture.append(notes: 6...8, to: ledger)
        let treasurer = try ProofFixture.keys("treasurer")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        try ProofFixture.rewriteLog(ledger) { lines in lines.removeLast(3) }
        #expect(try LedgerProcess.run(["verify", "--ledger", ledger]).status == 0,
                "a chain cut after a whole append cannot see the truncation")

        let text = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", treasurer.pub])
        #expect(text.status == 1)
        #expect(text.stdout.contains("kind       TRUNCATED"))
        #expect(text.stdout.contains("stored checkpoint:") && text.stdout.contains("the log's checkpoint now:"))
        #expect(text.stdout.contains("               test.example/fund\n               6\n"))

        let json = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", treasurer.pub, "--json"])
        #expect(json.status == 1)
        #expect(try Self.evidence(json.stdout)["verdict"] as? String == "TRUNCATED")
        let check = try ProofFixture.python("check_consistency.py", ["-", "--key", treasurer.pub], stdin: json.stdout)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("TRUNCATED: test.example/fund, stored size 9, log size 6"))
        // The script derives the verdict itself: a claim of CONSISTENT over the same facts fails.
        let lying = json.stdout.replacingOccurrences(of: #""verdict":"TRUNCATED""#, with: #""verdict":"CONSISTENT""#)
        #expect(try ProofFixture.python("check_consistency.py", ["-"], stdin: lying).status == 1)
    }

    @Test func aRewrittenHistoryIsForkedWithEvidence() throws {
        let ledger = try ProofFixture.ledger(notes: 5)
        let treasurer = try ProofFixture.keys("treasurer")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        // The insider rewrites note 3 and recomputes every hash after it: a valid chain, another history.
        let rewritten = try LedgerProcess.makeLedger()
        try ProofFixture.append(notes: 1...2, to: rewritten)
        try ProofFixture.append(notes: 3...3, to: rewritten, text: "altered")
        try ProofFixture.append(notes: 4...9, to: rewritten)
        #expect(try LedgerProcess.run(["verify", "--ledger", rewritten]).status == 0)

        let text = try LedgerProcess.run(["verify", "--ledger", rewritten, "--checkpoint", checkpoint, "--key", treasurer.pub])
        #expect(text.status == 1)
        #expect(text.stdout.contains("kind       FORKED"))
        #expect(text.stdout.contains("the log's checkpoint at size 6:"))
        #expect(text.stdout.contains("consistency proof, size 6 -> 10"))

        let json = try LedgerProcess.run(["verify", "--ledger", rewritten, "--checkpoint", checkpoint, "--key", treasurer.pub, "--json"])
        #expect(json.status == 1)
        let evidence = try Self.evidence(json.stdout)
        #expect(evidence["verdict"] as? String == "FORKED")
        let stored = try #require(evidence["stored"] as? String), atSize = try #require(evidence["log_at_stored_size"] as? String)
        #expect(stored.split(separator: "\n")[1] == atSize.split(separator: "\n")[1], "the same size")
        #expect(stored.split(separator: "\n")[2] != atSize.split(separator: "\n")[2], "two different tree heads")
        let check = try ProofFixture.python("check_consistency.py", ["-", "--key", treasurer.pub], stdin: json.stdout)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("FORKED: test.example/fund, stored size 6, log size 10"))
        // A wrong key makes the script refuse the stored checkpoint.
        let stranger = try ProofFixture.keys("treasurer")
        #expect(try ProofFixture.python("check_consistency.py", ["-", "--key", stranger.pub], stdin: json.stdout).status == 1)
    }

    @Test func aTornTailDoesNotHideATruncation() throws {
        let ledger = try ProofFixture.ledger(notes: 4)
        try ProofFixture.append(notes: 5...6, to: ledger)
        let checkpoint = LedgerProcess.temporaryPath("checkpoint")
        #expect(try LedgerProcess.run(["checkpoint", "--ledger", ledger, "--output", checkpoint]).status == 0)
        try ProofFixture.rewriteLog(ledger) { lines in lines.removeLast(2) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ledger + "/log.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"actor":"OP"#.utf8))
        try handle.close()
        #expect(try LedgerProcess.run(["verify", "--ledger", ledger]).status == 3)
        let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint])
        #expect(result.status == 1)
        #expect(result.stdout.contains("TRUNCATED"))
    }

    @Test func theConsistencyCommandProvesCheckpointToCheckpointFromTheCache() throws {
        let ledger = try ProofFixture.ledger(notes: 9)
        let treasurer = try ProofFixture.keys("treasurer")
        let old = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        try ProofFixture.append(notes: 10...40, to: ledger)
        let new = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        let result = try LedgerProcess.run(["consistency", "--ledger", ledger, "--from", old, "--to", new])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""verdict":"CONSISTENT""#))
        #expect(result.stdout.contains(#""current":"test.example/fund\n41\n"#))
        let check = try ProofFixture.python("check_consistency.py", ["-", "--key", treasurer.pub], stdin: result.stdout)
        #expect(check.status == 0, "\(check.stdout)")
        // The same evidence as a full verify computes, proof included.
        let verify = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", old, "--json"])
        let verifyProof = try Self.evidence(verify.stdout)["proof"] as? [String]
        let cacheProof = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["proof"] as? [String]
        #expect(verifyProof == cacheProof)

        // Against another history, it says FORKED (exit 1) and the script agrees.
        let rewritten = try LedgerProcess.makeLedger()
        try ProofFixture.append(notes: 1...45, to: rewritten, text: "other")
        let forked = try LedgerProcess.run(["consistency", "--ledger", rewritten, "--from", old])
        #expect(forked.status == 1)
        #expect(forked.stdout.contains(#""verdict":"FORKED""#))
        #expect(try ProofFixture.python("check_consistency.py", ["-"], stdin: forked.stdout).status == 0)
        // A --to that is not of this log is refused.
        let notOurs = try LedgerProcess.run(["consistency", "--ledger", rewritten, "--from", old, "--to", new])
        #expect(notOurs.status == 1)
        #expect(notOurs.stderr.contains("FORKED"))
    }
}
