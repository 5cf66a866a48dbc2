import LedgerDomain
import LedgerJSON

/// `ledger ballots [ID]`: every ballot with its electorate, votes, proxies, recusals, quorum,
/// tally and outcome; one ballot member by member.
enum BallotsCommand {
    static let command = Command(
        name: "ballots",
        summary: "governance records: every ballot, or one member by member",
        help: """
        Usage: ledger ballots [ID] [--at SEQ] [--as-of DATE] [--json|--csv]

        Without ID: every ballot opened, with its body, motion, frozen electorate, recusals,
        votes (for, against, abstain, blank, of which by proxy), whether the quorum is met and
        the motion adopted (recomputed under the rules frozen at opening, Specs/events.md
        section 5), and the decision that recorded it.
        With ID: the ballot's rules, then each member of its electorate: voted (and how),
        counted by proxy (and through whom), gave an unused proxy, recused or absent.

        \(ReportContext.optionsHelp)

        Examples:
          ledger ballots
          ledger ballots B-2024-01 --json

        """,
        valued: ReportContext.valued,
        flags: ReportContext.flags,
        run: run)

    static let listColumns: [(String, ReportTable.Kind)] = [
        ("ballot", .text), ("body", .text), ("motion", .text), ("subject", .text), ("amount", .amount), ("opened", .text),
        ("closed", .text), ("electorate", .integer), ("recused", .integer), ("for", .integer), ("against", .integer),
        ("abstain", .integer), ("blank", .integer), ("by_proxy", .integer), ("quorum_met", .flag), ("adopted", .flag),
        ("decision", .text), ("opened_seq", .seq), ("closed_seq", .seq),
    ]

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        if let extra = arguments.positionals.dropFirst().first { throw .usage("unexpected argument \"\(extra)\"") }
        let id: BallotID? = try arguments.positionals.first.map { (text) throws(CLIError) in try ReportContext.identifier(text, "a ballot") }
        if let id {
            let (report, found) = try ReportContext(arguments, context).checked { $0.views.ballot(id) }
            guard let ballot = found, ballot.opened != nil else { throw report.unknown("ballot", id.text) }
            BallotDetail.print(ballot, report)
            return .success
        }
        let (report, ballots) = try ReportContext(arguments, context).checked { $0.views.ballotList() }
        var table = ReportTable(listColumns)
        for ballot in ballots { table.append(row(ballot)) }
        switch report.output {
        case .csv: context.standardOutput(table.csv())
        case .json: report.printJSON(report.envelope("ballots", [("rows", table.jsonRows())]))
        case .people:
            context.print(report.heading("Ballots"))
            report.print(table)
        }
        return .success
    }

    /// The motion's subject and amount: `PRJ-29-01 from ess-bre`, `C-2024-01`, a resolution's
    /// text (its first 40 characters, `…` after).
    static func subject(_ ballot: BallotReport) -> (String, ReportTable.Cell) {
        guard case .resolution = ballot.motion, let text = ballot.motionText else { return subject(ballot.motion) }
        return (text.count > 40 ? String(text.prefix(40)) + "…" : text, .empty)
    }

    static func subject(_ motion: Motion) -> (String, ReportTable.Cell) {
        switch motion {
        case .fundProject(let project, let fund, let amount): return ("\(project.text) from \(fund.text)", .amount(amount.minorUnits))
        case .amendCommitment(let commitment, let amount), .writeOff(let commitment, let amount):
            return (commitment.text, .amount(amount.minorUnits))
        case .cancelCommitment(let commitment): return (commitment.text, .empty)
        case .resolution: return ("", .empty)
        }
    }

    static func row(_ ballot: BallotReport) -> [ReportTable.Cell] {
        let tally = ballot.outcome.tally
        let (subject, amount) = subject(ballot)
        return [.text(ballot.ballot.text), .text(ballot.body.text), .text(ballot.motion.kind.rawValue), .text(subject), amount,
                ballot.opened.map { .text($0.date.description) } ?? .empty, ballot.closed.map { .text($0.date.description) } ?? .empty,
                .integer(Int64(tally.electorate)), .integer(Int64(tally.recused)), .integer(Int64(tally.votesFor)),
                .integer(Int64(tally.against)), .integer(Int64(tally.abstain)), .integer(Int64(tally.blank)),
                .integer(Int64(tally.byProxy)), .flag(ballot.outcome.quorumMet), .flag(ballot.outcome.adopted),
                ballot.decision.map { .text($0.text) } ?? .empty,
                ballot.opened.map { .seq(Int64($0.seq)) } ?? .empty, ballot.closed.map { .seq(Int64($0.seq)) } ?? .empty]
    }
}

