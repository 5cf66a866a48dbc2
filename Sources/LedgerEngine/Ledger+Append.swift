import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// Where the fund's rules meet the log on the way in: the same `FundState.apply` checks a
/// record on append and re-checks it in verify (Specs/events.md).
///
/// Appends do not replay the whole log: they load the newest valid state snapshot and fold
/// only the records after it (Specs/reports.md, section 7), so an append costs about the same
/// on a million-record log as on an empty one. A snapshot is a cache, never the truth: it is
/// checked against the record it claims to end at, and `verify` with `comparingSnapshots`
/// compares it with a fold from the genesis.
extension Ledger {
    /// What an append did, and the ledger's identity (to describe the events: the currency).
    public struct Appended: Sendable {
        /// One outcome per draft, in order.
        public let outcomes: [AppendOutcome]
        public let genesis: Genesis?
    }

    /// Appends `drafts` as one all-or-nothing batch, each new record checked against the fund's
    /// rules first; nothing is written if one is refused. The batch is signed by `signer`
    /// (default: `options.signer`), which must hold the key registered for the drafts' actor.
    /// `progress` hears (records encoded, total) during a large batch.
    public func append(_ drafts: [RecordDraft], signer: AppendSigner? = nil, dryRun: Bool = false,
                       progress: ((Int, Int) -> Void)? = nil) throws(LedgerError) -> [AppendOutcome] {
        try append(signer: signer, dryRun: dryRun, progress: progress) { _ throws(LedgerError) in drafts }.outcomes
    }

    /// Takes the writer's lock, folds the state of the whole log, asks `build` for the drafts
    /// to append (a back-office command needs the state: the currency's decimals, a ballot's
    /// tally) and appends them under the rules, all under the same lock. A `dryRun` does every
    /// check an append does (the signer's key, the clock, the rules, the idempotency keys) and
    /// writes nothing: its outcomes say what would be appended, and with which seq and hash.
    public func append(signer: AppendSigner? = nil, dryRun: Bool = false, progress: ((Int, Int) -> Void)? = nil,
                       building build: (FundState) throws(LedgerError) -> [RecordDraft]) throws(LedgerError) -> Appended {
        let writer = try openWriter()
        // Whatever happens below, the fold is only kept again once the append has succeeded:
        // a refused batch leaves in it the records it checked but never wrote.
        var fold = try foldForWriter(writer, savingAfter: !dryRun)
        lastFold = nil
        // `build` sees the state without keeping it: the fold stays the only owner of its
        // tables, which the append then changes in place rather than copying them.
        var drafts: [RecordDraft]
        do {
            drafts = try build(fold.state.rules)
        } catch where fold.state.base?.damageReason != nil {
            drafts = []   // built again below, on the log
        }
        if let reason = fold.state.base?.damageReason {
            // What `build` read of the snapshot's base met a damaged page: build again on the log.
            warn(.cacheIgnored, "ignored the state snapshot: its bulk tables are damaged (\(reason)); folding the log from the genesis")
            fold = try wholeFold(writer)
            drafts = try build(fold.state.rules)
        }
        let genesis = fold.state.rules.genesis
        guard !drafts.isEmpty else { throw .invalidInput("nothing to append") }
        let signer = try checkSigner(signer ?? options.signer, of: drafts, state: fold.state.rules)
        // A batch that will outgrow the base's upper files has the save's merge of them into a new
        // lower file made beside its rules (`BulkFile.Compaction`); its file goes if unused.
        let compaction = dryRun ? nil : BulkFile.Compaction.begin(for: fold.state, events: drafts.count, paths: paths, policy: options.snapshots)
        defer { compaction?.finish() }
        let outcomes = try append(drafts, onto: &fold, writer: writer, signer: signer, dryRun: dryRun, progress: progress)
        warnOfFutureDates(outcomes)
        // The fold took in records that were not written: it is not kept.
        if dryRun {
            options.keepUntilExit?(fold)
            return Appended(outcomes: outcomes, genesis: genesis)
        }
        let appended = outcomes.filter { if case .appended = $0 { return true } else { return false } }.count
        fold.tail += appended
        fold.tailAppends += 1
        precondition(fold.state.rules.recordCount == writer.last.seq + 1, "the fold covers every record of the log")
        fold.end = (writer.logBytes, writer.last.hash)
        let first = outcomes.lazy.compactMap({ if case .appended(let record) = $0 { record.seq } else { nil } }).first
        guard let first else {
            lastFold = fold
            return Appended(outcomes: outcomes, genesis: genesis)
        }
        // Sealed by this append's signer, whose key signed the last record it covers.
        let sealer = StateSnapshots.Sealer(signer: signer, lastRecord: writer.last, firstSeq: first)
        let saving = store.isDue(tailRecords: fold.tail, tailAppends: fold.tailAppends)
        updateCaches(logBytes: writer.logBytes, sealer: sealer, saving: saving ? fold.state : nil, compacted: compaction)
        // The snapshot just saved may have replaced the base this fold reads: the next append
        // starts from it.
        if saving { options.keepUntilExit?(fold) } else { lastFold = fold }
        return Appended(outcomes: outcomes, genesis: genesis)
    }

