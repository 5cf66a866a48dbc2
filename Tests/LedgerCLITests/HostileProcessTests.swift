import Foundation
import Testing

/// What the process does with hostile surroundings: bytes that are not UTF-8 in its arguments,
/// a file-size limit, an unfinished batch at checkpoint time.
@Suite struct HostileProcessTests {
    static func shell(_ script: String, environment: [String: String] = [:]) throws -> LedgerProcess.Result {
        try LedgerProcess.run(["-c", script], environment: environment, executable: URL(fileURLWithPath: "/bin/sh"))
    }

    @Test func anArgumentThatIsNotUTF8IsRefused() throws {
        let ledger = try LedgerProcess.makeLedger()
        let before = try LedgerProcess.logBytes(ledger)
        let result = try Self.shell("\"$BIN\" append --ledger \"$DIR\" --type note.recorded --payload \"$(printf '{\"text\":\"bad \\377 byte\"}')\"",
                                    environment: ["BIN": LedgerProcess.binary.path, "DIR": ledger])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("not valid UTF-8"))
        #expect(try LedgerProcess.logBytes(ledger) == before)
    }

    @Test func aFileSizeLimitIsAnIOErrorNotASignal() throws {
        let ledger = try LedgerProcess.makeLedger()
        let before = try LedgerProcess.logBytes(ledger)
        let lines = (1...400).map { #"{"type":"note.recorded","payload":{"text":"a note long enough to fill some blocks \#($0)"}}"# }
        let batch = LedgerProcess.temporaryPath("batch.jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: batch))
        let result = try Self.shell("ulimit -f 40; exec \"$BIN\" append --ledger \"$DIR\" --batch \"$BATCH\"",
                                    environment: ["BIN": LedgerProcess.binary.path, "DIR": ledger, "BATCH": batch])
        #expect(result.status == 7, "\(result.stderr)")
        #expect(try LedgerProcess.logBytes(ledger) == before)
        #expect(try LedgerProcess.run(["append", "--ledger", ledger, "--type", "note.recorded", "--payload", #"{"text":"after"}"#]).status == 0)
        #expect(try LedgerProcess.run(["verify", "--ledger", ledger]).status == 0)
    }

    /// A batch is read as it comes and refused at the first line over an event's limit: a file
    /// that never ends a line (`/dev/zero`) costs one chunk read (a MiB), not a gigabyte or a crash.
    @Test func aBatchStopsAtTheFirstLineOverTheLimit() throws {
        let ledger = try LedgerProcess.makeLedger()
        let before = try LedgerProcess.logBytes(ledger)
        let zero = try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "/dev/zero"])
        #expect(zero.status == 2, "\(zero.stderr)")
        #expect(zero.stderr.contains("/dev/zero line 1: longer than 65536 bytes"), "\(zero.stderr)")
        let note = { (text: String) in #"{"type":"note.recorded","payload":{"text":"\#(text)"}}"# }
        let lines = [note("one"), note("two"), note(String(repeating: "x", count: 70_000)), note("four")]
        let long = try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-"], stdin: Data(lines.joined(separator: "\n").utf8))
        #expect(long.status == 2, "\(long.stderr)")
        #expect(long.stderr.contains("standard input line 3: longer than 65536 bytes"), "\(long.stderr)")
        #expect(try LedgerProcess.logBytes(ledger) == before)
    }

    @Test func aCheckpointNeverCertifiesAnUnfinishedBatch() throws {
        let ledger = try LedgerProcess.makeLedger()
        let sizeBefore = try LedgerProcess.logBytes(ledger).count
        let batch = Data((1...3).map { #"{"type":"note.recorded","payload":{"text":"b\#($0)"}}"# }.joined(separator: "\n").utf8)
        #expect(try LedgerProcess.run(["append", "--ledger", ledger, "--batch", "-"], stdin: batch).status == 0)
        // The state a power loss can leave: the batch's note, and only its first line on disk.
        let log = try LedgerProcess.logBytes(ledger)
        let lines = log.split(separator: 0x0A, omittingEmptySubsequences: false)
        let lastHash = String(decoding: lines[3], as: UTF8.self).components(separatedBy: "\"hash\":\"")[1].prefix(64)
        try log.prefix(sizeBefore + lines[1].count + 1).write(to: URL(fileURLWithPath: ledger + "/log.jsonl"))
        try Data("batch \(sizeBefore) \(log.count) \(lastHash)\n".utf8).write(to: URL(fileURLWithPath: ledger + "/append.pending"))
        let checkpoint = try LedgerProcess.run(["checkpoint", "--ledger", ledger])
        #expect(checkpoint.status == 0)
        #expect(checkpoint.stderr.contains("rolled back an unfinished"), "\(checkpoint.stderr)")
        #expect(checkpoint.stdout.split(separator: "\n")[1] == "1", "only the genesis record is certified")
    }
}
