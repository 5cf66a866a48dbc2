#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// Where reports and appends get the state of the log: the newest valid snapshot in
/// `cache/snapshots/`, then a fold of the records after it. A snapshot that is corrupt, stale
/// or of another version is reported once (a warning), ignored and rebuilt.
struct StateStore {
    let paths: LedgerPaths
    let policy: Ledger.SnapshotPolicy
    /// The ledger's checks of the key evidence, which a snapshot's seal goes through.
    let evidence: KeyEvidence.Checks
    let warn: (LedgerWarning.Kind, String) -> Void

    func isDue(tailRecords: Int, tailAppends: Int) -> Bool {
        policy.isDue(tailRecords: tailRecords, tailAppends: tailAppends)
    }

    /// What a fold produced: the state, where it ended, and how many records it folded itself.
    struct Folded {
        var state: LedgerState
        var records: UInt64
        var bytes: UInt64
        var lastHash: SHA256Digest?
        var tailRecords = 0
        /// The snapshot the fold started from, if any.
        var snapshot: LedgerView.Trust.Snapshot?

        /// Nothing folded yet: where a fold from the genesis starts.
        static var genesis: Folded { genesis(keeping: .all) }

        /// Where a fold from the genesis starts whose projections keep only `parts`.
        static func genesis(keeping parts: Projections.Parts) -> Folded {
            var state = LedgerState()
            state.views = Projections(parts: parts)
            return Folded(state: state, records: 0, bytes: 0, lastHash: nil)
        }

        /// Takes `record` (the line at `line`) through the append checks and the rules; false
        /// when the snapshot's base turned out damaged (nothing taken). A method of its own so
        /// that the rules' state is read in place, never copied per record.
        mutating func take(_ record: Record, line: LogDecoding.Line, signatures: inout AppendSignatures) throws(LedgerError) -> Bool {
            signatures.before(record, state: state.rules)
            do throws(RuleViolation) {
                try state.rules.apply(record)
            } catch {
                if error.rule == FundState.damagedBaseRule { return false }
                throw .damagedLog("the record at byte \(line.offset) breaks \(error); run `ledger verify`")
            }
            try signatures.after(record, state: state.rules)
            records += 1
            tailRecords += 1
            bytes = line.offset + UInt64(line.length) + 1
            lastHash = record.hash
            return true
        }
    }

    /// The state at `cut` for read-only commands, without the writers' lock: only complete lines
    /// present when it starts are read, so a concurrent append is wholly seen or not at all.
    /// With `checkEveryPage`, every page of the snapshot's base is checked first (for a report
    /// that reads it through and through). With `fromGenesis`, no snapshot is read. A fold from
    /// the genesis keeps only the projections' `parts`; one from a snapshot keeps every part (the
    /// snapshot's projections have them all, and a short tail costs little more).
    func read(cut: Ledger.Cut, checkEveryPage: Bool = false, fromGenesis: Bool = false,
              parts: Projections.Parts = .all) throws(LedgerError) -> Folded {
        guard Directory.fileExists(paths.log) else { throw .notALedger(paths.directory, "no log.jsonl") }
        // Not the records of an append that never finished: never acknowledged, they are rolled
        // back by the next writer.
        let logBytes: UInt64
        do { logBytes = try AcknowledgedLog.bytes(paths) } catch { throw .storage(error) }
        let genesis = Folded.genesis(keeping: parts)
        var start = genesis
        if cut.asOf == nil, !fromGenesis, let core = load(logBytes: logBytes), cut.at.map({ core.coveredRecords <= $0 + 1 }) ?? true {
            start = Folded(state: core.state, records: core.coveredRecords, bytes: core.coveredBytes, lastHash: nil,
                           snapshot: LedgerView.Trust.Snapshot(records: core.coveredRecords, sealer: core.sealer))
        }
        var folded: Folded
        do {
            folded = try Self.fold(paths.log, from: start, to: logBytes, cut: cut)
            if checkEveryPage { folded.state.base?.checkEveryPage() }
            if let reason = folded.state.base?.damageReason {
                warn(.cacheIgnored, "ignored the state snapshot of \(start.records) records: its bulk tables are damaged (\(reason)); folding the log from the genesis")
                folded = try Self.fold(paths.log, from: genesis, to: logBytes, cut: cut)
            }
        } catch where start.records > 0 && !error.isBadSignature {
            // The log after the snapshot does not fit it: distrust the snapshot, fold from the genesis.
            warn(.cacheIgnored, "ignored the state snapshot: the records after it do not apply to it (\(error)); folding the log from the genesis")
            folded = try Self.fold(paths.log, from: genesis, to: logBytes, cut: cut)
        }
        if let at = cut.at, folded.records <= at {
            throw .refused("--at \(at): the log's last record is \(folded.records == 0 ? "missing" : "seq \(folded.records - 1)")")
        }
        // A reader saves no snapshot: only the operator who signed the last append can seal one.
        return folded
    }