    /// Brings the caches up to the append `sealer` describes: the key evidence, then the proof
    /// cache (whose seal is checked against the evidence), and a snapshot of `state` if one is
    /// due. The snapshot needs neither, so it is saved on a thread of its own beside them: after
    /// a large batch each costs a tenth of a second or more. Its warnings are told after theirs,
    /// in the order the three ran in one after the other.
    private func updateCaches(logBytes: UInt64, sealer: StateSnapshots.Sealer, saving state: LedgerState?,
                              compacted: BulkFile.Compaction?) {
        guard let state else {
            updateKeyEvidence(logBytes: logBytes)
            sealProofCache(by: sealer.signer, firstSeq: sealer.firstSeq)
            return
        }
        let heard = HeardWarnings()
        let saver = StateStore(paths: paths, policy: options.snapshots, evidence: keyEvidence, warn: { kind, message in heard.add(LedgerWarning(kind, message)) })
        ParallelWork.run(parts: 2) { part in
            if part == 0 {
                self.updateKeyEvidence(logBytes: logBytes)
                self.sealProofCache(by: sealer.signer, firstSeq: sealer.firstSeq)
            } else {
                saver.save(state, bytes: logBytes, sealer: sealer, compacted: compacted)
            }
        }
        // Joined: the saving thread wrote its last warning before the join.
        for warning in heard.warnings { options.warn(warning) }
    }

    /// Says once which appended events are effective after the day they were recorded.
    private func warnOfFutureDates(_ outcomes: [AppendOutcome]) {
        let ahead = outcomes.compactMap { outcome -> Record? in
            guard case .appended(let record) = outcome, record.effective > record.recordedAt.date else { return nil }
            return record
        }
        guard let first = ahead.first else { return }
        let more = ahead.count > 1 ? " (and \(ahead.count - 1) more)" : ""
        warn(.futureDate, "seq \(first.seq) is effective \(first.effective), after the day it is recorded (\(first.recordedAt.date))\(more): "
            + "check the date if it is not a planned act")
    }

    /// Who wrote it (Specs/trust.md): an append is one operator's, signed by the key the log
    /// registered for them; the clock of a real ledger is the system's.
    private func checkSigner(_ signer: AppendSigner?, of drafts: [RecordDraft], state: FundState) throws(LedgerError) -> AppendSigner {
        let actors = Set(drafts.map(\.actor))
        guard actors.count == 1, let actor = actors.first else {
            throw .invalidInput("one append is one operator's: these events name \(actors.count) operators (\(actors.sorted().joined(separator: ", ")))")
        }
        guard let signer else {
            throw .invalidInput("appending needs the key of operator \"\(actor)\": every append is signed by its operator")
        }
        // An actor who is no active operator is refused by the rules (A1.operator-unknown), with
        // the rule's name, before anything is written.
        guard state.role(of: actor) != nil else { return signer }
        switch AppendChecks.signingKey(for: actor, drafts: drafts, state: state) {
        case .failure(let failure):
            throw .refused(failure.message + "; nothing appended")
        case .success(let key) where key != signer.publicKey:
            let whose = state.owner(of: signer.publicKey).map { "operator \"\($0)\"'s key" } ?? "a key registered to no operator"
            throw .refused("the key given is \(whose), not the key registered for \"\(actor)\" (\(KeyText.short(key))): "
                + "nobody appends under another operator's name; nothing appended")
        case .success:
            break
        }
        if !(state.genesis?.isSimulated ?? false) { try Self.checkClock(options) }
        return signer
    }

