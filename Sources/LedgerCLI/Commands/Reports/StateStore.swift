#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// Where reports and appends get the state of the log: the newest valid snapshot in
/// `cache/snapshots/`, then a fold of the records after it. A snapshot that is corrupt, stale
/// or of another version is reported once on standard error, ignored and rebuilt.
enum StateStore {
    /// Save a fresh snapshot once the fold past the newest one covers at least this many records
    /// and one record per 16 entities of the state: re-folding a short tail costs less than
    /// loading and saving a big state, so big states are saved less often (Specs/reports.md,
    /// section 7). `LEDGER_SNAPSHOT_TAIL_MIN` lowers it (tests, tuning).
    static let tailRecordsMin: Int = {
        if let text = getenv("LEDGER_SNAPSHOT_TAIL_MIN").map({ String(cString: $0) }), let value = Int(text), value >= 1 { return value }
        return 512
    }()
    static let entitiesPerTailRecord = 16

    static func isDue(tailRecords: Int, entities: Int) -> Bool {
        tailRecords >= max(tailRecordsMin, entities / entitiesPerTailRecord)
    }

    /// What a fold produced: the state, where it ended, and how many records it folded itself.
    struct Folded {
        var state: LedgerState
        var records: UInt64
        var bytes: UInt64
        var lastHash: SHA256Digest?
        var tailRecords = 0
    }

    /// A cut of the log (Specs/reports.md, section 2): records up to `at` (a sequence number),
    /// of which those effective on or before `asOf` count.
    struct Cut: Equatable {
        var at: UInt64?
        var asOf: CalendarDate?
        var isHead: Bool { at == nil && asOf == nil }
    }

    /// The state at `cut` for read-only commands, without the writers' lock: only complete lines
    /// present when it starts are read, so a concurrent append is wholly seen or not at all.
    /// With `needsBulk` false, the state may be a core without its bulk tables
    /// (`LedgerState.hasBulk`): enough for balances, projects and ballots.
    static func read(_ paths: LedgerPaths, cut: Cut, needsBulk: Bool = true, warn: @escaping (String) -> Void) throws(CLIError) -> Folded {
        guard Directory.fileExists(paths.log) else {
            throw CLIError(StorageError.notALedger(path: paths.directory, reason: "no log.jsonl"))
        }
        let logBytes = try completeBytes(paths.log)
        let genesis = Folded(state: LedgerState(), records: 0, bytes: 0, lastHash: nil)
        var start = genesis
        var snapshot: StateSnapshots.Loaded<LedgerState>?
        if cut.asOf == nil, let core = StateSnapshots.load(LedgerState.self, paths: paths, logBytes: logBytes, warn: warn),
           cut.at.map({ core.coveredRecords <= $0 + 1 }) ?? true {
            start = Folded(state: core.state, records: core.coveredRecords, bytes: core.coveredBytes, lastHash: nil)
            snapshot = core
        }
        var folded: Folded
        do {
            let bulk = { snapshot.flatMap { bulkTables(of: $0, paths: paths, logBytes: logBytes, warn: warn) } }
            folded = try fold(paths.log, from: start, to: logBytes, cut: cut, bulk: bulk)
            if needsBulk && !folded.state.hasBulk {
                guard let tables = bulk(), (try? folded.state.attach(tables)) != nil else { throw FoldAgain() }
            }
        } catch is FoldAgain {
            folded = try foldFromGenesis(paths.log, to: logBytes, cut: cut)
        } catch let error as CLIError where start.records > 0 {
            // The log after the snapshot does not fit it: distrust the snapshot, fold from the genesis.
            warn("ignored the state snapshot: the records after it do not apply to it (\(error.message)); folding the log from the genesis")
            folded = try foldFromGenesis(paths.log, to: logBytes, cut: cut)
        } catch let error as CLIError {
            throw error
        } catch {
            preconditionFailure("fold throws CLIError or FoldAgain only: \(error)")
        }
        if let at = cut.at, folded.records <= at {
            throw CLIError(message: "--at \(at): the log's last record is \(folded.records == 0 ? "missing" : "seq \(folded.records - 1)")",
                           exitCode: .refused)
        }
        if cut.isHead, let lastHash = folded.lastHash,
           isDue(tailRecords: folded.tailRecords, entities: folded.state.entityCount) {
            save(folded.state, paths: paths, bytes: folded.bytes, records: folded.records, lastHash: lastHash, warn: warn)
        }
        return folded
    }

    /// The bulk tables could not be had: fold again from the genesis.
    struct FoldAgain: Error {}

    /// A fold of the whole state from the genesis (which needs no snapshot, so never FoldAgain).
    static func foldFromGenesis(_ log: String, to end: UInt64, cut: Cut) throws(CLIError) -> Folded {
        do {
            return try fold(log, from: Folded(state: LedgerState(), records: 0, bytes: 0, lastHash: nil), to: end, cut: cut, bulk: { nil })
        } catch let error as CLIError {
            throw error
        } catch {
            preconditionFailure("a fold from the genesis has every table: \(error)")
        }
    }

