/// A record that breaks one of the fund's rules (Specs/events.md). Core only carries it: the
/// rules themselves live in LedgerDomain, and the same check runs on append and in verify.
public struct RuleViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The invariant's identifier in Specs/events.md, for example `I4.decision-link`.
    public let rule: String
    /// What was wrong, naming the event's fields and the offending values.
    public let message: String

    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "rule \(rule): \(message)" }
}
