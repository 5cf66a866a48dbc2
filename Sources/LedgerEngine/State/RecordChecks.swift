import LedgerCore
import LedgerDomain
import LedgerStorage

/// What verify checks of each record after the chain (Specs/log-format.md section 8, steps 10
/// and 11): the fund's rules, every record through `FundState.apply`, and who wrote it
/// (`AppendChecks`), whose signatures it hands back to be verified on any core.
///
/// With a snapshot to compare (`verify` with `comparingSnapshots`), the fold is also compared
/// with the newest state snapshot that decodes and names a record of this log, when it reaches
/// the records that snapshot covers: one that holds another state (a forged or miscomputed
/// cache) is `STATE_MISMATCH`; one that is corrupt, stale or of another version is reported as a
/// warning and otherwise ignored, as everywhere else (a cache is never evidence).
struct RecordChecks {
    /// Who wrote each append.
    private(set) var appends = AppendChecks()
    /// The rules alone (plain verify).
    private var rules = FundState()
    /// The rules and the projections, to compare with a snapshot: a reference, so that the plain
    /// verify's loop never copies a state (an optional state of a struct was copied at each record).
    private let comparison: Comparison?

    /// Without `store`, the rules alone; with it, the rules and the comparison. `room`: what to
    /// make room for (`StateStore.bulkRoom`), so that the tables do not grow by copies (the last
    /// copy held the old table and the new, twice as big, at once).
    init(comparingWith store: StateStore?, room: BulkRoom = BulkRoom(references: 0, idempotencyKeys: 0)) {
        comparison = store.map(Comparison.init)
        rules.reserveBulk(room)
    }

    /// The checks of one record, in the order of the spec: the rules, then the append's; for an
    /// append's last record, the signature still to verify.
    mutating func observe(_ record: Record) -> Result<PendingSignature?, VerifyFailure> {
        let checked: Result<PendingSignature?, AppendChecks.Failure>
        if let comparison {
            appends.before(record, state: comparison.state.rules)
            if let failure = comparison.apply(record) { return .failure(failure) }
            checked = appends.after(record, state: comparison.state.rules)
        } else {
            appends.before(record, state: rules)
            do throws(RuleViolation) { try rules.apply(record) } catch { return .failure(Self.violation(error, record)) }
            checked = appends.after(record, state: rules)
        }
        switch checked {
        case .failure(let failure):
            return .failure(VerifyFailure(kind: .badSignature, seq: failure.seq, line: nil, offset: nil, message: failure.message))
        case .success(let pending):
            return .success(pending)
        }
    }

    static func violation(_ error: RuleViolation, _ record: Record) -> VerifyFailure {
        VerifyFailure(kind: .ruleViolation, seq: record.seq, line: record.seq + 1, offset: nil, message: error.description)
    }

    /// The fold of the rules and the projections, compared with the newest usable snapshot when
    /// it reaches the records that snapshot covers.
    final class Comparison {
        private(set) var state = LedgerState()
        private let snapshot: StateSnapshots.Loaded<LedgerState>?
        private var compared = false
        private let warn: (LedgerWarning.Kind, String) -> Void

        init(_ store: StateStore) {
            warn = store.warn
            let logBytes = (try? StateStore.completeBytes(store.paths.log)) ?? 0
            snapshot = store.load(logBytes: logBytes)
            if snapshot == nil {
                store.warn(.cacheIgnored, "verify --snapshots: no usable state snapshot to compare (the next report or append makes one)")
            }
        }

        func apply(_ record: Record) -> VerifyFailure? {
            do throws(RuleViolation) { try state.apply(record) } catch { return RecordChecks.violation(error, record) }
            guard let snapshot, !compared, state.rules.recordCount == snapshot.coveredRecords else { return nil }
            compared = true
            if let reason = snapshot.state.base?.damageReason {
                warn(.cacheIgnored, "verify --snapshots: the state snapshot's bulk tables are damaged (\(reason)); not compared (it will be rebuilt)")
                return nil
            }
            guard let difference = RecordChecks.difference(snapshot.state, state) else { return nil }
            return VerifyFailure(kind: .stateMismatch, seq: record.seq, line: record.seq + 1, offset: nil,
                                 message: "the state snapshot covering records 0-\(record.seq) differs from the fold of those records: "
                                     + "\(difference); it is a cache, delete cache/snapshots/ to rebuild it")
        }
    }

    /// Where a snapshot's state differs from the fold's, for people; nil when they are equal.
    static func difference(_ snapshot: LedgerState, _ fold: LedgerState) -> String? {
        guard snapshot != fold else { return nil }
        for (stored, folded) in zip(snapshot.rules.funds, fold.rules.funds) where stored != folded {
            return "fund \(folded.fund)'s balances (cash \(stored.balances.cash.minorUnits) stored, \(folded.balances.cash.minorUnits) folded)"
        }
        if snapshot.rules.funds.count != fold.rules.funds.count { return "the funds" }
        if snapshot.rules != fold.rules { return "the rules' state" }
        for grouping in [BalanceGrouping.fund, .year] where snapshot.views.balances(by: grouping) != fold.views.balances(by: grouping) {
            return "the balances by \(grouping.rawValue)"
        }
        return "the projections"
    }
}