    /// Room for the references of a log of `logBytes`: about one per two lines of some 380 bytes
    /// (a fund's history: contributions, repayments and executed disbursements carry one; votes,
    /// ballots and requests do not). A history of contributions alone grows the index once more.
    /// Not more index than that: a hash table's inserts touch every page of its index, so room
    /// for references that never come costs memory. Idempotency keys get an index for one per
    /// line: a writer may key every record.
    ///
    /// The entries' arrays get room for one entry per 192 bytes, more than a log can hold
    /// (every record is longer): room never used is address space never touched, while entries
    /// that outgrew their room were copied into an array twice as large, both held at once. The
    /// estimates above are short for many histories: 1.64M mixed records with an estimate 0.4 %
    /// short of their references took 154 MB to verify instead of 118, and a million keyed notes
    /// (more keys than the estimate of one per 384 bytes) 79 MB instead of 58.
    static func bulkRoom(logBytes: UInt64, lastRecord: UInt64? = nil) -> BulkRoom {
        let records = lastRecord.map { $0 == .max ? $0 : $0 + 1 } ?? .max
        return BulkRoom(references: Int(clamping: min(logBytes / 768, records)), idempotencyKeys: Int(clamping: min(logBytes / 384, records)),
                        entriesAtMost: Int(clamping: min(logBytes / 192, records)))
    }

    /// Folds the complete lines in `[start.bytes, end)` onto `start`, stopping after record
    /// `cut.at`. Every record goes through the rules; the projections count it only if its
    /// effective date is not after `cut.asOf`. The projections fold on a thread of their own
    /// (`ViewsWorker`) while the rules check the records here.
    static func fold(_ log: String, from start: Folded, to end: UInt64, cut: Ledger.Cut) throws(LedgerError) -> Folded {
        var folded = start
        if start.records == 0 {
            // A fold from the genesis: room for the references, the idempotency keys and the
            // contributions, so that their entries are never copied as they grow (Self.bulkRoom).
            let room = Self.bulkRoom(logBytes: end - start.bytes, lastRecord: cut.at)
            folded.state.rules.reserveBulk(room)
            folded.state.views.reserveBulk(room)
        }
        var problem: LedgerError?
        var signatures = AppendSignatures()
        let views = ViewsWorker(folded.state.views)
        // The worker's projections are then the only copy: kept here too, each of their tables
        // (the room just reserved for the contributions among them) was copied at its first change.
        folded.state.views = Projections()
        defer { _ = views.finish() }   // joins the thread on every way out
        do {
            try LogDecoding.forEach(path: log, from: start.bytes, to: end) { line in
                guard let record = line.record else {
                    problem = .damagedLog("the record at byte \(line.offset) cannot be read; run `ledger verify`")
                    return false
                }
                if let at = cut.at, folded.records > at {
                    // Past the cut, only to reach the end of the append it fell in, whose
                    // signature vouches for the records before the cut too.
                    guard signatures.isInsideAppend else { return false }
                    do throws(LedgerError) { try signatures.after(record, state: folded.state.rules) } catch { problem = error; return false }
                    return true
                }
                do throws(LedgerError) {
                    // False on a damaged base, not the log's fault: the caller sees `isDamaged` and folds again.
                    guard try folded.take(record, line: line, signatures: &signatures) else { return false }
                } catch {
                    problem = error
                    return false
                }
                views.apply(record, counted: cut.asOf.map { record.effective <= $0 } ?? true)
                return true
            }
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .damagedLog("a line longer than a record; run `ledger verify`")
        }
        if let problem { throw problem }
        try signatures.flush()
        folded.state.views = views.finish()
        return folded
    }

    /// The newest valid core with its base file attached, or nil (reported) when there is none
    /// or its base is missing or corrupt. With `decodingViews` false (an append, which needs the
    /// projections only to save a snapshot), they stay encoded until `LedgerState.decodeViews`.
    func load(logBytes: UInt64, decodingViews: Bool = true) -> StateSnapshots.Loaded<LedgerState>? {
        guard policy.isEnabled else { return nil }
        let ignored = { (message: String) in warn(.cacheIgnored, message) }
        guard var core = StateSnapshots.load(LedgerState.self, paths: paths, logBytes: logBytes, evidence: evidence, warn: ignored) else { return nil }
        if let key = core.state.baseKey {
            do {
                core.state.attach(try BulkFile(paths, key: key))
            } catch {
                ignored("ignored the state snapshot of \(core.coveredRecords) records: its bulk tables (\(key.names.joined(separator: ", "))) are \(error); it will be rebuilt from the log")
                return nil
            }
        }
        guard decodingViews else { return core }
        do {
            try core.state.decodeViews(paths)
        } catch {
            ignored("ignored the state snapshot of \(core.coveredRecords) records: its projections (\(ViewsFile.name(records: core.coveredRecords))) are \(error); it will be rebuilt from the log")
            return nil
        }
        return core
    }

