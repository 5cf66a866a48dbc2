import LedgerCore
import LedgerDomain
import LedgerEngine
import LedgerJSON

/// An audit trail for people (the chain, then the records), as CSV (one row per record) or as
/// JSON (the chain and the records with their payloads).
enum AuditOutput {
    static let columns: [(String, ReportTable.Kind)] = [
        ("seq", .seq), ("recorded_at", .text), ("effective", .text), ("actor", .text), ("type", .text), ("via", .text),
        ("hash", .text),
    ]

    static func print(_ entity: EntityRef, chain: [EntityRef], entries: [AuditEntry], _ report: ReportContext) {
        var table = ReportTable(columns)
        for entry in entries {
            let record = entry.record
            table.append([.seq(Int64(record.seq)), .text(record.recordedAt.description), .text(record.effective.description),
                          .text(record.actor), .text(record.type), .text(entry.via.isEmpty ? "direct" : entry.via.map(\.description).joined(separator: "; ")),
                          .text(record.hash.hex)])
        }
        switch report.output {
        case .csv:
            report.context.standardOutput(table.csv())
        case .json:
            let events: [JSONValue] = zip(table.jsonRows().arrayValue ?? [], entries).map { row, entry in
                var object = row.objectValue ?? JSONObject()
                object["via"] = .array(entry.via.map { .string($0.description) })
                object["payload"] = .object(entry.record.payload)
                return .object(object)
            }
            let links: [JSONValue] = chain.map { .object(JSONObject([("kind", .string($0.kind.rawValue)), ("id", .string($0.id))])) }
            report.printJSON(report.envelope("audit", [
                ("entity", .object(JSONObject([("kind", .string(entity.kind.rawValue)), ("id", .string(entity.id))]))),
                ("authority", .array(links)), ("events", .array(events)),
            ]))
        case .people:
            report.context.print(report.heading("Audit trail of \(entity)"))
            for line in authorityLines(chain, report) { report.context.print(line) }
            report.context.print("  \(entries.count) record\(entries.count == 1 ? "" : "s"); VIA names the link of the chain a record belongs to")
            report.print(table, indent: "  ")
        }
    }

    /// One line per link of the chain of authority, with what it decided.
    static func authorityLines(_ chain: [EntityRef], _ report: ReportContext) -> [String] {
        guard !chain.isEmpty else { return [] }
        let views = report.views
        let money = { (value: Int64) in report.money(value) }
        var lines = ["  chain of authority:"]
        for link in chain {
            var text = "    \(link)"
            switch link.kind {
            case .commitment:
                if let id = CommitmentID(link.id), let project = views.commitmentProject(id),
                   let report = views.project(project)?.commitments.first(where: { $0.commitment == id }) {
                    text += ": project \(project), fund \(report.fund), committed \(money(report.committed)), made \(ReportContext.shown(report.made))"
                }
            case .decision:
                if let id = DecisionID(link.id), let ballotID = views.ballot(ofDecision: id), let ballot = views.ballot(ballotID),
                   let recorded = ballot.recorded {
                    let t = recorded.tally
                    text += ": ballot \(ballotID), \(recorded.adopted ? "adopted" : "not adopted"), quorum \(recorded.quorumMet ? "met" : "not met")"
                        + " (for \(t.votesFor), against \(t.against), abstain \(t.abstain), blank \(t.blank); \(t.byProxy) by proxy, \(t.recused) recused)"
                }
            case .ballot:
                if let id = BallotID(link.id), let ballot = views.ballot(id) {
                    text += ": body \(ballot.body), \(ballot.motion.kind.rawValue), electorate \(ballot.outcome.tally.electorate),"
                        + " opened \(ReportContext.shown(ballot.opened)), closed \(ReportContext.shown(ballot.closed))"
                }
            default:
                break
            }
            lines.append(text)
        }
        return lines
    }
}
