/// The exit statuses of `ledger`, documented in README.md and in `ledger help exit-codes`.
public enum ExitCode: Int32, Sendable {
    /// Done; for `verify`: the log is intact.
    case success = 0
    /// `verify`: the log is broken or does not extend the checkpoint.
    case integrityFailure = 1
    /// Bad usage or malformed input: unknown command or flag, missing value, bad JSON, bad date.
    /// For `verify`, also any I/O error (it could not run).
    case usage = 2
    /// `verify`: every record is intact but unterminated bytes follow (a crash, never acknowledged).
    case tornTail = 3
    /// A well-formed request refused by a rule: idempotency conflict, clock behind the log.
    case refused = 4
    /// The directory is not a ledger, or its last record is damaged.
    case notALedger = 5
    /// Another writer holds the lock and did not release it in time.
    case locked = 6
    /// The system refused: disk full, read-only file system, permission denied, other I/O errors.
    case ioError = 7

    static let documentation = """
    Exit status:
      0  success (verify: intact)
      1  verify: integrity failure (the log is broken or does not extend the checkpoint)
      2  usage error or malformed input (verify: also any I/O error)
      3  verify: records intact, but a torn tail follows (a crash; never acknowledged)
      4  refused by a rule (idempotency conflict, clock behind the last record)
      5  not a ledger, or its last record is damaged
      6  locked by another writer
      7  I/O error (disk full, read-only file system, permission denied)
    """
}
