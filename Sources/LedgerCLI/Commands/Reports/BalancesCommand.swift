import LedgerDomain
import LedgerJSON

/// `ledger balances`: what each fund has, has promised and has paid, grouped by fund, pool,
/// instrument, effective year or territory (projects rolled up the territory tree).
enum BalancesCommand {
    static let command = Command(
        name: "balances",
        summary: "money by fund, pool, instrument, year or territory, as of any point",
        help: """
        Usage: ledger balances [--by fund|pool|instrument|year|territory] [--at SEQ] [--as-of DATE] [--json|--csv]

        What each fund received, gave back (reversals, repayments to lenders), committed,
        disbursed, got repaid and wrote off, and what follows: cash, still to pay on commitments,
        available money, loans outstanding (owed to lenders: LOANS IN; owed by projects: LOANS
        OUT). Rows are grouped by fund (default), pool, instrument (in: how money came, out: how
        it went to projects) or effective year; every grouping adds up to the same total.
        --by territory instead rolls the projects up the territory tree: requested, approved,
        committed, disbursed, remaining, repaid, written off, loans outstanding.

        \(ReportContext.optionsHelp)

        Examples:
          ledger balances
          ledger balances --by year --as-of 2025-12-31
          ledger balances --by territory --csv

        """,
        valued: ReportContext.valued.union(["by"]),
        flags: ReportContext.flags,
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let text = arguments.value("by") ?? "fund"
        guard let grouping = BalanceGrouping(rawValue: text) else {
            throw .usage("--by \"\(text)\": one of \(BalanceGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // Money flows, and for territories the projects' approvals: no statement lines, no
        // ballot's votes, and by fund, pool, instrument or year no ballots (Projections.Parts).
        let read = try ReportContext(arguments, context, parts: grouping == .territory ? [.governance] : [])
        if grouping == .territory {
            let (report, rows) = try read.checked { $0.views.territoryRows() }
            TerritoryReport.print(rows, report)
            return .success
        }
        let (report, balances) = try read.checked { $0.views.balances(by: grouping) }
        var table = ReportTable(balances.labelColumns.map { ($0, .text) } + amountColumns.map { ($0, .amount) })
        for row in balances.rows { table.append(row.labels.map { .text($0) } + cells(row.balance)) }
        table.totals = [.text("TOTAL")] + Array(repeating: .text(""), count: balances.labelColumns.count - 1) + cells(balances.total)
        switch report.output {
        case .csv:
            context.standardOutput(table.csv())
        case .json:
            report.printJSON(report.envelope("balances", [
                ("by", .string(grouping.rawValue)), ("rows", table.jsonRows()),
                ("total", .object(JSONObject(zip(amountColumns, cells(balances.total)).map { ($0, ReportTable.json($1)) }))),
            ]))
        case .people:
            context.print(report.heading("Balances by \(grouping.rawValue)"))
            report.print(table)
        }
        return .success
    }

    /// The amount columns, in order (Specs/reports.md, section 4.1).
    static let amountColumns = ["received", "reversed", "lenders_repaid", "committed", "disbursed", "repayments", "written_off",
                                "cash", "to_pay", "available", "loans_in", "loans_out"]

    static func cells(_ balance: Balance) -> [ReportTable.Cell] {
        let flows = balance.flows
        return [flows.received, flows.reversed, flows.lendersRepaid, flows.committed, flows.disbursed, flows.repayments,
                flows.writtenOff, balance.cash, balance.toPay, balance.available, balance.loansIn, balance.loansOut].map { .amount($0) }
    }
}

/// `ledger balances --by territory`: projects rolled up the territory tree.
enum TerritoryReport {
    static let amountColumns = ["requested", "approved", "committed", "disbursed", "remaining", "repaid", "written_off", "loans_out"]
    /// What the funds earmarked for the territory (or below it) hold: a committee's money.
    static let fundColumns: [(String, ReportTable.Kind)] = [("funds", .integer), ("funds_cash", .amount), ("funds_available", .amount)]

    static func cells(_ figures: ProjectFigures) -> [ReportTable.Cell] {
        [.integer(Int64(figures.projects))] + [figures.requested, figures.approved, figures.committed, figures.disbursed,
                                                figures.remaining, figures.repaid, figures.writtenOff, figures.loansOutstanding].map { .amount($0) }
    }

    static func print(_ rows: [TerritoryRow], _ report: ReportContext) {
        // People see the tree by indentation; tools get each territory's parent and depth.
        let people = report.output == .people
        let tree: [(String, ReportTable.Kind)] = people ? [] : [("parent", .text), ("depth", .seq)]
        var table = ReportTable([("territory", .text), ("name", .text)] + tree + [("projects", .integer)] + amountColumns.map { ($0, .amount) }
                                + fundColumns)
        for row in rows {
            let code = people ? String(repeating: "  ", count: row.depth - 1) + row.territory.text : row.territory.text
            let place: [ReportTable.Cell] = people ? [] : [row.parent.map { .text($0.text) } ?? .empty, .seq(Int64(row.depth))]
            table.append([.text(code), .text(row.name)] + place + cells(row.figures)
                         + [.integer(Int64(row.funds)), .amount(row.fundsCash), .amount(row.fundsAvailable)])
        }
        switch report.output {
        case .csv: report.context.standardOutput(table.csv())
        case .json: report.printJSON(report.envelope("balances", [("by", .string("territory")), ("rows", table.jsonRows())]))
        case .people:
            report.context.print(report.heading("Projects and earmarked funds by territory (each territory includes those below it)"))
            report.print(table)
        }
    }
}
