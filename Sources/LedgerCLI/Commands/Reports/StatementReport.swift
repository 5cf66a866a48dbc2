import LedgerDomain
import LedgerJSON

/// `ledger party statement ID`: a contributor's statement per effective year: what they gave,
/// when, to which fund, by which instrument, and what came back to them.
enum StatementReport {
    static let statement = ReportCommands.ReportVerb(
        name: "statement", synopsis: "ID [--year YYYY] [--at SEQ] [--as-of DATE] [--json|--csv]",
        description: "Contributions, reversals (refunds, corrections...) and repayments to the party as a lender,\n"
            + "by effective year, with each year's totals. --csv gives one row per movement.",
        example: "ledger party statement P-0001 --year 2025", valued: ["year", "party"], run: run)

    static let columns: [(String, ReportTable.Kind)] = [
        ("year", .seq), ("seq", .seq), ("date", .text), ("movement", .text), ("fund", .text), ("instrument", .text),
        ("amount", .amount), ("ref", .text), ("contribution", .text), ("reason", .text),
    ]

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        let text = try ReportCommands.subject(arguments, "ledger party statement ID", option: "party")
        let id: PartyID = try ReportContext.identifier(text, "a party")
        var year: Int?
        if let yearText = arguments.value("year") {
            guard yearText.utf8.count == 4, let value = Int(yearText), value >= 1 else {
                throw .usage("--year must be a year YYYY, got \"\(yearText)\"")
            }
            year = value
        }
        let (report, found) = try ReportContext(arguments, context).checked { $0.views.statement(id, year: year) }
        guard let statement = found, statement.listed else { throw report.unknown("party", text) }
        var table = ReportTable(columns)
        for entry in statement.years {
            for line in entry.lines {
                table.append([.seq(Int64(entry.year)), .seq(Int64(line.stamp.seq)), .text(line.stamp.date.description),
                              .text(line.kind.rawValue), .text(line.fund.text), .text(line.instrument.rawValue),
                              .amount(line.amount.minorUnits), .text(line.reference.text), line.contribution.map { .text($0.text) } ?? .empty,
                              line.reason.map { .text($0.rawValue) } ?? .empty])
            }
        }
        switch report.output {
        case .csv: context.standardOutput(table.csv())
        case .json: report.printJSON(report.envelope("statement", json(statement, year: year, table: table)))
        case .people: printPeople(statement, year: year, report)
        }
        return .success
    }

    static func totals(_ contributed: Int64, _ reversed: Int64, _ repaid: Int64, _ net: Int64) -> [(String, JSONValue)] {
        [("contributed", .integer(contributed)), ("reversed", .integer(reversed)), ("repaid_to_lender", .integer(repaid)),
         ("net", .integer(net))]
    }

    static func json(_ statement: PartyStatement, year: Int?, table: ReportTable) -> [(String, JSONValue)] {
        let years: [JSONValue] = statement.years.map { entry in
            .object(JSONObject([("year", .integer(Int64(entry.year)))]
                               + totals(entry.contributed, entry.reversed, entry.repaidToLender, entry.net)))
        }
        return [("party", .string(statement.party.text)), ("kind", .string(statement.kind.rawValue)),
                ("year", year.map { .integer(Int64($0)) } ?? .null), ("years", .array(years)), ("lines", table.jsonRows()),
                ("total", .object(JSONObject(totals(statement.contributed, statement.reversed, statement.repaidToLender, statement.net))))]
    }

    static func printPeople(_ statement: PartyStatement, year: Int?, _ report: ReportContext) {
        report.context.print(report.heading("Statement of \(statement.party) (\(statement.kind.rawValue))" + (year.map { ", \($0)" } ?? "")))
        if statement.years.isEmpty { report.context.print("  no money in or back in this period") }
        for entry in statement.years {
            report.context.print("")
            report.context.print("  \(entry.year)")
            var table = ReportTable([("date", .text), ("seq", .seq), ("movement", .text), ("fund", .text), ("instrument", .text),
                                     ("amount", .amount), ("ref", .text), ("of", .text)])
            for line in entry.lines {
                let signed = line.kind == .contribution ? line.amount.minorUnits : -line.amount.minorUnits
                let movement = line.kind.rawValue.replacingEach("_", with: " ") + (line.reason.map { " (\($0.rawValue))" } ?? "")
                table.append([.text(line.stamp.date.description), .seq(Int64(line.stamp.seq)), .text(movement), .text(line.fund.text),
                              .text(line.instrument.rawValue), .amount(signed), .text(line.reference.text),
                              .text(line.contribution?.text ?? "")])
            }
            table.totals = [.text("net \(entry.year)"), .empty, .empty, .empty, .empty, .amount(entry.net), .empty, .empty]
            report.print(table, indent: "    ")
        }
        let money = { (value: Int64) in report.money(value) }
        report.context.print("")
        report.context.print("  total: contributed \(money(statement.contributed)), reversed \(money(statement.reversed)), "
                             + "repaid to the party \(money(statement.repaidToLender)), net \(money(statement.net))")
    }
}
