import Foundation
import Testing

/// End-to-end tests of the spine's commands through the built binary.
@Suite struct SpineCommandTests {
    @Test func initAppendLogVerify() throws {
        let ledger = try LedgerProcess.makeLedger()
        let env = ["LEDGER_NOW": "2026-01-01T10:00:00.000000Z"]
        let appended = try LedgerProcess.run(["append", "--ledger", ledger, "--type", "note.recorded",
                                              "--payload", #"{"text":"première note"}"#, "--json"], environment: env)
        #expect(appended.status == 0, "\(appended.stderr)")
        #expect(appended.stdout.contains(#""seq":1"#))
        #expect(appended.stdout.contains(#""status":"appended""#))

        let log = try LedgerProcess.run(["log", "--ledger", ledger])
        #expect(log.status == 0)
        #expect(log.stdout.contains("note.recorded"))
        #expect(log.stdout.contains("ledger.genesis"))

        let lines = try LedgerProcess.run(["log", "--ledger", ledger, "--json", "--from", "1"])
        #expect(lines.stdout == String(decoding: try LedgerProcess.logBytes(ledger), as: UTF8.self)
            .split(separator: "\n").dropFirst().map { $0 + "\n" }.joined())

        let verify = try LedgerProcess.run(["verify", "--ledger", ledger])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("intact"))
    }