    /// Appends with each new record checked against `fold`, which it brings up to date.
    private func append(_ drafts: [RecordDraft], onto fold: inout WriterFold, writer: LedgerWriter, signer: AppendSigner,
                        dryRun: Bool, progress: ((Int, Int) -> Void)?) throws(LedgerError) -> [AppendOutcome] {
        // `state` becomes the only owner of the fold's tables, so records apply in place.
        var state = fold.state
        fold.state = LedgerState()
        // A large batch's projections fold beside its rules (they are needed for the snapshot
        // saved after it); a small append leaves them in their file.
        if !dryRun && drafts.count >= LedgerWriter.chunkRecords { state.foldViewsAside(paths) }
        let result: Result<[AppendOutcome], AppendError>
        do {
            result = .success(try writer.append(drafts, clock: options.clock, signer: signer, existing: { key throws(AppendError) in
                try Self.record(usingIdempotencyKey: key, in: state.rules, writer: writer)
            }, check: { record throws(RuleViolation) in
                try state.apply(record)
            }, dryRun: dryRun, progress: progress))
        } catch {
            result = .failure(error)
        }
        fold.state = state
        switch result {
        case .success(let outcomes):
            return outcomes
        case .failure(.ruleViolation(_, let violation)) where violation.rule == FundState.damagedBaseRule:
            // Nothing was written: check the drafts again against a fold from the genesis.
            warn(.cacheIgnored, "ignored the state snapshot: its bulk tables are damaged (\(state.base?.damageReason ?? "")); folding the log from the genesis")
            fold = try wholeFold(writer)
            return try append(drafts, onto: &fold, writer: writer, signer: signer, dryRun: dryRun, progress: progress)
        case .failure(let error):
            throw .append(error)
        }
    }

    /// The record that used idempotency key `key`: the fund's state (sealed, or folded from the
    /// log) says which seq, and the record is read back from the log and its key compared.
    static func record(usingIdempotencyKey key: String, in rules: FundState, writer: LedgerWriter) throws(AppendError) -> Record? {
        let seq: UInt64?
        do { seq = try rules.seq(usingIdempotencyKey: key) } catch { throw .ruleViolation(position: 0, error) }
        guard let seq else { return nil }
        let record: Record
        do { record = try writer.record(atSeq: seq) } catch { throw .storage(error) }
        guard record.idempotencyKey == key else {
            throw .storage(.damagedTail(path: writer.paths.log, reason: "the fund's state says idempotency key \"\(key)\" was used at seq \(seq), "
                + "but that record has another key; run `ledger verify`"))
        }
        return record
    }

    /// The state this value folded last, if the log still ends where it did; else the newest
    /// valid snapshot (its core, with its base attached) and the records after it, folded under
    /// the writer's lock (nobody appends meanwhile). `savingAfter`: an append that will save a
    /// snapshot if the tail is long enough.
    func foldForWriter(_ writer: LedgerWriter, savingAfter: Bool = true) throws(LedgerError) -> WriterFold {
        if let lastFold, lastFold.end.bytes == writer.logBytes, lastFold.end.hash == writer.last.hash {
            return lastFold
        }
        // The evidence first, if it lags (a ledger of an earlier build): a scan of the log for its
        // key events costs far less than the fold from the genesis an untrusted snapshot means.
        updateKeyEvidence(logBytes: writer.logBytes)
        let core = store.load(logBytes: writer.logBytes, decodingViews: false)
        var fold = WriterFold(state: core?.state ?? LedgerState(), end: (writer.logBytes, writer.last.hash))
        if savingAfter, let core, writer.last.seq + 1 >= core.coveredRecords,
           store.isDue(tailRecords: Int(clamping: writer.last.seq + 1 - core.coveredRecords), tailAppends: 0) {
            // An old snapshot (a save failed, or the cache came back from a copy): the append
            // saves one, for which the projections fold the same tail. They fold it on a thread
            // of their own beside the rules' replay, where the save folded them after it.
            // (Judged on the records: its appends are counted by the replay. A save due by
            // them alone has a tail of a few records, which the save folds after it.)
            fold.state.foldViewsAside(paths)
        }
        do throws(LedgerError) {
            try Self.replay(writer, from: core?.coveredBytes ?? 0, onto: &fold)
            if let reason = fold.state.base?.damageReason {
                warn(.cacheIgnored, "ignored the state snapshot: its bulk tables are damaged (\(reason)); folding the log from the genesis")
                fold = try wholeFold(writer)
            }
        } catch where core != nil && !error.isBadSignature {
            // The log after the snapshot does not fit it: distrust the snapshot, fold from the genesis.
            warn(.cacheIgnored, "ignored the state snapshot: the records after it do not apply to it (\(error)); folding the log from the genesis")
            fold = try wholeFold(writer)
        }
        precondition(fold.state.rules.recordCount == writer.last.seq + 1, "the fold covers every record of the log")
        return fold
    }