    /// Folds the complete lines in `[start.bytes, end)` onto `start`, stopping after record
    /// `cut.at`. Every record goes through the rules; the projections count it only if its
    /// effective date is not after `cut.asOf`. Onto a core without its bulk tables, the first
    /// record that needs them has them attached first (`bulk`), or the fold throws FoldAgain.
    static func fold(_ log: String, from start: Folded, to end: UInt64, cut: Cut, bulk: () -> BulkTables?) throws -> Folded {
        var folded = start
        var problem: String?
        var missing = false
        do {
            try LogDecoding.forEach(path: log, from: start.bytes, to: end) { line in
                if let at = cut.at, folded.records > at { return false }
                guard let record = line.record else {
                    problem = "the record at byte \(line.offset) cannot be read; run `ledger verify`"
                    return false
                }
                if !folded.state.hasBulk && BulkTables.isNeeded(byType: record.type) {
                    guard let tables = bulk(), (try? folded.state.attach(tables)) != nil else {
                        missing = true
                        return false
                    }
                }
                do throws(RuleViolation) {
                    try folded.state.rules.apply(record)
                } catch {
                    problem = "the record at byte \(line.offset) breaks \(error); run `ledger verify`"
                    return false
                }
                folded.state.views.apply(record, counted: cut.asOf.map { record.effective <= $0 } ?? true)
                folded.records += 1
                folded.tailRecords += 1
                folded.bytes = line.offset + UInt64(line.length) + 1
                folded.lastHash = record.hash
                return true
            }
        } catch let error as StorageError {
            throw CLIError(error)
        } catch {
            throw CLIError(message: "a line longer than a record; run `ledger verify`", exitCode: .notALedger)
        }
        if missing { throw FoldAgain() }
        if let problem { throw CLIError(message: problem, exitCode: .notALedger) }
        return folded
    }

    /// The bulk tables saved with `core`, or nil (reported) when they are missing or corrupt.
    static func bulkTables(of core: StateSnapshots.Loaded<LedgerState>, paths: LedgerPaths, logBytes: UInt64,
                           warn: (String) -> Void) -> BulkTables? {
        let records = core.state.bulkRecords
        do {
            guard let digest = core.state.bulkDigest else { throw BulkFile.Problem.missing }
            return try BulkFile.load(paths, records: records, digest: digest)
        } catch {
            warn("ignored the state snapshot of \(core.coveredRecords) records: its bulk tables (\(BulkFile.name(records: records))) are \(error); it will be rebuilt from the log")
            return nil
        }
    }

    /// The newest whole state: the newest valid core with the bulk tables saved with it.
    static func loadWhole(_ paths: LedgerPaths, logBytes: UInt64, warn: (String) -> Void) -> StateSnapshots.Loaded<LedgerState>? {
        guard var core = StateSnapshots.load(LedgerState.self, paths: paths, logBytes: logBytes, warn: warn),
              let tables = bulkTables(of: core, paths: paths, logBytes: logBytes, warn: warn) else { return nil }
        do { try core.state.attach(tables) } catch {
            warn("ignored the state snapshot of \(core.coveredRecords) records: its bulk part does not fit its core (\(error)); it will be rebuilt from the log")
            return nil
        }
        return core
    }

    /// Saves a snapshot: the bulk tables if the state has them, then the core that names them (a
    /// core alone otherwise, which goes with the bulk tables already saved). A failure (a full
    /// disk, a read-only cache) is reported, never fatal: the snapshot is only a cache.
    static func save(_ state: LedgerState, paths: LedgerPaths, bytes: UInt64, records: UInt64, lastHash: SHA256Digest,
                     warn: (String) -> Void) {
        precondition(state.rules.recordCount == records, "a snapshot covers exactly the records its state folded")
        do {
            if state.hasBulk {
                var (core, bulk) = state.split()
                core.bulkDigest = try BulkFile.save(bulk, paths: paths, records: records)
                try StateSnapshots.save(core, paths: paths, coveredBytes: bytes, coveredRecords: records, lastHash: lastHash)
                removeBulkFiles(paths, keeping: BulkFile.name(records: records))
            } else {
                try StateSnapshots.save(state, paths: paths, coveredBytes: bytes, coveredRecords: records, lastHash: lastHash)
            }
        } catch {
            warn("could not save a state snapshot (\(error)); the next command folds the log again")
        }
        removeOtherVersions(paths)
    }

    /// Snapshots of other layouts are never read again: remove them (they are caches).
    static func removeOtherVersions(_ paths: LedgerPaths) {
        let current = "state-\(LedgerState.snapshotVersion)-"
        removeFiles(paths) { $0.hasPrefix("state-") && $0.hasSuffix(".snap") && !$0.hasPrefix(current) }
        removeFiles(paths) { $0.hasPrefix("bulk-") && !$0.hasPrefix("bulk-\(LedgerState.layout)-") }
    }

    /// Once a whole state is saved, no core names older bulk tables.
    static func removeBulkFiles(_ paths: LedgerPaths, keeping kept: String) {
        removeFiles(paths) { $0.hasPrefix("bulk-") && $0 != kept }
    }

    static func removeFiles(_ paths: LedgerPaths, where matches: (String) -> Bool) {
        let directory = paths.cache + "/snapshots"
        guard let handle = opendir(directory) else { return }
        var names: [String] = []
        while let entry = readdir(handle) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        closedir(handle)
        for name in names where matches(name) { unlink(directory + "/" + name) }
    }

    /// The bytes of the log's complete lines (a torn tail, if any, is not part of the log).
    static func completeBytes(_ path: String) throws(CLIError) -> UInt64 {
        do {
            let file = try SystemFile(path: path, flags: O_RDONLY)
            var end = try file.size()
            while end > 0 {
                let start = end > 65_536 ? end - 65_536 : 0
                let chunk = try file.read(at: start, count: Int(end - start))
                if let newline = chunk.lastIndex(of: 0x0A) { return start + UInt64(newline) + 1 }
                end = start
            }
            return 0
        } catch {
            throw CLIError(error)
        }
    }
}
