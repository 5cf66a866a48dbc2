#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can go wrong with the ledger directory, with where and why.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed: the operation, the path and the C errno.
    case system(operation: String, path: String, errno: Int32)
    case notALedger(path: String, reason: String)
    case alreadyExists(path: String)
    case locked(path: String, waitedMilliseconds: Int)
    /// The log's last record cannot be read back; appending on top of it would bury the damage.
    case damagedTail(path: String, reason: String)
    /// The writer's clock is behind the log's last record (recorded time never goes backwards).
    case clockBehind(now: String, last: String)
    /// An idempotency key reused with different content.
    case idempotencyConflict(key: String, seq: UInt64, field: String)
    /// The same idempotency key twice in one batch with different content.
    case batchConflict(key: String, reason: String)
    /// The next sequence number or a size would leave the range the format allows.
    case limit(String)

    public var description: String {
        switch self {
        case .system(let operation, let path, let code):
            return "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .notALedger(let path, let reason):
            return "\(path) is not a ledger: \(reason)"
        case .alreadyExists(let path):
            return "\(path) already exists and is not empty; a ledger is created in a new directory"
        case .locked(let path, let waited):
            return "\(path) is locked by another writer (waited \(waited) ms)"
        case .damagedTail(let path, let reason):
            return "the last record of \(path) is damaged (\(reason)); nothing appended: run `ledger verify`"
        case .clockBehind(let now, let last):
            return "the clock says \(now) but the last record was recorded at \(last); recorded time never goes backwards"
        case .idempotencyConflict(let key, let seq, let field):
            return "idempotency key \"\(key)\" was used by record \(seq) with a different \(field); nothing appended"
        case .batchConflict(let key, let reason):
            return "idempotency key \"\(key)\" appears twice in the batch: \(reason); nothing appended"
        case .limit(let message):
            return message
        }
    }

    /// An entry of the ledger directory that LedgerStorage will not follow, open or write (see
    /// `DirectoryHandle`): a symbolic link, a special file, a file with other hard links, a
    /// directory of another owner. It is a `system` error whose errno says the kind (ELOOP, EINVAL,
    /// EMLINK, ENOTDIR, EPERM), so that every caller's handling of `system` applies unchanged; the
    /// message names the path and the reason.
    public static func unsafeEntry(path: String, reason: String, errno: Int32) -> StorageError {
        .system(operation: "refused \(reason) at", path: path, errno: errno)
    }

    /// Disk full, read-only file system, permission denied: conditions the user can fix.
    public var isResourceFault: Bool {
        if case .system(_, _, let code) = self { return [ENOSPC, EROFS, EACCES, EPERM, EDQUOT, EIO, EFBIG].contains(code) }
        return false
    }
}
