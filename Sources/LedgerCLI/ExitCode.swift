/// The exit statuses of `ledger`, documented in README.md and at the end of `ledger help`.
public enum ExitCode: Int32, Sendable {
    /// Done; for `verify`: the log is intact; for `verify-proof`: the proof holds.
    case success = 0
    /// `verify`: the log is broken or does not extend the checkpoint; `verify-proof`: the proof
    /// does not hold; `prove`, `consistency`, `cosign`: the log or checkpoint does not match.
    case integrityFailure = 1
    /// Bad usage or malformed input: unknown command or flag, missing value, bad JSON, bad date.
    /// For `verify`, also any I/O error (it could not run).
    case usage = 2
    /// `verify`: every record is intact but unterminated bytes follow (a crash, never acknowledged).
    case tornTail = 3
    /// A well-formed request refused by a rule: a rule of the fund (Specs/events.md), an
    /// idempotency conflict, a clock behind the log.
    case refused = 4
    /// The directory is not a ledger, or its last record is damaged.
    case notALedger = 5
    /// Another writer holds the lock and did not release it in time.
    case locked = 6
    /// The system refused: disk full, read-only file system, permission denied, other I/O errors.
    case ioError = 7
    /// `verify`: every record up to the last acknowledged append is intact, but an append that
    /// never finished follows (a crash; never acknowledged: the next writer rolls it back).
    case unfinishedBatch = 8

    static let documentation = """
    Exit status:
      0  success (verify: intact; verify-proof: the proof holds)
      1  integrity failure: verify: the log is broken or does not extend the checkpoint
         (a RULE_VIOLATION, BAD_SIGNATURE, ORIGIN_MISMATCH, TRUNCATED or FORKED among others);
         verify-proof: the proof does not hold; prove, consistency, cosign: no match
      2  usage error or malformed input (verify: also any I/O error; verify-proof: a malformed bundle)
      3  verify: records intact, but a torn tail follows (a crash; never acknowledged)
      4  refused by a rule: a rule of the fund (Specs/events.md), an idempotency conflict,
         a clock behind the last record; reports: an unknown id, --at beyond the head
      5  not a ledger, or its last record is damaged or breaks a rule (run ledger verify)
      6  locked by another writer
      7  I/O error (disk full, read-only file system, permission denied)
      8  verify: records intact up to the last acknowledged append, but an unfinished batch
         follows (a crash; never acknowledged: the next writer rolls it back)
    """
}
