/// Money flows of one fund, in one effective year, by one instrument: the finest grain the
/// balance reports group by. Signed: a year's net commitments fall when a commitment made in an
/// earlier year is cancelled or amended down.
public struct Flows: Sendable, Equatable {
    public var received: Int64 = 0
    public var reversed: Int64 = 0
    public var lendersRepaid: Int64 = 0
    public var committed: Int64 = 0
    public var disbursed: Int64 = 0
    public var repayments: Int64 = 0
    public var writtenOff: Int64 = 0

    public init() {}
}

/// How money came in (a contribution's instrument) or went out (a project's instrument).
public enum FlowInstrument: Sendable, Hashable, Comparable, CustomStringConvertible {
    case incoming(Instrument)
    case outgoing(ProjectInstrument)

    public var direction: String {
        switch self {
        case .incoming: return "in"
        case .outgoing: return "out"
        }
    }

    public var name: String {
        switch self {
        case .incoming(let instrument): return instrument.rawValue
        case .outgoing(let instrument): return instrument.rawValue
        }
    }

    /// `in:donation`, `out:loan`.
    public var description: String { direction + ":" + name }

    public static func < (lhs: FlowInstrument, rhs: FlowInstrument) -> Bool {
        (lhs.direction, lhs.name) < (rhs.direction, rhs.name)
    }
}

/// Ordered by fund, year, then instrument: the order the snapshot writes the flows in.
struct FlowKey: Sendable, Hashable, Comparable {
    let fund: FundID
    let year: Int
    let instrument: FlowInstrument

    static func < (lhs: FlowKey, rhs: FlowKey) -> Bool {
        (lhs.fund, lhs.year, lhs.instrument) < (rhs.fund, rhs.year, rhs.instrument)
    }
}

/// A row of a balance report: the flows added up, and the positions derived from them.
public struct Balance: Sendable, Equatable {
    public var flows = Flows()
    /// What the fund owes its lenders (loans received, apports, titres associatifs): received −
    /// reversed − repaid to them.
    public var loansIn: Int64 = 0
    /// What projects owe on the loans the fund made: disbursed − repaid − written off.
    public var loansOut: Int64 = 0

    public init() {}

    /// received − reversed − repaid to lenders − disbursed + repayments received.
    public var cash: Int64 { flows.received - flows.reversed - flows.lendersRepaid - flows.disbursed + flows.repayments }
    /// Committed and not yet paid.
    public var toPay: Int64 { flows.committed - flows.disbursed }
    /// Cash free of commitments.
    public var available: Int64 { cash - toPay }

    mutating func add(_ other: Flows, instrument: FlowInstrument) {
        flows.received += other.received
        flows.reversed += other.reversed
        flows.lendersRepaid += other.lendersRepaid
        flows.committed += other.committed
        flows.disbursed += other.disbursed
        flows.repayments += other.repayments
        flows.writtenOff += other.writtenOff
        switch instrument {
        case .incoming(let incoming) where incoming.isRepayable:
            loansIn += other.received - other.reversed - other.lendersRepaid
        case .outgoing(.loan):
            loansOut += other.disbursed - other.repayments - other.writtenOff
        default:
            break
        }
    }

    public mutating func add(_ other: Balance) {
        flows.received += other.flows.received
        flows.reversed += other.flows.reversed
        flows.lendersRepaid += other.flows.lendersRepaid
        flows.committed += other.flows.committed
        flows.disbursed += other.flows.disbursed
        flows.repayments += other.flows.repayments
        flows.writtenOff += other.flows.writtenOff
        loansIn += other.loansIn
        loansOut += other.loansOut
    }
}

extension Projections {
    /// Adds to the flows of `fund` in `year` by `instrument`.
    mutating func flow(_ fund: FundID, _ year: Int, _ instrument: FlowInstrument, _ change: (inout Flows) -> Void) {
        change(&flows[FlowKey(fund: fund, year: year, instrument: instrument), default: Flows()])
    }
}
