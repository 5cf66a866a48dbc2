import LedgerCore
import LedgerDomain
import LedgerStorage

/// `ledger verify --snapshots`: while verify folds the log from the genesis, compare the fold
/// with the newest state snapshot that decodes and names a record of this log, when the fold
/// reaches the records it covers. A snapshot that holds another state (a forged or miscomputed
/// cache) is `STATE_MISMATCH`; one that is corrupt, stale or of another version is reported on
/// standard error and otherwise ignored, as everywhere else (a cache is never evidence).
enum SnapshotCheck {
    /// Set by `ledger verify --snapshots` before it verifies; `FundRules.verifier()` then compares.
    nonisolated(unsafe) static var enabled: (paths: LedgerPaths, warn: (String) -> Void)?

    static func enable(_ paths: LedgerPaths, warn: @escaping (String) -> Void) {
        enabled = (paths, warn)
    }

    /// The rules' observer of `FundRules.verifier()`, extended with the comparison.
    static func verifier(_ paths: LedgerPaths, warn: @escaping (String) -> Void) -> (Record) -> VerifyFailure? {
        let logBytes = (try? StateStore.completeBytes(paths.log)) ?? 0
        let loaded = StateStore.load(paths, logBytes: logBytes, warn: warn)
        if loaded == nil { warn("verify --snapshots: no usable state snapshot to compare (the next report or append makes one)") }
        var state = LedgerState()
        var compared = false
        return { record in
            do throws(RuleViolation) {
                try state.apply(record)
            } catch {
                return VerifyFailure(kind: .ruleViolation, seq: record.seq, line: record.seq + 1, offset: nil, message: error.description)
            }
            guard let loaded, !compared, state.rules.recordCount == loaded.coveredRecords else { return nil }
            compared = true
            let difference = difference(loaded.state, state)
            if let reason = loaded.state.base?.damageReason {
                warn("verify --snapshots: the state snapshot's bulk tables are damaged (\(reason)); not compared (it will be rebuilt)")
                return nil
            }
            guard let difference else { return nil }
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
