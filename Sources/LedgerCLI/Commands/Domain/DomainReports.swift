import LedgerDomain
import LedgerEngine
import LedgerJSON

/// `ledger fund status`: each fund's money at a glance (the figures of `balances --by fund`,
/// with the same names), the loans outstanding, the entities and the closed period.
enum FundStatus {
    static let columns = ["received", "reversed", "disbursed", "repayments", "lenders_repaid", "cash", "to_pay", "available"]

    static func amounts(_ balance: Balance) -> [Int64] {
        [balance.flows.received, balance.flows.reversed, balance.flows.disbursed, balance.flows.repayments,
         balance.flows.lendersRepaid, balance.cash, balance.toPay, balance.available]
    }

    @Sendable static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        if let extra = arguments.positionals.dropFirst().first { throw .usage("unexpected argument \"\(extra)\"") }
        let (report, (balances, c)) = try ReportContext(arguments, context).checked { ($0.views.balances(by: .fund), $0.view.rules.counts) }
        var table = ReportTable([("fund", .text), ("pool", .text)] + columns.map { ($0, .amount) })
        for row in balances.rows { table.append(row.labels.map { .text($0) } + amounts(row.balance).map { .amount($0) }) }
        table.totals = [.text("TOTAL"), .text("")] + amounts(balances.total).map { .amount($0) }
        let rules = report.view.rules
        switch report.output {
        case .csv:
            context.standardOutput(table.csv())
        case .json:
            var members: [(String, JSONValue)] = [("funds", table.jsonRows()), ("loans_outstanding", .integer(balances.total.loansOut))]
            if let closed = rules.closedThrough { members.append(("closed_through", .string(closed.description))) }
            report.printJSON(report.envelope("fund_status", members))
        case .people:
            context.print(report.heading("Funds"))
            report.print(table)
            context.print("Loans outstanding: \(report.money(balances.total.loansOut))")
            context.print("Entities: \(c.parties) parties, \(c.contributions) contributions, \(c.projects) projects, \(c.bodies) bodies, "
                + "\(c.ballots) ballots, \(c.decisions) decisions, \(c.commitments) commitments, \(c.disbursements) disbursements")
            if let closed = rules.closedThrough { context.print("Closed through: \(closed)") }
            for row in balances.rows where row.balance.available < 0 {
                context.print("Over-committed: \(row.labels[0]) has promised \(report.money(-row.balance.available)) more than it holds "
                    + "(a correction took back money already promised): amend or cancel a commitment, or receive money, before paying it out")
            }
        }
        return .success
    }
}

/// `ledger ballot tally`: where a ballot stands under its frozen rules.
enum BallotTally {
    @Sendable static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        let text = try ReportCommands.subject(arguments, "ledger ballot tally ID", option: "ballot")
        let id: BallotID = try ReportContext.identifier(text, "a ballot")
        let (report, found) = try ReportContext(arguments, context).checked { $0.views.ballot(id) }
        guard let ballot = found, ballot.opened != nil else { throw report.unknown("ballot", text) }
        let outcome = ballot.outcome
        let t = outcome.tally
        switch report.output {
        case .csv:
            var table = ReportTable(BallotsCommand.listColumns)
            table.append(BallotsCommand.row(ballot))
            context.standardOutput(table.csv())
        case .json:
            report.printJSON(report.envelope("ballot_tally", [
                ("ballot", .string(text)), ("body", .string(ballot.body.text)), ("motion", .string(ballot.motion.kind.rawValue)),
                ("closed", .bool(ballot.closed != nil)), ("for", .integer(Int64(t.votesFor))), ("against", .integer(Int64(t.against))),
                ("abstain", .integer(Int64(t.abstain))), ("blank", .integer(Int64(t.blank))), ("electorate", .integer(Int64(t.electorate))),
                ("recused", .integer(Int64(t.recused))), ("by_proxy", .integer(Int64(t.byProxy))),
                ("quorum_met", .bool(outcome.quorumMet)), ("adopted", .bool(outcome.adopted)),
            ]))
        case .people:
            let rules = ballot.rules
            let isClosed = ballot.closed != nil
            context.print("ballot \(text) of \(ballot.body.text): \(ballot.motion.kind.rawValue), \(isClosed ? "closed" : "open")"
                + (ballot.decision.map { ", decision \($0.text)" } ?? ""))
            context.print("  rules      quorum \(rules.quorum), majority \(rules.majority.rawValue), abstentions \(rules.abstentions.rawValue), "
                + "blanks \(rules.blanks.rawValue), up to \(rules.proxiesMax) prox\(rules.proxiesMax == 1 ? "y" : "ies") each")
            context.print("  electorate \(t.electorate), recused \(t.recused), took part \(t.participants) (\(t.byProxy) by proxy)")
            context.print("  votes      for \(t.votesFor), against \(t.against), abstain \(t.abstain), blank \(t.blank)")
            context.print("  outcome    quorum \(outcome.quorumMet ? "met" : "NOT met"), \(outcome.adopted ? "adopted" : "not adopted")"
                + (isClosed ? "" : " (if it closed now)"))
        }
        return .success
    }
}
