import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerEngine

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
        do {
            try report.view.forEachMoneyMovement { record, postings in writer.transaction(record, postings) }
        } catch {
            throw CLIError(error)
        }
        writer.flush()
        return .success
    }
}
