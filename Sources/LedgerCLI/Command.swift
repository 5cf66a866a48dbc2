import LedgerDomain

/// One `ledger` subcommand: its name, its help text (with an example) and what it accepts.
struct Command: Sendable {
    let name: String
    let summary: String
    /// Spelled out when asked for: every command builds the table of all of them, whose helps
    /// (a group's lists its actions, their roles and examples) took a quarter of a millisecond.
    private let spellHelp: @Sendable () -> String
    var help: String { spellHelp() }
    let valued: Set<String>
    let flags: Set<String>
    let run: @Sendable (Arguments, Context) throws(CLIError) -> ExitCode
    /// Valued options that may be given more than once.
    var repeatable: Set<String> = []

    init(name: String, summary: String, help: @autoclosure @escaping @Sendable () -> String, valued: Set<String>, flags: Set<String>,
         repeatable: Set<String> = [], run: @escaping @Sendable (Arguments, Context) throws(CLIError) -> ExitCode) {
        self.name = name
        self.summary = summary
        self.spellHelp = help
        self.valued = valued
        self.flags = flags
        self.repeatable = repeatable
        self.run = run
    }

    /// Options every command accepts.
    static let commonValued: Set<String> = ["ledger", "locale"]
    static let commonFlags: Set<String> = ["help"]
}

/// Shared formatting for people: grouped digits, shortened hashes, fixed-width columns.
enum Format {
    /// `7 331`: digits grouped by three with spaces, as amounts are (`AmountText`): the same in
    /// English and in French, where a comma would read as a decimal separator.
    static func grouped(_ value: UInt64) -> String {
        AmountText.format(Int64(clamping: value), minorUnits: 0)
    }

    static func padded(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }

    static func truncated(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
