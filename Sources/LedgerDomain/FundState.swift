import LedgerCore
import LedgerJSON

/// The fund's state as a pure fold over the log: `apply` checks a record against the rules of
/// Specs/events.md and, if it passes, takes it into account. Append and verify both call it, so
/// they can never disagree.
public struct FundState: Sendable {
    public private(set) var genesis: Genesis?
    public private(set) var recordCount: UInt64 = 0

    public init() {}

    public mutating func apply(_ record: Record) throws(RuleViolation) {
        if record.type == Record.genesisType {
            genesis = Genesis(origin: record.payload["origin"]?.stringValue ?? "", currency: record.payload["currency"]?.stringValue ?? "",
                              minorUnits: Int(record.payload["minor_units"]?.integerValue ?? 0), name: record.payload["name"]?.stringValue ?? "")
        }
        recordCount += 1
    }
}
