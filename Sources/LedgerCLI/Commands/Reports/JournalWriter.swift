import LedgerCore
import LedgerCrypto
import LedgerDomain

/// Writes transactions in the syntax of hledger (also read by ledger-cli), beancount or CSV,
/// through one buffer: a million transactions make a few thousand writes.
struct JournalWriter {
    let format: ExportCommand.Format
    let views: Projections
    let output: (String) -> Void
    let names: [FundID: String]
    var buffer = ""

    init(format: ExportCommand.Format, views: Projections, output: @escaping (String) -> Void) {
        self.format = format
        self.views = views
        self.output = output
        names = Self.fundNames(views.accounts.map(\.fund), beancount: format == .beancount)
    }

    /// Account components for funds: hledger keeps the identifier (a `:` would split it, so it
    /// becomes `-`); beancount also needs a capital first letter and only letters, digits and
    /// `-`. Two funds that would share a name get the first 8 hex digits of their identifier's
    /// SHA-256 appended, so the mapping stays one to one.
    static func fundNames(_ funds: [FundID], beancount: Bool) -> [FundID: String] {
        var names: [FundID: String] = [:]
        for fund in Set(funds) {
            var text = String(fund.text.map { $0 == ":" || (beancount && ($0 == "." || $0 == "_")) ? "-" : $0 })
            if beancount { text = text.prefix(1).uppercased() + text.dropFirst() }
            names[fund] = text
        }
        var seen: [String: Int] = [:]
        for name in names.values { seen[name, default: 0] += 1 }
        for (fund, name) in names where seen[name]! > 1 {
            names[fund] = name + "-" + String(SHA256.hash(Array(fund.text.utf8)).hex.prefix(8))
        }
        return names
    }

    func account(_ account: Account) -> String {
        let fund = names[account.fund] ?? account.fund.text
        guard format == .beancount else { return "\(account.category.rawValue):\(account.head):\(fund)" }
        let head = account.head.split(separator: "_").joined(separator: "-")
        return "\(account.category.rawValue.prefix(1).uppercased() + account.category.rawValue.dropFirst()):"
            + "\(head.prefix(1).uppercased() + head.dropFirst()):\(fund)"
    }

    func amount(_ minorUnits: Int64) -> String { Amounts.plain(minorUnits, minorUnits: views.minorUnits) }

    mutating func header(records: UInt64) {
        let ledger = views.ledger
        let name = ledger?.name ?? ""
        let currency = views.currency
        switch format {
        case .csv:
            write("seq,hash,date,type,account,amount,amount_minor,currency\n")
        case .hledger:
            write("; ledger export of \(name) (\(ledger?.origin ?? "")): \(records) records, amounts in \(currency)\n")
            write("; each transaction carries its record's seq and hash (Specs/reports.md, section 6)\n\n")
        case .beancount:
            write("; ledger export of \(name) (\(ledger?.origin ?? "")): \(records) records\n")
            write("option \"title\" \"\(Self.quoted(name))\"\noption \"operating_currency\" \"\(currency)\"\n\n")
            let year = views.firstMoneyYear.map { String(repeating: "0", count: max(0, 4 - String($0).count)) + String($0) } ?? "1970"
            for account in views.accounts { write("\(year)-01-01 open \(self.account(account)) \(currency)\n") }
            write("\n")
        }
    }

    static func quoted(_ text: String) -> String {
        text.replacingEach("\\", with: "\\\\").replacingEach("\"", with: "\\\"")
    }

    /// `P-0001 VIR-2024-000123`: the identifiers the record cites (party, contribution,
    /// disbursement, commitment, decision, its own reference), in the payload's order.
    static func cited(_ record: Record) -> String {
        record.payload.compactMap { member -> String? in
            guard ["party", "contribution", "disbursement", "commitment", "decision", "ref"].contains(member.key) else { return nil }
            return member.value.stringValue
        }.joined(separator: " ")
    }

    mutating func transaction(_ record: Record, _ postings: [Posting]) {
        let date = record.effective.description
        switch format {
        case .csv:
            for posting in postings {
                write("\(record.seq),\(record.hash.hex),\(date),\(record.type),\(account(posting.account)),"
                      + "\(amount(posting.amount)),\(posting.amount),\(views.currency)\n")
            }
        case .hledger:
            write("\(date) \(record.type) \(Self.cited(record))\n    ; seq: \(record.seq)\n    ; hash: \(record.hash.hex)\n")
            for posting in postings { write("    \(account(posting.account))  \(amount(posting.amount)) \(views.currency)\n") }
            write("\n")
        case .beancount:
            write("\(date) * \"\(record.type)\" \"\(Self.quoted(Self.cited(record)))\"\n  seq: \(record.seq)\n  hash: \"\(record.hash.hex)\"\n")
            for posting in postings { write("  \(account(posting.account))  \(amount(posting.amount)) \(views.currency)\n") }
            write("\n")
        }
    }

    mutating func write(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        output(buffer)
        buffer = ""
    }
}
