import LedgerCore
import LedgerDomain
import LedgerStorage

/// Where the fund's rules meet the log: the same `FundState.apply` checks a record on append
/// and re-checks it in verify.
enum FundRules {
    /// Rebuilds the fund's state from the log (under the writer's lock), then appends with every
    /// new record checked against it.
    static func append(_ drafts: [RecordDraft], writer: LedgerWriter, clock: any Clock) throws(AppendError) -> [AppendOutcome] {
        var state = FundState()
        try writer.replay { record throws(RuleViolation) in try state.apply(record) }
        return try writer.append(drafts, clock: clock) { record throws(RuleViolation) in try state.apply(record) }
    }

    /// A verify observer that re-checks every record, reporting the first violation with its place.
    static func verifier() -> (Record) -> VerifyFailure? {
        var state = FundState()
        return { record in
            do throws(RuleViolation) {
                try state.apply(record)
                return nil
            } catch {
                return VerifyFailure(kind: .ruleViolation, seq: record.seq, line: record.seq + 1, offset: nil,
                                     message: error.description)
            }
        }
    }
}
