import LedgerCore
import LedgerDomain
import LedgerStorage

/// Where the fund's rules meet the log: the same `FundState.apply` checks a record on append
/// and re-checks it in verify (Specs/events.md).
///
/// Appends do not replay the whole log: they load the newest valid state snapshot and fold only
/// the records after it (Specs/reports.md, section 7), so an append costs about the same on a
/// million-record log as on an empty one. A snapshot is a cache, never the truth: it is checked
/// against the record it claims to end at, and `ledger verify --snapshots` compares it with a
/// fold from the genesis.
enum FundRules {
    /// Where snapshot problems are reported (once each; they are never errors for the user).
    nonisolated(unsafe) static var warn: (String) -> Void = { text in writeAll(descriptor: 2, Array("ledger: \(text)\n".utf8)) }

    /// What the last `state(replaying:)` built, so that `append(_:onto:)` can carry the
    /// projections along and save a snapshot. The CLI runs one command per process, on one thread.
    struct Replay {
        let writer: ObjectIdentifier
        var state: LedgerState
        /// Records folded after the snapshot.
        var tail: Int
    }

    nonisolated(unsafe) private static var lastReplay: Replay?
    nonisolated(unsafe) private static var keptUntilExit: LedgerState?

    /// Rebuilds the fund's state (snapshot and tail, under the writer's lock), then appends with
    /// every new record checked against it.
    static func append(_ drafts: [RecordDraft], writer: LedgerWriter, clock: any Clock,
                       progress: ((Int, Int) -> Void)? = nil) throws(AppendError) -> [AppendOutcome] {
        try append(drafts, onto: try state(replaying: writer), writer: writer, clock: clock, progress: progress)
    }

    /// Appends with each new record checked against `state`, the state of the whole log so far
    /// as `state(replaying:)` returned it, then saves a snapshot if one is due.
    static func append(_ drafts: [RecordDraft], onto state: FundState, writer: LedgerWriter,
                       clock: any Clock, progress: ((Int, Int) -> Void)? = nil) throws(AppendError) -> [AppendOutcome] {
        guard let replay = lastReplay, replay.writer == ObjectIdentifier(writer), replay.state.rules.recordCount == state.recordCount else {
            // Not the state this process replayed: replay it.
            return try append(drafts, writer: writer, clock: clock, progress: progress)
        }
        lastReplay = nil
        var full = replay.state
        // The process ends after its one append: freeing a fund's state entity by entity would
        // only delay its exit (a millisecond for twenty thousand parties), so it is kept.
        defer { keptUntilExit = full }
        let outcomes: [AppendOutcome]
        do {
            outcomes = try writer.append(drafts, clock: clock, check: { record throws(RuleViolation) in try full.apply(record) },
                                         progress: progress)
        } catch .ruleViolation(_, let violation) where violation.rule == FundState.damagedBaseRule {
            // Nothing was written: check the drafts again against a fold from the genesis.
            warn("ignored the state snapshot: its bulk tables are damaged (\(full.base?.damageReason ?? "")); folding the log from the genesis")
            lastReplay = try wholeReplay(writer)
            return try append(drafts, onto: lastReplay!.state.rules, writer: writer, clock: clock, progress: progress)
        }
        let appended = outcomes.filter { if case .appended = $0 { return true } else { return false } }.count
        let tail = replay.tail + appended
        guard full.rules.recordCount == writer.last.seq + 1 else { return outcomes }
        if StateStore.isDue(tailRecords: tail, entities: full.entityCount) {
            StateStore.save(full, paths: writer.paths, bytes: writer.logBytes, records: writer.last.seq + 1,
                            lastHash: writer.last.hash, warn: warn)
        }
        return outcomes
    }

    /// The state of the log the writer holds (it holds the lock, so nobody appends meanwhile):
    /// the newest valid snapshot (its core, with its base file attached), then the records after it.
    static func state(replaying writer: LedgerWriter) throws(AppendError) -> FundState {
        let core = StateStore.load(writer.paths, logBytes: writer.logBytes, decodingViews: false, warn: warn)
        var replay = Replay(writer: ObjectIdentifier(writer), state: core?.state ?? LedgerState(), tail: 0)
        do {
            try writer.replay(from: core?.coveredBytes ?? 0) { record throws(RuleViolation) in
                try replay.state.apply(record)
                replay.tail += 1
            }
            if let reason = replay.state.base?.damageReason {
                warn("ignored the state snapshot: its bulk tables are damaged (\(reason)); folding the log from the genesis")
                replay = try wholeReplay(writer)
            }
        } catch where core != nil {
            // The log after the snapshot does not fit it: distrust the snapshot, fold from the genesis.
            warn("ignored the state snapshot: the records after it do not apply to it (\(error)); folding the log from the genesis")
            replay = try wholeReplay(writer)
        }
        precondition(replay.state.rules.recordCount == writer.last.seq + 1, "the fold covers every record of the log")
        lastReplay = replay
        return replay.state.rules
    }

    /// Every record from the genesis, without snapshots.
    static func wholeReplay(_ writer: LedgerWriter) throws(AppendError) -> Replay {
        var replay = Replay(writer: ObjectIdentifier(writer), state: LedgerState(), tail: 0)
        try writer.replay { record throws(RuleViolation) in
            try replay.state.apply(record)
            replay.tail += 1
        }
        return replay
    }

    /// The state for read-only commands, without taking the writers' lock. It reads complete
    /// lines only, so a concurrent append is either wholly seen or not at all.
    static func state(reading paths: LedgerPaths) throws(CLIError) -> FundState {
        try StateStore.read(paths, cut: StateStore.Cut(), warn: warn).state.rules
    }

    /// A verify observer that re-checks every record, reporting the first violation with its place
    /// (and, after `ledger verify --snapshots`, comparing the fold with the state snapshot).
    static func verifier() -> (Record) -> VerifyFailure? {
        if let check = SnapshotCheck.enabled { return SnapshotCheck.verifier(check.paths, warn: check.warn) }
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
