import Foundation
import Testing

/// `ledger verify` and `ledger checkpoint` through the built binary: tampering and truncation.
@Suite struct VerifyCommandTests {
    static func ledgerWithNotes(_ count: Int) throws -> String {
        let ledger = try LedgerProcess.makeLedger()
        let batch = Data((1...count).map { #"{"type":"note.recorded","payload":{"text":"note \#($0)"}}"# }.joined(separator: "\n").utf8)
        let result = try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-"], stdin: batch)
        #expect(result.status == 0, "\(result.stderr)")
        return ledger
    }

    static func rewriteLog(_ ledger: String, _ change: (inout [String]) -> Void) throws {
        var lines = String(decoding: try LedgerProcess.logBytes(ledger), as: UTF8.self).split(separator: "\n").map(String.init)
        change(&lines)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: ledger + "/log.jsonl"))
    }

    @Test func aTamperedByteIsCaughtWithItsPlace() throws {
        let ledger = try Self.ledgerWithNotes(10)
        try Self.rewriteLog(ledger) { lines in lines[5] = lines[5].replacingOccurrences(of: "note 5", with: "note 6") }
        let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains(#""kind":"HASH_MISMATCH""#))
        #expect(result.stdout.contains(#""seq":5"#))
        #expect(result.stdout.contains(#""line":6"#))
    }

    /// Who wrote it is said of an intact log, never of one that failed: a failed verdict does
    /// not vouch for the signatures it did not finish checking.
    @Test func theSignedLineIsSaidOfAnIntactLogOnly() throws {
        let ledger = try Self.ledgerWithNotes(4)
        let intact = try LedgerProcess.run(["verify", "--ledger", ledger])
        #expect(intact.status == 0)
        #expect(intact.stdout.contains("  signed     every append, by its operator's registered key\n"))
        // The last record's signature: one bit of its base64 changed, still canonical base64.
        try Self.rewriteLog(ledger) { lines in
            let last = lines.count - 1
            let signature = #""sig":""#
            let start = lines[last].range(of: signature)!.upperBound
            let character = lines[last][start]
            lines[last].replaceSubrange(start...start, with: character == "A" ? "B" : "A")
        }
        let failed = try LedgerProcess.run(["verify", "--ledger", ledger])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("BAD_SIGNATURE"), "\(failed.stdout)")
        #expect(!failed.stdout.contains("signed "), "\(failed.stdout)")
    }

    @Test func aTornTailHasItsOwnStatus() throws {
        let ledger = try Self.ledgerWithNotes(3)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: ledger + "/log.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"actor":"OP"#.utf8))
        try handle.close()
        let result = try LedgerProcess.run(["verify", "--ledger", ledger])
        #expect(result.status == 3)
        #expect(result.stdout.contains("TORN_TAIL"))
        let append = try LedgerProcess.run(["append", "--ledger", ledger, "--type", "note.recorded", "--payload", #"{"text":"after"}"#])
        #expect(append.status == 0)
        #expect(append.stderr.contains("set aside a torn tail"))
        #expect(try LedgerProcess.run(["verify", "--ledger", ledger]).status == 0)
    }

    @Test func aCheckpointCatchesTruncationAndRewrites() throws {
        let ledger = try Self.ledgerWithNotes(5)
        let more = Data((6...8).map { #"{"type":"note.recorded","payload":{"text":"note \#($0)"}}"# }.joined(separator: "\n").utf8)
        #expect(try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-"], stdin: more).status == 0)
        let checkpointPath = LedgerProcess.temporaryPath("checkpoint")
        let made = try LedgerProcess.run(["checkpoint", "--ledger", ledger, "--output", checkpointPath])
        #expect(made.status == 0)
        let text = try String(contentsOfFile: checkpointPath, encoding: .utf8)
        #expect(text.hasPrefix("test.example/fund\n9\n"))

        #expect(try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpointPath]).status == 0)
        let grown = try LedgerProcess.run(["append", "--ledger", ledger, "--type", "note.recorded", "--payload", #"{"text":"more"}"#])
        #expect(grown.status == 0)
        #expect(try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpointPath]).status == 0)

        try Self.rewriteLog(ledger) { lines in lines.removeLast(4) }
        #expect(try LedgerProcess.run(["verify", "--ledger", ledger]).status == 0,
                "a chain cut after a whole append cannot see the truncation")
        let truncated = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpointPath])
        #expect(truncated.status == 1)
        #expect(truncated.stdout.contains("TRUNCATED"))
        #expect(truncated.stdout.contains("stored checkpoint"))
    }

    /// Version 2 signs each append on its last record: a cut inside an append leaves it
    /// unsigned, which `verify` sees without any checkpoint.
    @Test func aCutInsideAnAppendIsAnUnfinishedBatch() throws {
        let ledger = try Self.ledgerWithNotes(8)
        let genesisLine = try #require(String(decoding: try LedgerProcess.logBytes(ledger), as: UTF8.self).split(separator: "\n").first)
        try Self.rewriteLog(ledger) { lines in lines.removeLast(3) }
        let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--json"])
        #expect(result.status == 8, "\(result.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let failure = try #require(object["failure"] as? [String: Any])
        #expect(object["status"] as? String == "intact-with-unfinished-batch" && failure["kind"] as? String == "UNFINISHED_BATCH")
        #expect(failure["seq"] as? Int == 1 && failure["line"] as? Int == 2 && object["unfinished_records"] as? Int == 5)
        // The head is the last acknowledged record's: the genesis, whose append is whole.
        #expect(object["records"] as? Int == 1 && genesisLine.contains(#""hash":"\#(object["head_hash"] as? String ?? "?")""#))
    }

    @Test func aRehashedHistoryIsForkedAgainstTheCheckpoint() throws {
        let ledger = try Self.ledgerWithNotes(4)
        let checkpointPath = LedgerProcess.temporaryPath("checkpoint")
        #expect(try LedgerProcess.run(["checkpoint", "--ledger", ledger, "--output", checkpointPath]).status == 0)
        // Rebuild the same history with other text: a valid chain, but not the one the auditor saw.
        let other = try LedgerProcess.makeLedger()
        let batch = Data((1...4).map { #"{"type":"note.recorded","payload":{"text":"rewritten \#($0)"}}"# }.joined(separator: "\n").utf8)
        #expect(try LedgerProcess.run(["append", "--ledger", other, "--batch", "-"], stdin: batch).status == 0)
        #expect(try LedgerProcess.run(["verify", "--ledger", other]).status == 0)
        let forked = try LedgerProcess.run(["verify", "--ledger", other, "--checkpoint", checkpointPath, "--json"])
        #expect(forked.status == 1)
        #expect(forked.stdout.contains(#""kind":"FORKED""#))
    }

    @Test func aMalformedCheckpointIsAUsageError() throws {
        let ledger = try Self.ledgerWithNotes(1)
        let path = LedgerProcess.temporaryPath("bad-checkpoint")
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: path))
        let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a checkpoint"))
    }
}
