#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerDomain
import LedgerStorage

/// A ledger directory and everything that can be done with it: read the state at a cut, append
/// drafts under the fund's rules, verify, checkpoint, prove, and produce the reports.
///
/// A value of this type holds no global state: two ledgers opened in one process share
/// nothing, and everything it needs comes in through `Options`. It never prints and never
/// exits: problems go out as `LedgerError`s, and what it worked around as `LedgerWarning`s
/// through `options.warn`. The log is the only truth; `cache/` holds derivable caches that are
/// checked before use (Specs/log-format.md section 1, Specs/reports.md section 7).
///
/// Not thread-safe: one ledger value serves one caller at a time (open another for another
/// thread; writers in several processes are serialised by the directory's lock).
public final class Ledger {
    /// How the engine behaves: everything a front end configures, as values.
    public struct Options {
        /// How long an append waits for another writer to release the lock.
        public var lockTimeoutMilliseconds: Int = LedgerWriter.defaultLockTimeoutMilliseconds
        /// Where recorded times come from.
        public var clock: any Clock = SystemClock()
        /// The system's clock: a real ledger (not a simulation) refuses a `clock` more than
        /// `clockToleranceMicroseconds` away from it (Specs/trust.md, 2.6).
        public var wallClock: any Clock = SystemClock()
        /// Who signs appends: the operator's private key, which never enters the ledger directory.
        public var signer: AppendSigner?
        public var snapshots = SnapshotPolicy()
        /// Hears what the engine worked around (ignored caches, repaired crashes).
        public var warn: (LedgerWarning) -> Void = { _ in }
        /// Takes the state an append or a verification folded once it is done with it, for a
        /// process that exits next and need not free it entry by entry (the CLI's `ProcessExit`).
        /// Nil: freed as usual.
        public var keepUntilExit: ((Any) -> Void)?

        public init() {}
    }

    /// When state snapshots are saved (Specs/reports.md, section 7): a cache, never the truth.
    public struct SnapshotPolicy: Sendable {
        /// Save a fresh snapshot once the fold past the newest one covers at least this many
        /// records: every append re-folds that tail, so it stays short whatever the state's size
        /// (saving writes the core and the projections' part, never the base unless it is due).
        public var tailRecordsMin = 512
        /// ... or once that tail holds this many appends: every append checks the signature of
        /// each append in it again (about 50 µs each), where a save onto a large fund's snapshot
        /// costs 1 to 10 ms. A clerk's one-event appends reached 512 records only after 512
        /// appends, the last of them paying twice an empty ledger's time.
        public var tailAppendsMin = 16
        /// Rewrite the base once the bulk entries above it outnumber a sixteenth of it and this.
        public var baseEntriesMin = 4_096
        /// ... or once they outnumber this, whatever the base's size: every command decodes them
        /// (in the core) and every save encodes them (in the projections' part), while writing
        /// them into a base of up to four files is a small file on top (Specs/reports.md §7).
        public var baseEntriesMax = 8_192
        /// The base's upper files take the entries changed since its lower one until they hold a
        /// quarter of the lower one's rows and this many; then they are merged into it.
        public var upperRowsMin = 4_096
        /// How many upper files the base may have (1 to `upperFilesLimit`): a save puts its
        /// changed entries in a new file on top while they fit under half of it, so that it
        /// need not rewrite the upper files.
        public var upperFilesMax = Self.upperFilesLimit {
            didSet { precondition((1...Self.upperFilesLimit).contains(upperFilesMax), "a base has one to three upper files") }
        }
        /// The most upper files a core may name (Specs/reports.md, section 6).
        public static let upperFilesLimit = 3
        /// Whether snapshots are read and saved at all (`false`: every command folds the log).
        public var isEnabled = true

        public init() {}

        func isDue(tailRecords: Int, tailAppends: Int) -> Bool {
            isEnabled && (tailRecords >= tailRecordsMin || tailAppends >= tailAppendsMin)
        }
    }

    /// The directory, as given.
    public let directory: String
    public let options: Options
    let paths: LedgerPaths
    /// The last state this value folded under the writer's lock, with the position it ends at:
    /// the next append in this process starts from it if the log has not moved since.
    var lastFold: WriterFold?
    /// What this value's checks of `cache/keys.evidence` found (its parse, its keys, the key
    /// events' signatures), kept for its next checks: an append checks it up to three times.
    let keyEvidence = KeyEvidence.Checks()

    /// Opens the ledger in `directory`; it must hold a log (`Ledger.create` makes one).
    public init(directory: String, options: Options = Options()) throws(LedgerError) {
        self.directory = directory
        self.options = options
        paths = LedgerPaths(directory: directory)
        guard Directory.fileExists(paths.log) else {
            throw .notALedger(paths.directory, "no log.jsonl (create one with `ledger init`)")
        }
    }

    /// How far a real ledger's clock may be from the system's: a few minutes.
    public static let clockToleranceMicroseconds: Int64 = 5 * 60 * 1_000_000

    func warn(_ kind: LedgerWarning.Kind, _ message: String) {
        options.warn(LedgerWarning(kind, message))
    }

    /// Opens the writer: takes the lock and repairs what a crash left (reported as warnings).
    func openWriter() throws(LedgerError) -> LedgerWriter {
        let writer: LedgerWriter
        do {
            writer = try LedgerWriter(paths: paths, lockTimeoutMilliseconds: options.lockTimeoutMilliseconds)
        } catch {
            throw .storage(error)
        }
        for notice in writer.notices { warn(.recovered, notice) }
        return writer
    }

    /// Takes the writers' lock once, which sets aside a torn tail and rolls back the complete
    /// lines of an unfinished batch (Specs/log-format.md, section 6). Commands that issue
    /// evidence call it first: a checkpoint taken between a crash and the next append would
    /// otherwise certify records that the next append removes, and the auditor would later see
    /// a false FORKED. Without anything to repair no lock is taken, so a read-only copy can
    /// still be checkpointed.
    func recoverBeforeIssuingEvidence() throws(LedgerError) {
        guard LedgerWriter.mayNeedRecovery(paths) else { return }
        _ = try openWriter()
    }
}

/// The real clock: CLOCK_REALTIME, in microseconds.
public struct SystemClock: Clock {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let micros = Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
        guard let now = Timestamp(microsecondsSinceEpoch: micros) else {
            preconditionFailure("the system clock reads \(spec.tv_sec) s, outside years 0001-9999")
        }
        return now
    }
}

/// A clock stopped at one instant (tests, dated migrations).
public struct FixedClock: Clock {
    public let instant: Timestamp
    public init(instant: Timestamp) { self.instant = instant }
    public func now() -> Timestamp { instant }
}

/// What an append did with one draft (the writer's own type, re-exported for front ends).
public typealias AppendOutcome = LedgerStorage.AppendOutcome
