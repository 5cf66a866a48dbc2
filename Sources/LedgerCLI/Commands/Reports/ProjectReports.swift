import LedgerDomain
import LedgerJSON

/// `ledger project show ID` and `ledger project list`: what a project asked for, was granted,
/// committed, paid and repaid, tranche by tranche; and every project, for a territory's committee.
enum ProjectReports {
    static let show = ReportCommands.ReportVerb(
        name: "show", synopsis: "ID [--at SEQ] [--as-of DATE] [--json|--csv]",
        description: "A project: requested, approved, committed, disbursed, remaining, repaid, written off;\n"
            + "each commitment with its decisions, tranches (amount, disbursed, pending, remaining) and\n"
            + "disbursements. --csv gives one row per tranche.",
        example: "ledger project show PRJ-29-01", valued: [], run: runShow)

    static let list = ReportCommands.ReportVerb(
        name: "list", synopsis: "[--territory CODE] [--status STATUS] [--at SEQ] [--as-of DATE] [--json|--csv]",
        description: "Every project (inside the territory, or below it, when given) with its figures.",
        example: "ledger project list --territory FR-BRE --status disbursing", valued: ["territory", "status"], run: runList)

    static let figureColumns = ["requested", "approved", "committed", "disbursed", "remaining", "repaid", "written_off", "loans_out"]

    static func figureCells(_ figures: ProjectFigures) -> [ReportTable.Cell] {
        [figures.requested, figures.approved, figures.committed, figures.disbursed, figures.remaining, figures.repaid,
         figures.writtenOff, figures.loansOutstanding].map { .amount($0) }
    }

