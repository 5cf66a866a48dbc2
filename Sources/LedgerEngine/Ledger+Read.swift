import LedgerCore
import LedgerDomain
import LedgerStorage

extension Ledger {
    /// A cut of the log (Specs/reports.md, section 2): the records up to `at` (a sequence
    /// number, included), of which those effective on or before `asOf` count.
    public struct Cut: Equatable, Sendable, CustomStringConvertible {
        public var at: UInt64?
        public var asOf: CalendarDate?

        public init(at: UInt64? = nil, asOf: CalendarDate? = nil) {
            self.at = at
            self.asOf = asOf
        }

        /// The whole log, every record counted.
        public static let head = Cut()
        public var isHead: Bool { at == nil && asOf == nil }

        /// `in this ledger`, `in the log cut at seq 41, as of 2025-12-31`.
        public var description: String {
            guard !isHead else { return "in this ledger" }
            return "in the log cut at \(at.map { "seq \($0)" } ?? "its head")\(asOf.map { ", as of \($0)" } ?? "")"
        }
    }

    /// How a read gets its state.
    public enum ReadMode: Sendable {
        /// The newest valid snapshot, then the records after it (the fast path).
        case cached
        /// The newest valid snapshot, every page of its base checked first: for reports that read
        /// the bulk tables through and through (audits, exports).
        case cachedCheckingEveryPage
        /// The log alone, from the genesis: no cache is read.
        case fromLog
    }

    /// The state of the log at `cut`, for reading, without the writers' lock: only complete
    /// lines present when it starts are read, so a concurrent append is wholly seen or not at
    /// all. A read saves no snapshot. `parts`: the parts of the projections the caller reads
    /// (`Projections.Parts`); a fold from the genesis keeps only those, a view from a snapshot
    /// has them all.
    public func view(at cut: Cut = .head, mode: ReadMode = .cached, parts: Projections.Parts = .all) throws(LedgerError) -> LedgerView {
        let folded = try store.read(cut: cut, checkEveryPage: mode == .cachedCheckingEveryPage, fromGenesis: mode == .fromLog, parts: parts)
        let trusted: LedgerView.Trust = folded.snapshot.map { .snapshot($0, tail: folded.records - $0.records) } ?? .log
        return LedgerView(ledger: self, cut: cut, state: folded.state, records: folded.records, trusted: trusted)
    }

    /// The fund's rules' state at the head of the log (what the next append is checked against).
    public func state() throws(LedgerError) -> FundState {
        try view().rules
    }
}

/// The state of a ledger at a cut: the rules' state and the projections every report reads
/// (Specs/reports.md), with the number of records folded.
public struct LedgerView {
    let ledger: Ledger
    public let cut: Ledger.Cut
    let state: LedgerState
    /// Records folded: the cut holds records 0 ..< records.
    public let records: UInt64
    /// What the figures rest on besides the log: nothing, or a sealed state snapshot.
    public let trusted: Trust

    /// Where a view's state came from (Specs/trust.md, 2.3): reports say it in one line.
    public enum Trust: Sendable, Equatable, CustomStringConvertible {
        /// Every record folded from the genesis: no cache read.
        case log
        /// A state snapshot of the first records, then the records after it (`tail`) folded from the log.
        case snapshot(Snapshot, tail: UInt64)

        public struct Snapshot: Sendable, Equatable {
            public let records: UInt64
            /// The operator whose key sealed it (checked against the append it follows).
            public let sealer: String?
        }

        public var description: String {
            switch self {
            case .log:
                return "figures folded from the log alone (no cache read)"
            case .snapshot(let snapshot, let tail):
                let sealed = snapshot.sealer.map { " sealed by \($0)" } ?? ""
                return "figures from a state snapshot of \(snapshot.records) records\(sealed), then \(tail) record\(tail == 1 ? "" : "s") folded from the log"
            }
        }
    }

    /// The fund's rules' state: entities and balances in the order of the log.
    public var rules: FundState { state.rules }
    /// The projections, counting only records effective by `cut.asOf`.
    public var projections: Projections { state.views }

    /// `compute` on this view; if a read of the snapshot's base met a damaged page meanwhile
    /// (reported), `compute` again on a fold of the log from the genesis: nothing is ever
    /// computed from a damaged page. Returns the view the result was computed on.
    public func checked<T>(_ compute: (LedgerView) throws(LedgerError) -> T) throws(LedgerError) -> (LedgerView, T) {
        let result = try compute(self)
        guard let reason = state.base?.damageReason else { return (self, result) }
        ledger.warn(.cacheIgnored, "ignored the state snapshot: its bulk tables are damaged (\(reason)); folding the log from the genesis")
        let fresh = try ledger.view(at: cut, mode: .fromLog, parts: state.views.parts)
        return (fresh, try compute(fresh))
    }

    /// An identifier the log does not know (up to the cut), as the reports refuse it.
    public func unknown(_ noun: String, _ text: String) -> LedgerError {
        .refused("unknown \(noun) \"\(text)\" \(cut)")
    }
}
