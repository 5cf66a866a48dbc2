#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerDomain
import LedgerStorage

extension Ledger {
    /// Calls `body` with every complete record of the log in order, decoded but not hash-checked
    /// (that is `verify`), with its line exactly as stored, until `body` returns false. A torn
    /// tail is not a record; a line that does not decode stops the scan with `damagedLog`.
    public func forEachRecord(_ body: (Record, UnsafeRawBufferPointer) -> Bool) throws(LedgerError) {
        var problem: String?
        try scanLines { line, offset in
            let record: Record
            do throws(RecordCodec.LineProblem) { record = try RecordCodec.decode(line: line).record } catch {
                problem = "the record at byte \(offset) cannot be read (\(error.kind.rawValue)); run `ledger verify`"
                return false
            }
            return body(record, line)
        }
        if let problem { throw .damagedLog(problem) }
    }

    /// Every complete line of the log with its offset, until `body` returns false.
    func scanLines(_ body: (UnsafeRawBufferPointer, UInt64) -> Bool) throws(LedgerError) {
        do {
            _ = try LogScanner.scan(path: paths.log, body)
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .damagedLog("a line longer than a record; run `ledger verify`")
        }
    }
}

/// One record of an entity's audit trail.
public struct AuditEntry: Sendable {
    public let record: Record
    /// The links of the chain of authority it belongs to (empty: it touches the entity itself).
    public let via: [EntityRef]
}

extension LedgerView {
    /// The records that touch `entity` up to the cut, in log order, and those of its chain of
    /// authority (Specs/reports.md, the audit trail). One pass over the log: lines that cannot
    /// concern the entity (none of its needles, none of the types that move its money) are not
    /// decoded.
    public func auditTrail(of entity: EntityRef, authority: Authority) throws(LedgerError) -> [AuditEntry] {
        let filter = projections.auditFilter(for: entity, chain: authority.links)
        let needles = filter.needles.map { Array("\"\($0)\"".utf8) }
        let types = filter.types.map { Array("\"type\":\"\($0.rawValue)\"".utf8) }
        let links = Set(authority.links)
        var entries: [AuditEntry] = []
        try forEachLine(matching: needles + types) { record in
            if let asOf = cut.asOf, record.effective > asOf { return }
            if projections.touches(record).contains(entity) {
                entries.append(AuditEntry(record: record, via: []))
            } else if authority.through.map({ record.seq <= $0 }) ?? true {
                let via = Projections.subjects(record).filter { links.contains($0) }
                if !via.isEmpty { entries.append(AuditEntry(record: record, via: via)) }
            }
        }
        return entries
    }

    /// Every money event up to the cut (effective by `cut.asOf`), with its double-entry
    /// postings, in log order: what the journal exports write.
    public func forEachMoneyMovement(_ body: (Record, [Posting]) -> Void) throws(LedgerError) {
        let types = ["contribution.recorded", "contribution.reversed", "lender.repaid", "disbursement.executed",
                     "repayment.received", "loan.written_off"]
        precondition(types.allSatisfy(Projections.movesMoney), "every type Projections.movesMoney accepts")
        try forEachLine(matching: types.map { Array("\"type\":\"\($0)\"".utf8) }) { record in
            if let asOf = cut.asOf, record.effective > asOf { return }
            guard Projections.movesMoney(record.type), let postings = projections.postings(for: record) else { return }
            body(record, postings)
        }
    }

    /// The records of the cut whose line contains one of `needles`, decoded, in log order.
    private func forEachLine(matching needles: [[UInt8]], _ body: (Record) -> Void) throws(LedgerError) {
        var seq: UInt64 = 0
        var problem: String?
        try ledger.scanLines { line, offset in
            defer { seq += 1 }
            guard seq < records else { return false }
            guard needles.contains(where: { LineSearch.contains(line, $0) }) else { return true }
            guard let record = try? RecordCodec.decode(line: line).record else {
                problem = "the record at byte \(offset) cannot be read; run `ledger verify`"
                return false
            }
            body(record)
            return true
        }
        if let problem { throw .damagedLog(problem) }
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
