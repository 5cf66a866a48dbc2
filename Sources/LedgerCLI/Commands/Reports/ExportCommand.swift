import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// `ledger export --format hledger|beancount|csv`: a double-entry journal of every money event,
/// each transaction carrying its record's sequence number and hash (Specs/reports.md, section 6).
enum ExportCommand {
    enum Format: String, CaseIterable { case hledger, beancount, csv }

    static let command = Command(
        name: "export",
        summary: "a double-entry journal of the money events (hledger, beancount, CSV)",
        help: """
        Usage: ledger export --format hledger|beancount|csv [--at SEQ] [--as-of DATE]

        Writes to standard output one transaction per money event (contributions, reversals,
        repayments to lenders, executed disbursements, repayments received, write-offs), dated
        by its effective date, in log order, with the record's sequence number and hash as
        metadata. Each fund has its accounts: assets:cash:FUND, assets:loans:FUND,
        assets:investments:FUND, liabilities:lenders:FUND, equity:investments:FUND,
        income:INSTRUMENT:FUND, expenses:grants:FUND, expenses:written-off:FUND. The balances a
        tool computes over them are those of `ledger balances`: cash, loans out, and loans in
        (negated, as a liability). `hledger` output is also read by ledger-cli; `beancount`
        opens every account first; `csv` has one row per posting.

        Common options: --ledger DIR (or LEDGER_DIR); --at SEQ (the log cut after record SEQ);
        --as-of YYYY-MM-DD (only records effective on or before that date count).
        Exit status: 0 done, 2 an unknown format or an option that does not parse, 4 --at beyond
        the last record, 5 not a ledger (or a record the rules refuse: run `ledger verify`).

        Examples:
          ledger export --format hledger > fund.journal && hledger -f fund.journal bal assets:cash
          ledger export --format beancount --as-of 2025-12-31 > fund-2025.beancount

        """,
        valued: ReportContext.valued.union(["format"]),
        flags: [],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let text = try arguments.required("format")
        guard let format = Format(rawValue: text) else {
            throw .usage("--format \"\(text)\": one of \(Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let report = try ReportContext(arguments, context, readsEverything: true)
        var writer = JournalWriter(format: format, views: report.views, output: context.standardOutput)
        writer.header(records: report.records)
        try scan(report, paths: try context.ledgerPaths(arguments)) { record, postings in writer.transaction(record, postings) }
        writer.flush()
        return .success
    }

    /// Every money event up to the cut, with its postings, in log order.
    static func scan(_ report: ReportContext, paths: LedgerPaths, _ body: (Record, [Posting]) -> Void) throws(CLIError) {
        let types = ["contribution.recorded", "contribution.reversed", "lender.repaid", "disbursement.executed",
                     "repayment.received", "loan.written_off"].map { Array("\"type\":\"\($0)\"".utf8) }
        precondition(types.count == 6, "every type Projections.movesMoney accepts")
        var seq: UInt64 = 0
        var problem: String?
        do {
            _ = try LogScanner.scan(path: paths.log) { line, offset in
                defer { seq += 1 }
                guard seq < report.records else { return false }
                guard types.contains(where: { LineSearch.contains(line, $0) }) else { return true }
                guard let record = try? RecordCodec.decode(line: line).record else {
                    problem = "the record at byte \(offset) cannot be read; run `ledger verify`"
                    return false
                }
                if let asOf = report.cut.asOf, record.effective > asOf { return true }
                guard Projections.movesMoney(record.type), let postings = report.views.postings(for: record) else { return true }
                body(record, postings)
                return true
            }
        } catch let error as StorageError {
            throw CLIError(error)
        } catch {
            throw CLIError(message: "a line longer than a record; run `ledger verify`", exitCode: .notALedger)
        }
        if let problem { throw CLIError(message: problem, exitCode: .notALedger) }
    }
}
