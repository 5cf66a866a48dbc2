import LedgerCore
import LedgerDomain
import LedgerJSON

/// A family of back-office commands under one name, `ledger contribution record ...`: the
/// dispatcher matches the first word, the group matches the verb (the first positional).
struct CommandGroup: Sendable {
    let name: String
    let summary: String
    let verbs: [Verb]

    /// Options every appending verb takes.
    static let appendValued: Set<String> = ["operator", "key", "date", "idem", "lock-timeout"]
    static let appendFlags: Set<String> = ["json", "dry-run"]

    var command: Command {
        var valued: Set<String> = Self.appendValued
        var flags: Set<String> = Self.appendFlags
        for verb in verbs {
            valued.formUnion(verb.valued)
            flags.formUnion(verb.flags)
        }
        let group = self
        return Command(name: name, summary: summary, help: help, valued: valued, flags: flags) { arguments, context throws(CLIError) in
            try group.run(arguments, context)
        }
    }

    func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        guard let word = arguments.positionals.first else {
            throw .usage("say what to do: \(name) \(verbs.map(\.name).joined(separator: "|")) (see `ledger help \(name)`)")
        }
        guard let verb = verbs.first(where: { $0.name == word }) else {
            let guess = Suggestion.closest(to: word, among: verbs.map(\.name)).map { " (did you mean \($0)?)" } ?? ""
            throw .usage("unknown action \"\(word)\" for \(name)\(guess); one of \(verbs.map(\.name).joined(separator: ", "))")
        }
        // A report verb may take an identifier as its second word (`ballot tally B-1`).
        if verb.appends, let extra = arguments.positionals.dropFirst().first { throw .usage("unexpected argument \"\(extra)\"") }
        let ownValued = verb.valued.union(verb.appends ? Self.appendValued : []).union(Command.commonValued)
        let ownFlags = verb.flags.union(verb.appends ? Self.appendFlags : []).union(Command.commonFlags)
        for option in arguments.values.keys.sorted() + arguments.flags.sorted() where !ownValued.union(ownFlags).contains(option) {
            throw .usage(Arguments.unknownOption(option, among: ownValued.union(ownFlags), what: "\(name) \(verb.name) takes no"))
        }
        switch verb.action {
        case .append(let build):
            let appended = try DomainAppend.run(arguments, context) { state throws(CLIError) in
                let input = VerbInput(arguments: arguments, context: context, state: state)
                let event = try build(input)
                return RecordDraft(type: event.type.rawValue, effective: try Text.date(arguments.value("date"), option: "date"),
                                   actor: try context.operatorID(arguments), idempotencyKey: arguments.value("idem"),
                                   payload: event.payload)
            }
            DomainAppend.report(appended, json: arguments.has("json"), dryRun: arguments.has("dry-run"), context: context)
            return .success
        case .read(let body):
            return try body(arguments, context)
        }
    }

    var help: String {
        var text = "Usage: ledger \(name) <action> [options]\n\n\(summary.prefix(1).uppercased() + summary.dropFirst()).\n"
        for verb in verbs {
            text += "\n  ledger \(name) \(verb.name) \(verb.synopsis)\n"
            for line in verb.description.split(separator: "\n", omittingEmptySubsequences: false) {
                text += "      \(line)\n"
            }
            if let type = verb.type {
                text += "      Who: \(type.roles.names.joined(separator: " or ")) (appends \(type.rawValue), Specs/events.md)\n"
            }
            text += "      Example: \(verb.example)\n"
        }
        text += """

        Common options: --ledger DIR (or LEDGER_DIR). Actions that append also take
        --operator ID (or LEDGER_OPERATOR), --key FILE (or LEDGER_KEY: your signer key, the .key of
        `ledger keygen`, kept outside the ledger; every append is signed with it),
        --date YYYY-MM-DD (the effective date, default today UTC),
        --idem KEY (an idempotency key), --json (print the appended record as JSON), --lock-timeout MS,
        --dry-run (check everything an append checks and print what would be appended; write nothing).
        They print the record appended (seq, hash, type, date) and the event in brief.
        \(VerbInput.amountSyntax)
        Exit status: 0 appended, 2 malformed input, 4 refused by a rule (the message names the rule
        of Specs/events.md and the values; nothing is written), 5 not a ledger, 6 locked.

        """
        return text
    }
}

/// One action of a group: its options, its help, and how it builds its event.
struct Verb: Sendable {
    enum Action: Sendable {
        /// Builds the one event the action appends.
        case append(@Sendable (VerbInput) throws(CLIError) -> DomainEvent)
        /// Reads and prints; appends nothing.
        case read(@Sendable (Arguments, Context) throws(CLIError) -> ExitCode)
    }

    let name: String
    /// The event an appending action writes: its help names the roles that may append it.
    var type: EventType? = nil
    let synopsis: String
    let description: String
    let example: String
    let valued: Set<String>
    var flags: Set<String> = []
    let action: Action

    var appends: Bool {
        if case .append = action { return true }
        return false
    }
}

/// The event an action builds: type and payload (the envelope comes from the common options).
struct DomainEvent {
    let type: EventType
    let payload: JSONObject

    init(_ type: EventType, _ members: [(String, JSONValue)]) {
        self.type = type
        self.payload = JSONObject(members)
    }
}
