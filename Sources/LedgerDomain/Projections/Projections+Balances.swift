/// Balance reports: the flows grouped by fund, pool, instrument or effective year. Every
/// grouping adds up to the same total; rows are sorted by their labels.
public enum BalanceGrouping: String, CaseIterable, Sendable {
    case fund, pool, instrument, year, territory
}

public struct BalanceRow: Sendable, Equatable {
    /// One value per label column of the grouping (`BalanceReport.labelColumns`).
    public let labels: [String]
    public var balance: Balance
}

public struct BalanceReport: Sendable, Equatable {
    public let grouping: BalanceGrouping
    public let labelColumns: [String]
    public let rows: [BalanceRow]
    public let total: Balance
}

extension Projections {
    /// The label columns of each grouping (territory has its own report: `territories()`).
    static func labelColumns(_ grouping: BalanceGrouping) -> [String] {
        switch grouping {
        case .fund: return ["fund", "pool"]
        case .pool: return ["pool"]
        case .instrument: return ["direction", "instrument"]
        case .year: return ["year"]
        case .territory: return ["territory"]
        }
    }

    /// Flows grouped by fund (every listed fund, even without money), pool, instrument or year.
    public func balances(by grouping: BalanceGrouping) -> BalanceReport {
        precondition(grouping != .territory, "territories roll projects up: see territories()")
        var groups: [[String]: Balance] = [:]
        if grouping == .fund {
            for (id, fund) in funds where fund.listed { groups[[id.text, fund.pool.rawValue]] = Balance() }
        }
        for (key, flows) in self.flows {
            groups[labels(of: key, grouping), default: Balance()].add(flows, instrument: key.instrument)
        }
        let rows = groups.keys.sorted(by: Self.precedes).map { BalanceRow(labels: $0, balance: groups[$0]!) }
        var total = Balance()
        for row in rows { total.add(row.balance) }
        return BalanceReport(grouping: grouping, labelColumns: Self.labelColumns(grouping), rows: rows, total: total)
    }

    func labels(of key: FlowKey, _ grouping: BalanceGrouping) -> [String] {
        switch grouping {
        case .fund: return [key.fund.text, funds[key.fund]?.pool.rawValue ?? ""]
        case .pool: return [funds[key.fund]?.pool.rawValue ?? ""]
        case .instrument: return [key.instrument.direction, key.instrument.name]
        case .year: return [String(key.year)]
        case .territory: preconditionFailure("territories are not a flow key")
        }
    }

    /// Byte order of the labels, column by column (years have four digits, so this is their order too).
    static func precedes(_ lhs: [String], _ rhs: [String]) -> Bool {
        lhs.lexicographicallyPrecedes(rhs) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// One fund's balance (all its flows), nil for an unknown fund.
    public func balance(ofFund id: FundID) -> Balance? {
        guard funds[id] != nil else { return nil }
        var balance = Balance()
        for (key, flows) in self.flows where key.fund == id { balance.add(flows, instrument: key.instrument) }
        return balance
    }

    public var currency: String { ledger?.currency ?? "" }
    public var minorUnits: Int { ledger?.minorUnits ?? 2 }
}
