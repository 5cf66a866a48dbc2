#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerDomain
import LedgerJSON
import LedgerStorage

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

    struct Entry {
        let record: Record
        /// The chain links (or the entity itself: empty) it belongs to.
        let via: [EntityRef]
    }

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
        let entries = try trail(entity, authority: authority, report, paths: try context.ledgerPaths(arguments))
        AuditOutput.print(entity, chain: authority.links, entries: entries, report)
        return .success
    }

    /// One pass over the log up to the cut: lines that cannot concern the entity (none of its
    /// needles, none of the types that move its money) are not decoded.
    static func trail(_ entity: EntityRef, authority: Authority, _ report: ReportContext, paths: LedgerPaths) throws(CLIError) -> [Entry] {
        let filter = report.views.auditFilter(for: entity, chain: authority.links)
        let needles = filter.needles.map { Array("\"\($0)\"".utf8) }
        let types = filter.types.map { Array("\"type\":\"\($0.rawValue)\"".utf8) }
        let links = Set(authority.links)
        var entries: [Entry] = []
        var seq: UInt64 = 0
        var problem: String?
        do {
            _ = try LogScanner.scan(path: paths.log) { line, offset in
                defer { seq += 1 }
                guard seq < report.records else { return false }
                guard contains(line, needles) || contains(line, types) else { return true }
                guard let record = try? RecordCodec.decode(line: line).record else {
                    problem = "the record at byte \(offset) cannot be read; run `ledger verify`"
                    return false
                }
                if let asOf = report.cut.asOf, record.effective > asOf { return true }
                if report.views.touches(record).contains(entity) {
                    entries.append(Entry(record: record, via: []))
                } else if authority.through.map({ record.seq <= $0 }) ?? true {
                    let via = Projections.subjects(record).filter { links.contains($0) }
                    if !via.isEmpty { entries.append(Entry(record: record, via: via)) }
                }
                return true
            }
        } catch let error as StorageError {
            throw CLIError(error)
        } catch {
            throw CLIError(message: "a line longer than a record; run `ledger verify`", exitCode: .notALedger)
        }
        if let problem { throw CLIError(message: problem, exitCode: .notALedger) }
        return entries
    }

    static func contains(_ line: UnsafeRawBufferPointer, _ needles: [[UInt8]]) -> Bool {
        needles.contains { LineSearch.contains(line, $0) }
    }
}

/// Substring search in a line: memchr for the needle's second byte (its first is a quote, too
/// common in JSON to skip by), then a comparison.
enum LineSearch {
    static func contains(_ line: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        precondition(needle.count >= 2, "needles are quoted texts")
        guard let base = line.baseAddress, line.count >= needle.count else { return false }
        return needle.withUnsafeBytes { wanted in
            var position = 1
            let last = line.count - needle.count + 1
            while position < last + 1, let hit = memchr(base + position, Int32(needle[1]), last + 1 - position) {
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at - 1, wanted.baseAddress!, needle.count) == 0 { return true }
                position = at + 1
            }
            return false
        }
    }
}
