import LedgerCore
import LedgerDomain
import LedgerJSON
import LedgerEngine

/// What every report shares: its options (`--at`, `--as-of`, `--json`, `--csv`), the state of
/// the log at that cut, and the envelope of its output (Specs/reports.md, sections 2 and 3).
struct ReportContext {
    enum Output { case people, json, csv }

    static let valued: Set<String> = ["at", "as-of"]
    static let flags: Set<String> = ["json", "csv", "from-log"]
    static let optionsHelp = """
    Common options: --ledger DIR (or LEDGER_DIR); --at SEQ (the log cut after record SEQ);
    --as-of YYYY-MM-DD (only records effective on or before that date count); --json or --csv
    for tools (amounts in minor units; columns in Specs/reports.md); --from-log to read no cache
    (every record folded from the genesis). The report says on its second line what it rests on
    besides the log: a state snapshot (of how many records, sealed by which operator) or nothing.
    Exit status: 0 done, 2 malformed option (a date or number that does not parse, an unknown
    format), 4 an unknown identifier or --at beyond the last record, 5 not a ledger (or a record
    the rules refuse: run `ledger verify`).
    """

    let output: Output
    /// The state of the log at the report's cut.
    let view: LedgerView
    let context: Context

    var cut: Ledger.Cut { view.cut }
    /// Records folded: the cut holds records 0 ..< records.
    var records: UInt64 { view.records }
    var views: Projections { view.projections }
    var minorUnits: Int { views.minorUnits }

    /// `readsEverything`: the report reads the bulk tables through and through (audits, exports):
    /// every page of the snapshot's base is checked first. A report that looks a few entries up
    /// computes through `checked` instead. `parts`: the parts of the projections the report
    /// prints (`Projections.Parts`: a rebuild from the log folds only those).
    init(_ arguments: Arguments, _ context: Context, readsEverything: Bool = false, parts: Projections.Parts = .all) throws(CLIError) {
        let at = try arguments.sequenceNumber("at")
        var asOf: CalendarDate?
        if let text = arguments.value("as-of") {
            guard let date = CalendarDate(text) else { throw .usage(Text.dateProblem(text, option: "as-of")) }
            asOf = date
        }
        guard !(arguments.has("json") && arguments.has("csv")) else { throw .usage("--json and --csv: choose one") }
        output = arguments.has("json") ? .json : arguments.has("csv") ? .csv : .people
        let ledger = try context.ledger(arguments)
        do {
            let mode: Ledger.ReadMode = arguments.has("from-log") ? .fromLog : readsEverything ? .cachedCheckingEveryPage : .cached
            view = try ledger.view(at: Ledger.Cut(at: at, asOf: asOf), mode: mode, parts: parts)
            context.keepUntilExit(view)
        } catch {
            throw CLIError(error)
        }
        self.context = context
    }

    private init(_ view: LedgerView, output: Output, context: Context) {
        (self.view, self.output, self.context) = (view, output, context)
    }

    /// `compute` on this state; if a read of the snapshot's base met a damaged page meanwhile
    /// (reported), `compute` again on a fold of the log from the genesis: nothing is ever printed
    /// from a damaged page. Returns the context the result was computed on.
    func checked<T>(_ compute: (ReportContext) throws(CLIError) -> T) throws(CLIError) -> (ReportContext, T) {
        var failure: CLIError?
        let output = output, context = context
        do throws(LedgerError) {
            let (view, result) = try view.checked { view throws(LedgerError) in
                do throws(CLIError) { return try compute(ReportContext(view, output: output, context: context)) } catch {
                    failure = error
                    throw LedgerError.invalidInput(error.message)
                }
            }
            context.keepUntilExit(view)
            return (ReportContext(view, output: output, context: context), result)
        } catch {
            throw failure ?? CLIError(error)
        }
    }

    /// `Balances by fund · Fonds de test (EUR) · 42 records (seq 0-41) · as of 2025-12-31`.
    func heading(_ title: String) -> String {
        var parts = [title]
        if let ledger = views.ledger { parts.append("\(TerminalText.safe(ledger.name, keepingNewlines: false)) (\(ledger.currency))") }
        let last = records == 0 ? "" : " (seq 0-\(records - 1))"
        parts.append("\(Format.grouped(records)) record\(records == 1 ? "" : "s")\(last)")
        if let asOf = cut.asOf { parts.append("as of \(asOf)") }
        return parts.joined(separator: " · ") + "\n  " + view.trusted.description
    }

    /// The JSON envelope: what was asked and of which ledger, then the report's own members.
    func envelope(_ report: String, _ members: [(String, JSONValue)]) -> JSONValue {
        var object = JSONObject([
            ("report", .string(report)), ("records", .integer(Int64(records))),
            ("at", cut.at.map { .integer(Int64($0)) } ?? .null), ("as_of", cut.asOf.map { .string($0.description) } ?? .null),
        ])
        if let ledger = views.ledger {
            object["ledger"] = .string(ledger.name)
            object["currency"] = .string(ledger.currency)
            object["minor_units"] = .integer(Int64(ledger.minorUnits))
        }
        object["trusted"] = Self.json(view.trusted)
        for (key, value) in members { object[key] = value }
        return .object(object)
    }

    /// What a report rests on besides the log, for tools.
    static func json(_ trusted: LedgerView.Trust) -> JSONValue {
        switch trusted {
        case .log:
            return .object(JSONObject([("source", .string("log"))]))
        case .snapshot(let snapshot, let tail):
            return .object(JSONObject([("records", .integer(Int64(snapshot.records))), ("sealed_by", snapshot.sealer.map { .string($0) } ?? .null),
                                       ("source", .string("snapshot")), ("tail", .integer(Int64(tail)))]))
        }
    }

    func printJSON(_ value: JSONValue) {
        context.printData(String(decoding: CanonicalJSON.encode(value), as: UTF8.self))
    }

    func print(_ table: ReportTable, indent: String = "") {
        for line in table.people(minorUnits: minorUnits, style: context.amountStyle, indent: indent) { context.print(line) }
    }

    /// An amount with the currency, for people: `1 234.50 EUR`, or (French) `1 234,50 €`.
    func money(_ value: Int64) -> String {
        AmountText.format(value, minorUnits: minorUnits, currency: views.currency, style: context.amountStyle)
    }

    /// `2025-03-31 (seq 42)`.
    static func shown(_ stamp: Stamp?) -> String {
        stamp.map { "\($0.date) (seq \($0.seq))" } ?? "-"
    }

    static func json(_ stamp: Stamp?) -> JSONValue {
        guard let stamp else { return .null }
        return .object(JSONObject([("seq", .integer(Int64(stamp.seq))), ("date", .string(stamp.date.description))]))
    }

    /// The identifier in `text`, or a usage error naming `what`.
    static func identifier<Kind>(_ text: String, _ what: String) throws(CLIError) -> Identifier<Kind> {
        guard let id = Identifier<Kind>(text) else {
            throw .usage("\"\(text)\" is not \(what) identifier (letters, digits, . _ : -, at most 64 bytes)")
        }
        return id
    }

    /// An identifier the log does not know (up to the cut): exit 4, as rule I0.unknown-reference.
    func unknown(_ noun: String, _ text: String) -> CLIError {
        CLIError(view.unknown(noun, text))
    }
}
