import LedgerDomain
import LedgerJSON

/// A report's rows, rendered three ways (Specs/reports.md, section 3): aligned for people
/// (amounts with thousands separators and the currency's decimals, totals last), CSV and JSON
/// for tools (amounts as integers of minor units, column names as documented).
struct ReportTable {
    /// `seq` is an integer shown without grouping (a sequence number, a year).
    enum Kind { case text, amount, integer, seq, flag }

    struct Column {
        /// The JSON key (and the CSV header, but for amounts): lowercase with underscores,
        /// documented in Specs/reports.md.
        let name: String
        let kind: Kind
        /// The header for people: the name in capitals, underscores as spaces.
        var title: String { name.uppercased().replacingEach("_", with: " ") }
        /// The CSV header: an amount column says its unit (`received_minor`: cents for the
        /// euro), as the export's `amount_minor` does, since a spreadsheet has nowhere else to
        /// say it; JSON says it once, in the envelope's `minor_units`.
        var csvName: String { kind == .amount ? name + "_minor" : name }
    }

    enum Cell: Equatable {
        case text(String)
        case amount(Int64)
        case integer(Int64)
        /// A sequence number or a year: never grouped.
        case seq(Int64)
        case flag(Bool)
        case empty
    }

    let columns: [Column]
    var rows: [[Cell]] = []
    /// Shown to people only (tools add up the rows themselves).
    var totals: [Cell]?

    init(_ columns: [(String, Kind)]) {
        self.columns = columns.map { Column(name: $0.0, kind: $0.1) }
    }

    mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "a row has a cell per column")
        rows.append(row)
    }

    /// Aligned lines: text left, numbers right, two spaces between columns.
    func people(minorUnits: Int, style: AmountText.Style, indent: String = "") -> [String] {
        let header = columns.map(\.title)
        var body = rows.map { $0.map { Self.shown($0, minorUnits: minorUnits, style: style) } }
        if let totals { body.append(totals.map { Self.shown($0, minorUnits: minorUnits, style: style) }) }
        let lines = [header] + body
        let widths = columns.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            let padded = cells.indices.map { column -> String in
                let fill = String(repeating: " ", count: widths[column] - cells[column].count)
                return columns[column].kind == .text || columns[column].kind == .flag ? cells[column] + fill : fill + cells[column]
            }
            var line = indent + padded.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    static func shown(_ cell: Cell, minorUnits: Int, style: AmountText.Style) -> String {
        switch cell {
        case .text(let text): return TerminalText.safe(text, keepingNewlines: false)
        case .amount(let value): return AmountText.format(value, minorUnits: minorUnits, style: style)
        case .integer(let value): return AmountText.format(value, minorUnits: 0)
        case .seq(let value): return String(value)
        case .flag(let value): return value ? "yes" : "no"
        case .empty: return ""
        }
    }

    /// RFC 4180: a header line, then one line per row; fields quoted when they need it.
    func csv() -> String {
        var text = columns.map(\.csvName).joined(separator: ",") + "\n"
        for row in rows {
            text += row.map(Self.csvField).joined(separator: ",") + "\n"
        }
        return text
    }

    static func csvField(_ cell: Cell) -> String {
        switch cell {
        case .text(let raw):
            // A cell a spreadsheet would take for a formula is shown as text (OWASP's advice:
            // a leading apostrophe); amounts are integer cells, never text, so never touched.
            // Scalars, not Characters: "=" then a combining mark still starts a formula, and a
            // quote then a combining mark is still a quote (String+Scalars.swift).
            let text = raw.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true ? "'" + raw : raw
            guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingEach("\"", with: "\"\"") + "\""
        case .amount(let value), .integer(let value), .seq(let value): return String(value)
        case .flag(let value): return value ? "true" : "false"
        case .empty: return ""
        }
    }

    /// One JSON object per row, keyed by column name.
    func jsonRows() -> JSONValue {
        .array(rows.map { row in .object(JSONObject(zip(columns, row).map { ($0.name, Self.json($1)) })) })
    }

    static func json(_ cell: Cell) -> JSONValue {
        switch cell {
        case .text(let text): return .string(text)
        case .amount(let value), .integer(let value), .seq(let value): return .integer(value)
        case .flag(let value): return .bool(value)
        case .empty: return .null
        }
    }
}

/// Amounts in journals and CSV exports: `-1234.50`, no grouping (what hledger and beancount read).
enum Amounts {
    static func plain(_ minorUnitsValue: Int64, minorUnits: Int) -> String {
        AmountText.format(minorUnitsValue, minorUnits: minorUnits).replacingEach(" ", with: "")
    }
}
