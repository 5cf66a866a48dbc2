/// The reports (Specs/reports.md): top-level commands, and read-only verbs added to the
/// back office's `project` and `party` groups (`ledger project show ID`).
enum ReportCommands {
    static let commands: [Command] = [
        BalancesCommand.command, BallotsCommand.command, AuditCommand.command, ExportCommand.command,
    ]

    /// A read-only verb that takes an identifier as its second word.
    struct ReportVerb: Sendable {
        let name: String
        let synopsis: String
        let description: String
        let example: String
        let valued: Set<String>
        let run: @Sendable (Arguments, Context) throws(CLIError) -> ExitCode
    }

    static let extraVerbs: [String: [ReportVerb]] = [
        "project": [ProjectReports.show, ProjectReports.list],
        "party": [StatementReport.statement, ListingReports.parties],
        "operator": [ListingReports.operators],
        "territory": [ListingReports.territories],
        "fund": [ListingReports.funds],
        "body": [ListingReports.bodies],
    ]

    /// The group's command, with its report verbs when it has some: those words go to the
    /// report, every other to the group as before.
    static func extended(_ group: CommandGroup) -> Command {
        guard let verbs = extraVerbs[group.name] else { return group.command }
        let base = group.command
        var valued = base.valued.union(ReportContext.valued)
        for verb in verbs { valued.formUnion(verb.valued) }
        return Command(name: base.name, summary: base.summary + "; show reports", help: help(of: base, group.name, verbs), valued: valued,
                       flags: base.flags.union(ReportContext.flags)) { arguments, context throws(CLIError) in
            guard let word = arguments.positionals.first, let verb = verbs.first(where: { $0.name == word }) else {
                return try group.run(arguments, context)
            }
            let allowed = verb.valued.union(ReportContext.valued).union(Command.commonValued)
                .union(ReportContext.flags).union(Command.commonFlags)
            for option in arguments.values.keys.sorted() + arguments.flags.sorted() where !allowed.contains(option) {
                throw .usage(Arguments.unknownOption(option, among: allowed, what: "\(group.name) \(verb.name) takes no"))
            }
            return try verb.run(arguments, context)
        }
    }

    /// A group's help followed by its report verbs'.
    private static func help(of base: Command, _ group: String, _ verbs: [ReportVerb]) -> String {
        var help = base.help + "\nReports (read only; they append nothing):\n"
        for verb in verbs {
            help += "\n  ledger \(group) \(verb.name) \(verb.synopsis)\n"
            for line in verb.description.split(separator: "\n", omittingEmptySubsequences: false) { help += "      \(line)\n" }
            help += "      Example: \(verb.example)\n"
        }
        return help + "\n" + ReportContext.optionsHelp + "\n"
    }

    /// The identifier a `show`-like verb takes as its second word, or as `--option` (both
    /// spellings work wherever one does: `party statement P-1`, `party statement --party P-1`).
    static func subject(_ arguments: Arguments, _ usage: String, option: String? = nil) throws(CLIError) -> String {
        let words = arguments.positionals.dropFirst()
        if let extra = words.dropFirst().first { throw .usage("unexpected argument \"\(extra)\"") }
        switch (words.first, option.flatMap { arguments.value($0) }) {
        case (let text?, nil), (nil, let text?): return text
        case (let positional?, let named?) where positional == named: return positional
        case (_?, _?): throw .usage("the identifier given twice, differently: \(usage)")
        case (nil, nil): throw .usage("missing identifier: \(usage)")
        }
    }
}
