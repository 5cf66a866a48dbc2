import LedgerCore
import LedgerDomain
import LedgerEngine
import LedgerJSON

/// `ledger audit ID`: every event that touches an entity, in log order, with its sequence
/// number, recorded time, actor and hash; for money, the chain of authority behind it
/// (disbursement → commitment → decisions → ballots, with their votes, proxies and recusals).
enum AuditCommand {
    static let command = Command(
        name: "audit",
        summary: "the audit trail of any entity, with the chain of authority behind money",
        help: """
        Usage: ledger audit ID [--kind KIND] [--at SEQ] [--as-of DATE] [--json|--csv]

        Lists, in log order, every record that touches the entity named ID: those that cite it,
        those its actor appended (for an operator), and those that move its money (a reversal
        touches the contribution's party and fund; a disbursement's approval its commitment,
        project and fund). For a disbursement, commitment, project or decision it adds the chain
        of authority: the commitment it was paid on, the decisions that made, amended, cancelled
        or wrote it off, and the ballots that took them, with every vote, proxy and recusal; the
        VIA column says which link a record belongs to. Each line shows the record's sequence
        number, recorded time, effective date, actor, type and hash.

        ID is looked up among operators, parties, territories, funds, bodies, projects, ballots,
        decisions, commitments, disbursements and contribution references; when it names
        several, --kind chooses (exit 2 otherwise).

        \(ReportContext.optionsHelp)

        Examples:
          ledger audit DSB-2025-CTARA-01-1
          ledger audit P-0001 --kind party --csv

        """,
        valued: ReportContext.valued.union(["kind"]),
        flags: ReportContext.flags,
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        guard let id = arguments.positionals.first else { throw .usage("missing identifier: ledger audit ID") }
        if let extra = arguments.positionals.dropFirst().first { throw .usage("unexpected argument \"\(extra)\"") }
        guard FieldRules.isIdentifier(id) else { throw .usage("\"\(id)\" is not an identifier (letters, digits, . _ : -, at most 64 bytes)") }
        var wanted: EntityKind?
        if let text = arguments.value("kind") {
            guard let kind = EntityKind(rawValue: text) else {
                throw .usage("--kind \"\(text)\": one of \(EntityKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            wanted = kind
        }
        let report = try ReportContext(arguments, context, readsEverything: true)
        let kinds = report.views.kinds(of: id).filter { wanted == nil || $0 == wanted }
        guard let kind = kinds.first else { throw report.unknown(wanted?.rawValue ?? "entity", id) }
        guard kinds.count == 1 else {
            throw .usage("\"\(id)\" names a \(kinds.map(\.rawValue).joined(separator: " and a ")): choose with --kind")
        }
        let entity = EntityRef(kind, id)
        let authority = report.views.authority(of: entity)
        let entries: [AuditEntry]
        do { entries = try report.view.auditTrail(of: entity, authority: authority) } catch { throw CLIError(error) }
        AuditOutput.print(entity, chain: authority.links, entries: entries, report)
        return .success
    }
}
