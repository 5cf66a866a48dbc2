import LedgerDomain
import LedgerJSON

/// Period closes and free-text notes.
enum RecordKeepingCommands {
    static let periods = CommandGroup(name: "period", summary: "close an accounting period", verbs: [
        Verb(name: "close", type: .periodClosed, synopsis: "--through YYYY-MM-DD",
             description: "After it, no event may be effective on or before that day; the close itself is dated after it.",
             example: "ledger period close --through 2024-12-31 --date 2025-01-15",
             valued: ["through"], action: .append { input throws(CLIError) in
                 let text = try input.arguments.required("through")
                 guard let date = try Text.date(text, option: "through") else { throw .usage("missing --through") }
                 return DomainEvent(.periodClosed, [("through", .string(date.description))])
             }),
    ])

    static let notes = CommandGroup(name: "note", summary: "record a free-text annotation", verbs: [
        Verb(name: "add", type: .noteRecorded, synopsis: "--text TEXT",
             description: "Up to 4,000 bytes; no personal data (the log is public to auditors and cannot be erased).",
             example: "ledger note add --text \"Rapprochement bancaire de mars effectué\"",
             valued: ["text"], action: .append { input throws(CLIError) in
                 DomainEvent(.noteRecorded, [("text", try input.text("text"))])
             }),
    ])
}