    /// Write a new base once the entries above it outnumber a sixteenth of it and
    /// `policy.baseEntriesMin`, or `policy.baseEntriesMax` whatever its size: the core and the
    /// projections' part, which every command decodes, stay small (`BulkFile.write` puts the
    /// entries in a new upper file of the base or merges them into the small ones near its top,
    /// so that this costs what they are, not the base).
    func baseIsDue(_ state: LedgerState) -> Bool {
        let threshold = min(max(policy.baseEntriesMin, (state.base?.rowCount ?? 0) / 16), max(policy.baseEntriesMin, policy.baseEntriesMax))
        return state.recentBulkEntries > threshold
    }

    /// Saves a snapshot sealed by the operator who just appended (`sealer`): first a new base if
    /// one is due (`baseIsDue`; `compacted`, a step of it begun beside the append's rules), then
    /// the core that names its base. A failure (a full disk, a read-only cache) is reported,
    /// never fatal: the snapshot is only a cache.
    func save(_ state: LedgerState, bytes: UInt64, sealer: StateSnapshots.Sealer, compacted: BulkFile.Compaction? = nil) {
        let records = sealer.lastRecord.seq + 1
        precondition(state.rules.recordCount == records, "a snapshot covers exactly the records its state folded")
        precondition(state.views.parts == .all, "a snapshot holds every part of the projections")
        guard policy.isEnabled else { return }
        var state = state
        do {
            do {
                try state.decodeViews(paths)
            } catch {
                // The projections' part the loaded core named is gone or damaged: the rules'
                // state was enough for the append, but a snapshot needs both; fold them again
                // (once: the snapshot saved now names a good part).
                warn(.cacheIgnored, "the state snapshot's projections are \(error); folding the log from the genesis to save a whole snapshot")
                state = try Self.fold(paths.log, from: .genesis, to: bytes, cut: .head).state
            }
            if baseIsDue(state) {
                let base = try BulkFile.write(state, paths: paths, records: records, policy: policy, compacted: compacted)
                if let reason = state.base?.damageReason { throw StorageError.limit("the old bulk tables are damaged (\(reason))") }
                state.rebase(base)
            }
            try state.saveViewsAndCore(paths, coveredBytes: bytes, sealer: sealer)
            // Nothing else writes here now (appends hold the writer's lock): what the core does
            // not name goes, and so do the temporary files of a writer killed mid-write.
            compacted?.finish()
            removeFiles { $0.hasPrefix("views-") && $0 != ViewsFile.name(records: records) }
            if let key = state.baseKey { removeFiles { $0.hasPrefix("bulk-") && !key.names.contains($0) } }
            removeFiles { $0.hasPrefix(".") && $0.hasSuffix(".tmp") }
        } catch {
            warn(.cacheNotSaved, "could not save a state snapshot (\(error)); the next command folds the log again")
        }
        removeOtherVersions()
    }

    /// Snapshots of other layouts are never read again: remove them (they are caches).
    func removeOtherVersions() {
        let current = "state-\(LedgerState.snapshotVersion)-"
        removeFiles { $0.hasPrefix("state-") && $0.hasSuffix(".snap") && !$0.hasPrefix(current) }
        removeFiles { $0.hasPrefix("bulk-") && !$0.hasPrefix("bulk-\(LedgerState.layout)-") }
        removeFiles { $0.hasPrefix("views-") && !$0.hasPrefix("views-\(LedgerState.layout)-") }
    }

    /// Removes the snapshot files whose names match (caches: a failure leaves them for next time).
    func removeFiles(where matches: (String) -> Bool) {
        guard let directory = try? DirectoryHandle(path: paths.directory).existingSubdirectory(LedgerPaths.Name.cache)?
                  .existingSubdirectory(LedgerPaths.Name.snapshots),
              let names = try? directory.names() else { return }
        for name in names where matches(name) { try? directory.removeFile(name) }
    }

    /// The bytes of the log's complete lines (a torn tail, if any, is not part of the log).
    static func completeBytes(_ path: String) throws(LedgerError) -> UInt64 {
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
            throw .storage(error)
        }
    }
}
