/// A contributor's statement: what they gave, when, to which fund, by which instrument, and what
/// came back to them (reversals, repayments of loans), with totals per effective year.
public struct StatementYear: Sendable, Equatable {
    public let year: Int
    public let lines: [StatementLine]
    public var contributed: Int64 { total(.contribution) }
    public var reversed: Int64 { total(.reversal) }
    public var repaidToLender: Int64 { total(.lenderRepayment) }
    /// Contributed − reversed − repaid.
    public var net: Int64 { contributed - reversed - repaidToLender }

    func total(_ kind: StatementLine.Kind) -> Int64 {
        lines.filter { $0.kind == kind }.reduce(0) { $0 + $1.amount.minorUnits }
    }
}

public struct PartyStatement: Sendable, Equatable {
    public let party: PartyID
    public let kind: PartyKind
    public let listed: Bool
    /// Years in order; lines within a year by effective date, then in log order (a refund
    /// recorded late but dated back sits where its date puts it).
    public let years: [StatementYear]

    public var contributed: Int64 { years.reduce(0) { $0 + $1.contributed } }
    public var reversed: Int64 { years.reduce(0) { $0 + $1.reversed } }
    public var repaidToLender: Int64 { years.reduce(0) { $0 + $1.repaidToLender } }
    public var net: Int64 { contributed - reversed - repaidToLender }
}

extension Projections {
    /// The party's statement, restricted to one effective year when given; nil for an unknown party.
    public func statement(_ id: PartyID, year: Int? = nil) -> PartyStatement? {
        require(.statements, "a party's statement")
        guard let party = parties[id] else { return nil }
        var byYear: [Int: [StatementLine]] = [:]
        for line in statements[id] ?? [] {
            let lineYear = line.stamp.date.year
            if let year, lineYear != year { continue }
            byYear[lineYear, default: []].append(line)
        }
        let years = byYear.keys.sorted().map { year in
            StatementYear(year: year, lines: byYear[year]!.sorted { ($0.stamp.date, $0.stamp.seq) < ($1.stamp.date, $1.stamp.seq) })
        }
        return PartyStatement(party: id, kind: party.kind, listed: party.listed, years: years)
    }
}