    static func runList(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        if let extra = arguments.positionals.dropFirst().first { throw .usage("unexpected argument \"\(extra)\"") }
        let territory: TerritoryCode? = try arguments.value("territory").map { (text) throws(CLIError) in
            try ReportContext.identifier(text, "a territory")
        }
        let status = try arguments.value("status").map { (text) throws(CLIError) -> ProjectStatus in
            guard let status = ProjectStatus(rawValue: text) else {
                throw .usage("--status \"\(text)\": one of " + ProjectStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return status
        }
        let (report, summaries) = try ReportContext(arguments, context).checked { (report) throws(CLIError) in
            if let territory, !report.views.isTerritory(territory) { throw report.unknown("territory", territory.text) }
            return report.views.projectList(within: territory)
        }
        var table = ReportTable([("project", .text), ("organisation", .text), ("territory", .text), ("instrument", .text),
                                 ("status", .text)] + figureColumns.map { ($0, .amount) })
        var total = ProjectFigures()
        for summary in summaries where status.map({ summary.status == $0 }) ?? true {
            table.append([.text(summary.project.text), .text(summary.organisation.text), .text(summary.territory.text),
                          .text(summary.instrument.rawValue), .text(summary.status.rawValue)] + figureCells(summary.figures))
            total.add(summary.figures)
        }
        table.totals = [.text("TOTAL"), .text(""), .text(""), .text(""), .text("")] + figureCells(total)
        switch report.output {
        case .csv: context.standardOutput(table.csv())
        case .json:
            report.printJSON(report.envelope("projects", [("status", status.map { .string($0.rawValue) } ?? .null),
                                                         ("territory", territory.map { .string($0.text) } ?? .null),
                                                         ("rows", table.jsonRows())]))
        case .people:
            context.print(report.heading("Projects" + (status.map { " \($0.rawValue)" } ?? "")
                                         + (territory.map { " in \($0) and below" } ?? "")))
            report.print(table)
        }
        return .success
    }

    static func runShow(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        let text = try ReportCommands.subject(arguments, "ledger project show ID")
        let id: ProjectID = try ReportContext.identifier(text, "a project")
        let (report, found) = try ReportContext(arguments, context).checked { $0.views.project(id) }
        guard let project = found, project.applied else { throw report.unknown("project", text) }
        let tranches = trancheTable(project)
        switch report.output {
        case .csv: context.standardOutput(tranches.csv())
        case .json: report.printJSON(report.envelope("project", json(project)))
        case .people: printPeople(project, tranches: tranches, report)
        }
        return .success
    }

    static func trancheTable(_ project: ProjectReport) -> ReportTable {
        var table = ReportTable([("commitment", .text), ("fund", .text), ("tranche", .seq), ("amount", .amount),
                                 ("disbursed", .amount), ("pending", .amount), ("remaining", .amount)])
        for commitment in project.commitments {
            for tranche in commitment.tranches {
                table.append([.text(commitment.commitment.text), .text(commitment.fund.text), .seq(Int64(tranche.number)),
                              .amount(tranche.amount), .amount(tranche.disbursed), .amount(tranche.pending), .amount(tranche.remaining)])
            }
        }
        return table
    }

    static func printPeople(_ project: ProjectReport, tranches: ReportTable, _ report: ReportContext) {
        let summary = project.summary
        let context = report.context
        context.print(report.heading("Project \(summary.project)"))
        context.print("  organisation \(summary.organisation), territory \(summary.territory), instrument \(summary.instrument.rawValue), "
                      + "status \(summary.status.rawValue)")
        if !project.interested.isEmpty { context.print("  interests declared by \(project.interested.map(\.text).joined(separator: ", "))") }
        if !project.ballots.isEmpty { context.print("  ballots \(project.ballots.map(\.text).joined(separator: ", "))") }
        var figures = ReportTable(figureColumns.map { ($0, .amount) })
        figures.append(figureCells(summary.figures))
        report.print(figures, indent: "  ")
        for commitment in project.commitments {
            let state = commitment.cancelled.map { ", cancelled \(ReportContext.shown($0))" } ?? ""
            context.print("")
            context.print("  commitment \(commitment.commitment) from fund \(commitment.fund), made \(ReportContext.shown(commitment.made))"
                          + " on decision\(commitment.decisions.count == 1 ? "" : "s") \(commitment.decisions.map(\.text).joined(separator: ", "))\(state)")
            context.print("    committed \(amount(commitment.committed, report)), disbursed \(amount(commitment.disbursed, report)), "
                          + "repaid \(amount(commitment.repaid, report)), written off \(amount(commitment.writtenOff, report))")
            var table = ReportTable([("disbursement", .text), ("tranche", .seq), ("amount", .amount), ("stage", .text),
                                     ("requested", .text), ("approved", .text), ("executed", .text), ("ref", .text)])
            for d in commitment.disbursements {
                let last = d.stage == .rejected ? "rejected " + ReportContext.shown(d.rejected) : ReportContext.shown(d.executed)
                table.append([.text(d.disbursement.text), .seq(Int64(d.tranche)), .amount(d.amount), .text(d.stage?.rawValue ?? "-"),
                              .text(ReportContext.shown(d.requested)), .text(ReportContext.shown(d.approved)), .text(last),
                              .text(d.reference?.text ?? "")])
            }
            var own = ReportTable(tranches.columns.dropFirst(2).map { ($0.name, $0.kind) })
            for row in tranches.rows where row[0] == .text(commitment.commitment.text) { own.append(Array(row.dropFirst(2))) }
            report.print(own, indent: "    ")
            if !commitment.disbursements.isEmpty { report.print(table, indent: "    ") }
        }
    }

    static func amount(_ value: Int64, _ report: ReportContext) -> String {
        report.money(value)
    }

    static func json(_ project: ProjectReport) -> [(String, JSONValue)] {
        let summary = project.summary
        let figures = JSONObject(zip(figureColumns, figureCells(summary.figures)).map { ($0, ReportTable.json($1)) })
        let commitments: [JSONValue] = project.commitments.map { c in
            .object(JSONObject([
                ("commitment", .string(c.commitment.text)), ("fund", .string(c.fund.text)),
                ("decisions", .array(c.decisions.map { .string($0.text) })), ("made", ReportContext.json(c.made)),
                ("cancelled", ReportContext.json(c.cancelled)), ("committed", .integer(c.committed)),
                ("disbursed", .integer(c.disbursed)), ("repaid", .integer(c.repaid)), ("written_off", .integer(c.writtenOff)),
                ("tranches", .array(c.tranches.map { t in .object(JSONObject([
                    ("tranche", .integer(Int64(t.number))), ("amount", .integer(t.amount)), ("disbursed", .integer(t.disbursed)),
                    ("pending", .integer(t.pending)), ("remaining", .integer(t.remaining)),
                ])) })),
                ("disbursements", .array(c.disbursements.map { d in .object(JSONObject([
                    ("disbursement", .string(d.disbursement.text)), ("tranche", .integer(Int64(d.tranche))), ("amount", .integer(d.amount)),
                    ("stage", d.stage.map { .string($0.rawValue) } ?? .null), ("requested", ReportContext.json(d.requested)),
                    ("approved", ReportContext.json(d.approved)), ("executed", ReportContext.json(d.executed)),
                    ("rejected", ReportContext.json(d.rejected)), ("ref", d.reference.map { .string($0.text) } ?? .null),
                ])) })),
            ]))
        }
        return [("project", .string(summary.project.text)), ("organisation", .string(summary.organisation.text)),
                ("territory", .string(summary.territory.text)), ("instrument", .string(summary.instrument.rawValue)),
                ("status", .string(summary.status.rawValue)), ("figures", .object(figures)), ("interested", .array(project.interested.map { .string($0.text) })),
                ("ballots", .array(project.ballots.map { .string($0.text) })), ("commitments", .array(commitments))]
    }
}
