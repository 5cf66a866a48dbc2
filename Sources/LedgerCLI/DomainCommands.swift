/// The back office's commands, one group per family of events (Specs/events.md); each group
/// dispatches on its first word: `ledger contribution record ...`. Then the reports
/// (Specs/reports.md), some of them verbs of a group (`ledger project show ID`).
enum DomainCommands {
    static let groups: [CommandGroup] = [
        StructureCommands.operators, StructureCommands.parties, StructureCommands.territories, MoneyCommands.funds,
        StructureCommands.bodies, MoneyCommands.contributions, MoneyCommands.projects, GovernanceCommands.ballots,
        GovernanceCommands.votes, GovernanceCommands.proxies, GovernanceCommands.recusals, GovernanceCommands.decisions,
        PaymentCommands.commitments, PaymentCommands.disbursements, MoneyCommands.repayments, MoneyCommands.loans,
        RecordKeepingCommands.periods, RecordKeepingCommands.notes,
    ]

    static let all: [Command] = groups.map(ReportCommands.extended) + ReportCommands.commands
}
