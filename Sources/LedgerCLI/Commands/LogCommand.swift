import LedgerCore
import LedgerDomain
import LedgerEngine
import LedgerJSON

enum LogCommand {
    static let command = Command(
        name: "log",
        summary: "list records, filtered by type and sequence range",
        help: """
        Usage: ledger log --ledger DIR [--type TYPE] [--from SEQ] [--to SEQ] [--json]

        Lists the log's records in order: a table for people (each payload in brief, amounts
        written as --amount reads them), or with --json the records' exact lines (JSON Lines, as
        stored and hashed, amounts in minor units). --type keeps one event type, or a family when it
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
        var genesis: Genesis?
        do {
            try ledger.forEachRecord { record, line in
                if record.seq > to { return false }
                // The genesis (always read: the scan starts there) says how to write amounts.
                if record.seq == 0 { genesis = Self.genesis(of: record) }
                guard record.seq >= from, filter.matches(record.type) else { return true }
                let text = json ? String(decoding: line, as: UTF8.self)
                    : TerminalText.safe(row(record, genesis: genesis, style: context.amountStyle), keepingNewlines: false)
                context.standardOutput(text + "\n")
                return true
            }
        } catch {
            throw CLIError(error)
        }
        return .success
    }

    static let header = Format.padded("SEQ", 8) + Format.padded("RECORDED (UTC)", 21) + Format.padded("EFFECTIVE", 12)
        + Format.padded("TYPE", 30) + Format.padded("ACTOR", 16) + Format.padded("HASH", 14) + "PAYLOAD"

    /// The payload in brief, as an append echoes it (`amount 200.00 EUR · fund citoyens`): amounts
    /// in the syntax people read and type; `--json` gives the stored line, cents included.
    static func row(_ record: Record, genesis: Genesis?, style: AmountText.Style) -> String {
        let recorded = String(record.recordedAt.description.prefix(19).map { $0 == "T" ? " " : $0 })
        let payload = EventBrief.text(record.payload, genesis: genesis, style: style)
        return Format.padded(String(record.seq), 8) + Format.padded(recorded, 21)
            + Format.padded(record.effective.description, 12) + Format.padded(Format.truncated(record.type, 29), 30)
            + Format.padded(Format.truncated(record.actor, 15), 16) + Format.padded(String(record.hash.hex.prefix(12)), 14)
            + Format.truncated(payload, 70)
    }

    /// The currency and its decimals, from the genesis record; nil if it does not read as one
    /// (amounts are then shown in minor units: this command lists, `verify` judges).
    static func genesis(of record: Record) -> Genesis? {
        var state = FundState()
        return (try? state.apply(record)) != nil ? state.genesis : nil
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