    @Test func theLedgerDirectoryComesFromTheEnvironment() throws {
        let ledger = try LedgerProcess.makeLedger()
        let result = try LedgerProcess.run(["verify"], environment: ["LEDGER_DIR": ledger])
        #expect(result.status == 0)
        let missing = try LedgerProcess.run(["verify"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--ledger DIR"))
    }

    @Test func aBatchIsAllOrNothing() throws {
        let ledger = try LedgerProcess.makeLedger()
        let before = try LedgerProcess.logBytes(ledger)
        let bad = Data("""
        {"type":"note.recorded","payload":{"text":"one"}}
        {"type":"note.recorded","payload":{"text":"two"},"unexpected":1}

        """.utf8)
        let refused = try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-"], stdin: bad)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("line 2"))
        #expect(try LedgerProcess.logBytes(ledger) == before)

        let good = Data((1...50).map { #"{"type":"note.recorded","payload":{"text":"n\#($0)"}}"# }.joined(separator: "\n").utf8)
        let accepted = try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-"], stdin: good)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.split(separator: "\n").count == 50)
    }

    /// A batch's report is one line per event, in order, however long (it is printed a block of
    /// 64 KB at a time): a dry run's say "would append", a retried key's "existing", in text and
    /// in JSON, and the seqs and hashes are the log's.
    @Test func aBatchReportsOneLinePerEventInOrder() throws {
        let ledger = try LedgerProcess.makeLedger()
        let events = (0..<800).map { #"{"type":"note.recorded","payload":{"text":"n\#($0)"},"idem":"K-\#($0)"}"# }
        let batch = Data(events.joined(separator: "\n").utf8)
        let dry = try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-", "--dry-run"], stdin: batch)
        let dryLines = dry.stdout.split(separator: "\n")
        #expect(dry.status == 0 && dryLines.count == 801 && dryLines.last == "(a dry run: nothing written)", "\(dry.stderr)")
        let done = try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-"], stdin: batch)
        let lines = done.stdout.split(separator: "\n")
        #expect(done.status == 0 && done.stdout.utf8.count > 1 << 16 && lines.count == 800, "\(done.stderr)")
        let log = try String(contentsOfFile: ledger + "/log.jsonl", encoding: .utf8).split(separator: "\n")
        for (index, line) in lines.enumerated() {
            let hash = try #require(log[index + 1].range(of: #""hash":""#).map { log[index + 1][$0.upperBound...].prefix(64) })
            #expect(line == "appended seq \(index + 1)  hash \(hash)  note.recorded  \(line.suffix(10))", "line \(index)")
            // A dry run's record is made at its own time, so its hash is its own.
            #expect(dryLines[index].hasPrefix("would append seq \(index + 1)  hash ") && dryLines[index].hasSuffix("  note.recorded  \(line.suffix(10))"),
                    "\(dryLines[index])")
        }
        // The same batch again: every key was used, so nothing is written and each line says so.
        let again = try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-", "--json"], stdin: batch)
        let objects = again.stdout.split(separator: "\n")
        #expect(again.status == 0 && objects.count == 800, "\(again.stderr)")
        for (index, object) in objects.enumerated() {
            #expect(object.contains(#""seq":\#(index + 1),"#) && object.contains(#""status":"existing""#) && object.contains(#""idem":"K-\#(index)""#),
                    "\(object)")
        }
    }

    @Test func idempotentRetriesAndConflicts() throws {
        let ledger = try LedgerProcess.makeLedger()
        let first = try LedgerProcess.run(["append", "--ledger", ledger, "--type", "note.recorded",
                                           "--payload", #"{"text":"x"}"#, "--idem", "VIR-1", "--date", "2026-01-01"])
        #expect(first.status == 0)
        let before = try LedgerProcess.logBytes(ledger)
        let retry = try LedgerProcess.run(["append", "--ledger", ledger, "--type", "note.recorded",
                                           "--payload", #"{"text":"x"}"#, "--idem", "VIR-1", "--date", "2026-01-01"])
        #expect(retry.status == 0)
        #expect(retry.stdout.hasPrefix("existing seq 1"))
        let conflict = try LedgerProcess.run(["append", "--ledger", ledger, "--type", "note.recorded",
                                              "--payload", #"{"text":"y"}"#, "--idem", "VIR-1", "--date", "2026-01-01"])
        #expect(conflict.status == 4)
        #expect(conflict.stderr.contains("VIR-1"))
        #expect(try LedgerProcess.logBytes(ledger) == before)
    }

    @Test(arguments: [
        (["append", "--type", "note.recorded", "--payload", "{\"text\":1.5}"], Int32(2), "not an integer"),
        (["append", "--type", "note.recorded", "--payload", "{\"a\":1,\"a\":2}"], 2, "duplicate"),
        (["append", "--type", "note.recorded", "--payload", "[1]"], 2, "object"),
        (["append", "--type", "note.recorded", "--payload", "{\"text\":\"x\"}", "--date", "2026-02-30"], 2, "date"),
        (["append", "--type", "Note", "--payload", "{}"], 2, "event type"),
        (["append", "--event", "{\"type\":\"note.recorded\"}"], 2, "payload"),
        (["append", "--type", "note.recorded", "--bogus", "1"], 2, "unknown option --bogus"),
        (["append"], 2, "--type"),
        (["log", "--from", "01"], 2, "--from"),
        (["log", "--from", "5", "--to", "2"], 2, "after"),
        (["frobnicate"], 2, "unknown command"),
    ])
    func badInputIsRefusedAndWritesNothing(arguments: [String], status: Int32, message: String) throws {
        let ledger = try LedgerProcess.makeLedger()
        let before = try LedgerProcess.logBytes(ledger)
        let result = try LedgerProcess.run(arguments + ["--ledger", ledger])
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("ledger:"))
        #expect(try LedgerProcess.logBytes(ledger) == before)
    }

    @Test func aClockBehindTheLogIsRefused() throws {
        let ledger = try LedgerProcess.makeLedger()
        let before = try LedgerProcess.logBytes(ledger)
        let result = try LedgerProcess.run(["append", "--ledger", ledger, "--type", "note.recorded", "--payload", #"{"text":"x"}"#],
                                           environment: ["LEDGER_NOW": "2025-12-31T23:59:59.000000Z"])
        #expect(result.status == 4)
        #expect(result.stderr.contains("never goes backwards"))
        #expect(try LedgerProcess.logBytes(ledger) == before)
    }

    @Test func notALedger() throws {
        let directory = LedgerProcess.temporaryPath()
        let result = try LedgerProcess.run(["append", "--ledger", directory, "--type", "note.recorded", "--payload", "{}"])
        #expect(result.status == 5)
        let verify = try LedgerProcess.run(["verify", "--ledger", directory])
        #expect(verify.status == 2)
    }

    @Test func everyCommandHasHelpWithAnExample() throws {
        let overview = try LedgerProcess.run(["help"])
        #expect(overview.status == 0)
        for command in ["init", "append", "log", "verify", "checkpoint"] {
            #expect(overview.stdout.contains(command))
            let help = try LedgerProcess.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Usage: ledger \(command)"))
            #expect(help.stdout.contains("Example"))
        }
        let version = try LedgerProcess.run(["--version"])
        #expect(version.stdout.hasPrefix("ledger "))
    }
}
