import LedgerCore
import LedgerJSON
import LedgerEngine

enum LogCommand {
    static let command = Command(
        name: "log",
        summary: "list records, filtered by type and sequence range",
        help: """
        Usage: ledger log --ledger DIR [--type TYPE] [--from SEQ] [--to SEQ] [--json]

        Lists the log's records in order: a table for people, or with --json the records' exact
        lines (JSON Lines, as stored and hashed). --type keeps one event type, or a family when it
        ends with '.*' (for example contribution.*). --from and --to bound the sequence numbers
        (both included). A torn tail left by a crash is not listed. This command reads; it does
        not verify hashes (that is `ledger verify`).

        Example:
          ledger log --ledger ./fund --type contribution.* --from 100 --to 120

        """,
        valued: ["type", "from", "to"],
        flags: ["json"],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let from = try arguments.sequenceNumber("from") ?? 0
        let to = try arguments.sequenceNumber("to") ?? UInt64.max
        guard from <= to else { throw .usage("--from \(from) is after --to \(to)") }
        let filter = TypeFilter(arguments.value("type"))
        let json = arguments.has("json")
        let ledger = try context.ledger(arguments)
        if !json { context.print(header) }
        do {
            try ledger.forEachRecord { record, line in
                if record.seq > to { return false }
                guard record.seq >= from, filter.matches(record.type) else { return true }
                context.standardOutput(json ? String(decoding: line, as: UTF8.self) + "\n" : TerminalText.safe(row(record), keepingNewlines: false) + "\n")
                return true
            }
        } catch {
            throw CLIError(error)
        }
        return .success
    }

    static let header = Format.padded("SEQ", 8) + Format.padded("RECORDED (UTC)", 21) + Format.padded("EFFECTIVE", 12)
        + Format.padded("TYPE", 30) + Format.padded("ACTOR", 16) + Format.padded("HASH", 14) + "PAYLOAD"

    static func row(_ record: Record) -> String {
        let recorded = String(record.recordedAt.description.prefix(19).map { $0 == "T" ? " " : $0 })
        let payload = String(decoding: CanonicalJSON.encode(.object(record.payload)), as: UTF8.self)
        return Format.padded(String(record.seq), 8) + Format.padded(recorded, 21)
            + Format.padded(record.effective.description, 12) + Format.padded(Format.truncated(record.type, 29), 30)
            + Format.padded(Format.truncated(record.actor, 15), 16) + Format.padded(String(record.hash.hex.prefix(12)), 14)
            + Format.truncated(payload, 70)
    }
}

/// `--type` matching: an exact type, or a family `prefix.*`.
struct TypeFilter {
    let pattern: String?
    init(_ pattern: String?) { self.pattern = pattern }

    func matches(_ type: String) -> Bool {
        guard let pattern else { return true }
        if pattern.hasSuffix(".*") { return type.hasPrefix(pattern.dropLast(1)) }
        return type == pattern
    }
}