    /// Every record from the genesis, without snapshots.
    func wholeFold(_ writer: LedgerWriter) throws(LedgerError) -> WriterFold {
        var fold = WriterFold(state: LedgerState(), end: (writer.logBytes, writer.last.hash))
        try Self.replay(writer, from: 0, onto: &fold)
        return fold
    }

    /// Folds the writer's log from `offset` (an append's boundary) to its acknowledged end onto
    /// `fold`, every record through the rules and every append's signature checked: a writer
    /// appends on no line that its operator did not sign (Specs/trust.md §2). The lines are
    /// decoded on the other cores a block ahead of the rules (`LogDecoding`), as a report's fold
    /// decodes them: decoding was a sixth of an append's time 7,000 records behind its snapshot.
    static func replay(_ writer: LedgerWriter, from offset: UInt64, onto fold: inout WriterFold) throws(LedgerError) {
        var signatures = AppendSignatures()
        var problem: LedgerError?
        let log = writer.paths.log
        do {
            try LogDecoding.forEach(reading: { at, buffer throws(StorageError) in try writer.readLog(into: buffer, at: at) },
                                    from: offset, to: writer.logBytes) { line in
                do throws(LedgerError) {
                    guard let record = line.record else { throw WriterFold.damaged(log, "the record at byte \(line.offset) cannot be read") }
                    try fold.take(record, line: line, log: log, signatures: &signatures)
                    return true
                } catch {
                    problem = error
                    return false
                }
            }
        } catch let error as StorageError {
            throw .append(.storage(error))
        } catch {
            throw WriterFold.damaged(log, "a line longer than a record; run `ledger verify`")
        }
        if let problem { throw problem }
        try signatures.flush()
        fold.tailAppends += signatures.signed
    }

    /// The snapshot store of this ledger, under this value's options.
    var store: StateStore {
        StateStore(paths: paths, policy: options.snapshots, evidence: keyEvidence, warn: { [options] kind, message in
            options.warn(LedgerWarning(kind, message))
        })
    }
}

/// Warnings a helper thread heard, told by the caller's thread once it has joined it.
private final class HeardWarnings: @unchecked Sendable {
    private(set) var warnings: [LedgerWarning] = []
    func add(_ warning: LedgerWarning) { warnings.append(warning) }
}

/// The state folded under the writer's lock, and where in the log it ends.
struct WriterFold {
    var state: LedgerState
    /// Records folded after the snapshot it started from (a new snapshot is due after enough).
    var tail = 0
    /// Appends among them: each signature is checked again by every later append until a
    /// snapshot covers it (a new snapshot is due after enough of them too).
    var tailAppends = 0
    /// The log's size and last hash when the fold ended: it serves a later append only if the
    /// log still ends there.
    var end: (bytes: UInt64, hash: SHA256Digest)
}

extension WriterFold {
    /// Takes `record` (the line at `line` of `log`) through its append's checks and the rules,
    /// as the report's fold does (`StateStore.Folded.take`). A method of its own so that the
    /// rules' state is read in place: through the replay closure's capture of the fold, it was
    /// copied (each of its tables retained and released) twice a record.
    mutating func take(_ record: Record, line: LogDecoding.Line, log: String, signatures: inout AppendSignatures) throws(LedgerError) {
        signatures.before(record, state: state.rules)
        do { try state.apply(record) } catch { throw Self.damaged(log, "the record at byte \(line.offset) breaks \(error)") }
        try signatures.after(record, state: state.rules)
        tail += 1
    }

    /// The log is damaged after the snapshot, for `reason`.
    static func damaged(_ log: String, _ reason: String) -> LedgerError {
        .append(.storage(.damagedTail(path: log, reason: reason)))
    }
}
