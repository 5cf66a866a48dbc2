import LedgerCore
import LedgerProofs
import LedgerStorage

/// Everything the engine can refuse or fail at, with what, where and why. A front end maps
/// `category` to its own vocabulary (the CLI to exit statuses) and shows `description`.
public enum LedgerError: Error, Sendable, CustomStringConvertible {
    /// The directory: locks, files, the writer's own checks (a clock behind the log, a conflict).
    case storage(StorageError)
    /// An append refused: a draft that is not a valid record, or a rule of the fund.
    case append(AppendError)
    /// The proof cache could not serve a proof.
    case proofCache(MerkleCacheError)
    /// A value given by the caller is malformed (a checkpoint file, a key file, an identifier).
    case invalidInput(String)
    /// A well-formed request the ledger refuses: an unknown identifier, a cut beyond the head.
    case refused(String)
    /// The log cannot serve the request: a record that does not decode or breaks a rule
    /// (`ledger verify` says where), or a log without a genesis record.
    case damagedLog(String)
    /// A record a report or a writer folded is not signed by its operator (BAD_SIGNATURE):
    /// the log is damaged, not the snapshot it was folded onto.
    case unsignedRecord(seq: UInt64, reason: String)
    /// The log does not extend a checkpoint, or a signature does not hold.
    case integrity(VerifyFailure)

    /// How a front end should treat the error.
    public enum Category: Sendable {
        case invalidInput, refused, notALedger, locked, io, integrity
    }

    public var category: Category {
        switch self {
        case .storage(let error): return Self.category(of: error)
        case .append(.storage(let error)): return Self.category(of: error)
        case .append(.invalidDraft): return .invalidInput
        case .append(.ruleViolation): return .refused
        case .proofCache(.storage(let error)): return Self.category(of: error)
        case .proofCache(.brokenLog), .proofCache(.cacheDisagrees): return .notALedger
        case .proofCache(.noRecord), .proofCache(.proof): return .invalidInput
        case .invalidInput: return .invalidInput
        case .refused: return .refused
        case .damagedLog, .unsignedRecord: return .notALedger
        case .integrity: return .integrity
        }
    }

    /// Disk full, read-only file system, permission denied: conditions the user can fix.
    public var isResourceFault: Bool {
        if case .storage(let error) = self { return error.isResourceFault }
        return false
    }

    static func category(of error: StorageError) -> Category {
        switch error {
        case .system: return .io
        case .notALedger, .damagedTail: return .notALedger
        case .alreadyExists: return .invalidInput
        case .locked: return .locked
        case .clockBehind, .idempotencyConflict, .batchConflict, .limit: return .refused
        }
    }

    public var description: String {
        switch self {
        case .storage(let error): return error.description
        case .append(let error): return error.description
        case .proofCache(let error): return error.description
        case .invalidInput(let message), .refused(let message), .damagedLog(let message): return message
        case .unsignedRecord(let seq, let reason):
            return "the record at seq \(seq) is not signed by its operator (BAD_SIGNATURE: \(reason)); run `ledger verify`"
        case .integrity(let failure): return "\(failure.kind.rawValue): \(failure.message)"
        }
    }

    /// A rule met while building an event from the state (before any append): reported exactly
    /// like the same rule met on append.
    public static func ruleViolation(_ violation: RuleViolation) -> LedgerError {
        .append(.ruleViolation(position: 0, violation))
    }

    static func notALedger(_ directory: String, _ reason: String) -> LedgerError {
        .storage(.notALedger(path: directory, reason: reason))
    }
}

/// Something the engine noticed and worked around (a cache it ignored or could not save, a
/// crash's leftovers it repaired): never an error, but worth telling whoever runs it.
public struct LedgerWarning: Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// A cache (snapshot, proof cache) was ignored or rebuilt: it did not match the log.
        case cacheIgnored
        /// A cache could not be saved (a full disk, a read-only directory): the next command folds again.
        case cacheNotSaved
        /// The writer repaired what a crash left (a torn tail set aside, a batch rolled back).
        case recovered
        /// A file given by the caller deserves attention (a signer key readable by others).
        case fileMode
        /// An event appended is effective after the day it was recorded: legitimate for a
        /// planned act, more often a typo in a year (`2036` for `2026`).
        case futureDate
    }

    public let kind: Kind
    public let message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