/// One ballot, member by member.
enum BallotDetail {
    static let memberColumns: [(String, ReportTable.Kind)] = [
        ("party", .text), ("part", .text), ("choice", .text), ("proxy_holder", .text), ("vote_seq", .seq),
    ]

    static func print(_ ballot: BallotReport, _ report: ReportContext) {
        var members = ReportTable(memberColumns)
        for member in ballot.members {
            members.append([.text(member.party.text), .text(member.part.rawValue), member.choice.map { .text($0.rawValue) } ?? .empty,
                            member.proxyHolder.map { .text($0.text) } ?? .empty, member.voteSeq.map { .seq(Int64($0)) } ?? .empty])
        }
        let summary = ReportTable(BallotsCommand.listColumns)
        let row = BallotsCommand.row(ballot)
        switch report.output {
        case .csv:
            report.context.standardOutput(members.csv())
        case .json:
            var object = zip(summary.columns, row).map { ($0.name, ReportTable.json($1)) }
            object += [("rules", rules(ballot.rules)), ("members", members.jsonRows()), ("text", ballot.motionText.map { .string($0) } ?? .null)]
            if let recorded = ballot.recorded {
                object.append(("recorded", .object(JSONObject([("adopted", .bool(recorded.adopted)), ("quorum_met", .bool(recorded.quorumMet))]))))
            }
            report.printJSON(report.envelope("ballot", object))
        case .people:
            printPeople(ballot, members: members, report)
        }
    }

    static func rules(_ rules: BodyRules) -> JSONValue {
        .object(JSONObject([
            ("quorum", .string(rules.quorum.description)), ("majority", .string(rules.majority.rawValue)),
            ("abstentions", .string(rules.abstentions.rawValue)), ("blanks", .string(rules.blanks.rawValue)),
            ("proxies_max", .integer(Int64(rules.proxiesMax))), ("amount_max", .integer(rules.amountMax.minorUnits)),
        ]))
    }

    static func printPeople(_ ballot: BallotReport, members: ReportTable, _ report: ReportContext) {
        let context = report.context
        let tally = ballot.outcome.tally
        let (subject, amount) = BallotsCommand.subject(ballot.motion)
        let shownAmount: String = if case .amount(let value) = amount { " " + report.money(value) } else { "" }
        context.print(report.heading("Ballot \(ballot.ballot) of \(ballot.body)"))
        context.print("  motion     \(ballot.motion.kind.rawValue)\(subject.isEmpty ? "" : " " + subject)\(shownAmount)"
                      + (ballot.motionText.map { ": " + TerminalText.safe($0, keepingNewlines: false) } ?? ""))
        let rules = ballot.rules
        context.print("  rules      quorum \(rules.quorum), majority \(rules.majority.rawValue), abstentions \(rules.abstentions.rawValue), "
                      + "blanks \(rules.blanks.rawValue), up to \(rules.proxiesMax) prox\(rules.proxiesMax == 1 ? "y" : "ies") each")
        context.print("  opened     \(ReportContext.shown(ballot.opened)); closed \(ReportContext.shown(ballot.closed))")
        context.print("  electorate \(tally.electorate), recused \(tally.recused), took part \(tally.participants) (\(tally.byProxy) by proxy)")
        context.print("  votes      for \(tally.votesFor), against \(tally.against), abstain \(tally.abstain), blank \(tally.blank)")
        context.print("  outcome    quorum \(ballot.outcome.quorumMet ? "met" : "NOT met"), \(ballot.outcome.adopted ? "adopted" : "not adopted")"
                      + (ballot.decision.map { ", recorded by decision \($0)" } ?? (ballot.closed == nil ? " (if it closed now)" : ", no decision yet")))
        context.print("")
        report.print(members, indent: "  ")
    }
}
