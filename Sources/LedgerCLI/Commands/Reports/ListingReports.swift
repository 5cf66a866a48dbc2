import LedgerCrypto
import LedgerDomain

/// `ledger operator|party|territory|fund|body list`: the directory of each family, as of any
/// cut, in the three renderings of every report.
enum ListingReports {
    static func verb(_ family: String, _ plural: String, _ description: String,
                     _ table: @escaping @Sendable (ReportContext) -> ReportTable) -> ReportCommands.ReportVerb {
        ReportCommands.ReportVerb(
            name: "list", synopsis: "[--at SEQ] [--as-of DATE] [--json|--csv]", description: description,
            example: "ledger \(family) list", valued: [],
            run: { arguments, context throws(CLIError) in
                if let extra = arguments.positionals.dropFirst().first { throw .usage("unexpected argument \"\(extra)\"") }
                // Through `checked`: a listing reads its entities from the snapshot's base.
                let (report, rows) = try ReportContext(arguments, context).checked { table($0) }
                switch report.output {
                case .csv: context.standardOutput(rows.csv())
                case .json: report.printJSON(report.envelope(plural, [("rows", rows.jsonRows())]))
                case .people:
                    context.print(report.heading(plural.prefix(1).uppercased() + plural.dropFirst()))
                    report.print(rows)
                }
                return .success
            })
    }

    static let operators = verb("operator", "operators", "Every operator: role, when registered and revoked, the start of their key.") { report in
        var table = ReportTable([("operator", .text), ("role", .text), ("registered", .seq), ("registered_on", .text),
                                 ("revoked_on", .text), ("key", .text)])
        for entry in report.views.operatorList {
            let key = report.view.rules.key(of: entry.id.text).map { KeyText.short($0) }
            table.append([.text(entry.id.text), .text(entry.role.rawValue), entry.registered.map { .seq(Int64($0.seq)) } ?? .empty,
                          entry.registered.map { .text($0.date.description) } ?? .empty, entry.revoked.map { .text($0.date.description) } ?? .empty,
                          key.map { .text($0) } ?? .empty])
        }
        return table
    }

    static let parties = verb("party", "parties", "Every party (pseudonymous: no name is in the log) and its kind.") { report in
        var table = ReportTable([("party", .text), ("kind", .text)])
        for entry in report.views.partyList { table.append([.text(entry.id.text), .text(entry.kind.rawValue)]) }
        return table
    }

    static let territories = verb("territory", "territories", "Every territory, its name and parent.") { report in
        var table = ReportTable([("territory", .text), ("name", .text), ("parent", .text)])
        for entry in report.views.territoryList {
            table.append([.text(entry.code.text), .text(entry.name), entry.parent.map { .text($0.text) } ?? .empty])
        }
        return table
    }

    static let funds = verb("fund", "funds", "Every fund, its name, pool and the territory it is earmarked for.") { report in
        var table = ReportTable([("fund", .text), ("name", .text), ("pool", .text), ("territory", .text)])
        for entry in report.views.fundList {
            table.append([.text(entry.id.text), .text(entry.name), .text(entry.pool.rawValue), entry.territory.map { .text($0.text) } ?? .empty])
        }
        return table
    }

    static let bodies = verb("body", "bodies", "Every governing body: kind, name, territory, members now, quorum, majority, amount_max.") { report in
        var table = ReportTable([("body", .text), ("kind", .text), ("name", .text), ("territory", .text), ("members", .integer),
                                 ("quorum", .text), ("majority", .text), ("amount_max", .amount)])
        for entry in report.views.bodyList {
            table.append([.text(entry.id.text), .text(entry.kind.rawValue), .text(entry.name), entry.territory.map { .text($0.text) } ?? .empty,
                          .integer(Int64(entry.memberCount)), .text("\(entry.rules.quorum)"), .text(entry.rules.majority.rawValue),
                          .amount(entry.rules.amountMax.minorUnits)])
        }
        return table
    }
}
