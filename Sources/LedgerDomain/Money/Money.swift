import LedgerCore

/// An amount of the ledger's currency, in minor units (cents for EUR). Never a float.
///
/// Every amount and every total stays within 0...`Money.max` (2^53 − 1, the log's integer range),
/// so any total can be written back to the log or a report exactly. Arithmetic that would leave
/// that range is a user error (`M2.overflow`), never a trap.
public struct Money: Hashable, Comparable, Sendable {
    public static let max = Money(uncheckedMinorUnits: 9_007_199_254_740_991)
    public static let zero = Money(uncheckedMinorUnits: 0)

    public let minorUnits: Int64

    /// Nil when `minorUnits` is negative or above `Money.max`.
    public init?(minorUnits: Int64) {
        guard minorUnits >= 0, minorUnits <= Money.max.minorUnits else { return nil }
        self.minorUnits = minorUnits
    }

    private init(uncheckedMinorUnits: Int64) { self.minorUnits = uncheckedMinorUnits }

    public var isZero: Bool { minorUnits == 0 }

    /// `self + other`, or `M2.overflow` naming `what` when the total would pass `Money.max`.
    public func adding(_ other: Money, _ what: @autoclosure () -> String) throws(RuleViolation) -> Money {
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow, sum <= Money.max.minorUnits else {
            throw Rules.overflow.violation("\(what()) would exceed the largest amount the ledger holds (\(Money.max.minorUnits) minor units)")
        }
        return Money(uncheckedMinorUnits: sum)
    }

    /// `self − other` where the caller has checked `other <= self` (a rule, before this call).
    public func subtracting(_ other: Money) -> Money {
        precondition(other <= self, "subtracting \(other.minorUnits) from \(minorUnits): callers check the rule first")
        return Money(uncheckedMinorUnits: minorUnits - other.minorUnits)
    }

    /// What remains of `self` after `other`, or zero.
    public func remaining(after other: Money) -> Money {
        other >= self ? .zero : subtracting(other)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }
}

extension Money {
    /// The sum of `amounts`, checked.
    static func total(_ amounts: [Money], _ what: @autoclosure () -> String) throws(RuleViolation) -> Money {
        var sum = Money.zero
        for amount in amounts { sum = try sum.adding(amount, what()) }
        return sum
    }
}
