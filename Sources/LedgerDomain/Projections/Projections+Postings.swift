import LedgerCore

/// Double-entry postings of the money events, for exports to plain-text accounting tools.
/// Each fund has its own accounts; the balances a tool computes over them are those of the
/// balance report: cash, loans out, what is owed to lenders (Specs/reports.md, section 6).
public struct Account: Sendable, Hashable, Comparable {
    public enum Category: String, Sendable, CaseIterable {
        case assets, liabilities, equity, income, expenses
    }

    public let category: Category
    /// What the account holds: `cash`, `loans`, `investments`, `lenders`, an instrument, `grants`, `written-off`.
    public let head: String
    public let fund: FundID

    /// `assets:cash:citizens`: category, head and fund, in that order.
    public var components: [String] { [category.rawValue, head, fund.text] }

    public static func < (lhs: Account, rhs: Account) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

public struct Posting: Sendable, Equatable {
    public let account: Account
    /// Minor units, positive for a debit, negative for a credit.
    public let amount: Int64
}

extension Projections {
    /// The account a contribution of `instrument` to `fund` is credited to.
    static func source(_ instrument: Instrument, _ fund: FundID) -> Account {
        switch instrument {
        case .loanReceived, .apport, .titreAssociatif: return Account(category: .liabilities, head: "lenders", fund: fund)
        case .investment: return Account(category: .equity, head: "investments", fund: fund)
        case .donation, .membershipFee, .subsidy: return Account(category: .income, head: instrument.rawValue, fund: fund)
        }
    }

    /// The account money paid to a project by `instrument` goes to.
    static func use(_ instrument: ProjectInstrument, _ fund: FundID) -> Account {
        switch instrument {
        case .grant: return Account(category: .expenses, head: "grants", fund: fund)
        case .loan: return Account(category: .assets, head: "loans", fund: fund)
        case .investment: return Account(category: .assets, head: "investments", fund: fund)
        }
    }

    static func cash(_ fund: FundID) -> Account { Account(category: .assets, head: "cash", fund: fund) }

    /// The postings of a money event (two, adding up to zero), nil for any other record. Uses the
    /// directory (which fund a contribution or commitment belongs to), so fold first.
    public func postings(for record: Record) -> [Posting]? {
        let fields = Fields(record.payload)
        func pair(_ debit: Account, _ credit: Account, _ amount: Money) -> [Posting] {
            [Posting(account: debit, amount: amount.minorUnits), Posting(account: credit, amount: -amount.minorUnits)]
        }
        switch EventType(type: record.type) {
        case .contributionRecorded:
            guard let fund: FundID = fields.id("fund"), let instrument: Instrument = fields.choice("instrument"),
                  let amount = fields.money("amount") else { return nil }
            return pair(Self.cash(fund), Self.source(instrument, fund), amount)
        case .contributionReversed, .lenderRepaid:
            guard let original: ExternalReference = fields.id("contribution"), let contribution = contributions[original],
                  let amount = fields.money("amount") else { return nil }
            return pair(Self.source(contribution.instrument, contribution.fund), Self.cash(contribution.fund), amount)
        case .disbursementExecuted:
            guard let id: DisbursementID = fields.id("disbursement"), let disbursement = disbursements[id],
                  let commitment = commitments[disbursement.commitment] else { return nil }
            return pair(Self.use(commitment.instrument, commitment.fund), Self.cash(commitment.fund), disbursement.amount)
        case .repaymentReceived:
            guard let id: CommitmentID = fields.id("commitment"), let commitment = commitments[id],
                  let amount = fields.money("amount") else { return nil }
            return pair(Self.cash(commitment.fund), Self.use(.loan, commitment.fund), amount)
        case .loanWrittenOff:
            guard let id: CommitmentID = fields.id("commitment"), let commitment = commitments[id],
                  let amount = fields.money("amount") else { return nil }
            return pair(Account(category: .expenses, head: "written-off", fund: commitment.fund), Self.use(.loan, commitment.fund), amount)
        default:
            return nil
        }
    }

    /// Every account a posting can reach given the funds and flows so far, sorted (a beancount
    /// export opens them first).
    public var accounts: [Account] {
        var found: Set<Account> = []
        for key in flows.keys {
            switch key.instrument {
            case .incoming(let instrument):
                found.formUnion([Self.cash(key.fund), Self.source(instrument, key.fund)])
            case .outgoing(let instrument):
                found.formUnion([Self.cash(key.fund), Self.use(instrument, key.fund)])
                if instrument == .loan { found.insert(Account(category: .expenses, head: "written-off", fund: key.fund)) }
            }
        }
        return found.sorted()
    }

    /// The first effective year with money (a beancount export opens its accounts on 1 January of it).
    public var firstMoneyYear: Int? { flows.keys.map(\.year).min() }

    /// True for the event types that move money (and so appear in exports).
    public static func movesMoney(_ type: String) -> Bool {
        switch EventType(type: type) {
        case .contributionRecorded, .contributionReversed, .lenderRepaid, .disbursementExecuted, .repaymentReceived, .loanWrittenOff:
            return true
        default:
            return false
        }
    }
}
