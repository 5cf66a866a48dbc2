import LedgerCore
import LedgerDomain
import LedgerStorage

/// Where the fund's rules meet the log: the same `FundState.apply` checks a record on append
/// and re-checks it in verify (Specs/events.md).
enum FundRules {
    /// Rebuilds the fund's state from the log (under the writer's lock), then appends with every
    /// new record checked against it.
    static func append(_ drafts: [RecordDraft], writer: LedgerWriter, clock: any Clock) throws(AppendError) -> [AppendOutcome] {
        try append(drafts, onto: try state(replaying: writer), writer: writer, clock: clock)
    }

    /// Appends with each new record checked against `state`, the state of the whole log so far.
    static func append(_ drafts: [RecordDraft], onto state: FundState, writer: LedgerWriter,
                       clock: any Clock) throws(AppendError) -> [AppendOutcome] {
        var state = state
        return try writer.append(drafts, clock: clock) { record throws(RuleViolation) in try state.apply(record) }
    }

    /// The state of the log the writer holds (it holds the lock, so nobody appends meanwhile).
    static func state(replaying writer: LedgerWriter) throws(AppendError) -> FundState {
        var state = FundState()
        try writer.replay { record throws(RuleViolation) in try state.apply(record) }
        return state
    }

    /// The state for read-only commands, without taking the writers' lock. It reads complete
    /// lines only, so a concurrent append is either wholly seen or not at all.
    static func state(reading paths: LedgerPaths) throws(CLIError) -> FundState {
        guard Directory.fileExists(paths.log) else {
            throw CLIError(StorageError.notALedger(path: paths.directory, reason: "no log.jsonl"))
        }
        var state = FundState()
        var problem: String?
        do {
            _ = try LogScanner.scan(path: paths.log) { line, offset in
                do {
                    try state.apply(try RecordCodec.decode(line: line).record)
                    return true
                } catch let violation as RuleViolation {
                    problem = "the record at byte \(offset) breaks \(violation); run `ledger verify`"
                } catch {
                    problem = "the record at byte \(offset) cannot be read; run `ledger verify`"
                }
                return false
            }
        } catch let error as StorageError {
            throw CLIError(error)
        } catch {
            throw CLIError(message: "a line longer than a record; run `ledger verify`", exitCode: .notALedger)
        }
        if let problem { throw CLIError(message: problem, exitCode: .notALedger) }
        return state
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
