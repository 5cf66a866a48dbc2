import LedgerCore
import LedgerDomain

/// Who wrote what a fold takes in: the appends' signatures, checked as `verify` checks them
/// (Specs/log-format.md §10.3) against the keys the log registered, so that a line written by
/// someone without a key is never a figure in a report nor ground for an append
/// (Specs/trust.md §2). The records a sealed snapshot covers need no check: its seal is the key
/// that signed the last of them, and that record's hash chains every one before it.
///
/// A fold starts at an append's boundary (the genesis, or a snapshot's end) and calls `before`
/// and `after` around each record it applies; the signatures are verified in batches on every
/// core, and the first that fails makes the log damaged (`ledger verify` says where).
struct AppendSignatures {
    private var checks = AppendChecks()
    private var signatures = SignatureBatch()
    /// The appends whose signature was found (checked at the next `flush` at the latest).
    private(set) var signed = 0

    /// Whether the last record read left an append open (its signed record is still to come).
    var isInsideAppend: Bool { checks.unfinishedAppendStart != nil }

    mutating func before(_ record: Record, state: FundState) {
        checks.before(record, state: state)
    }

    mutating func after(_ record: Record, state: FundState) throws(LedgerError) {
        switch checks.after(record, state: state) {
        case .failure(let failure):
            throw Self.damaged(seq: failure.seq, failure.message)
        case .success(let signature?):
            signed += 1
            if signatures.add(signature) { try flush() }
        case .success(nil):
            break
        }
    }

    /// Verifies the signatures gathered so far.
    mutating func flush() throws(LedgerError) {
        if let (signature, _) = signatures.verify() {
            throw Self.damaged(seq: signature.lastSeq, signature.failure.message)
        }
    }

    static func damaged(seq: UInt64, _ message: String) -> LedgerError {
        .unsignedRecord(seq: seq, reason: message)
    }
}

extension LedgerError {
    /// A fold met a record its operator did not sign: the snapshot is not to blame.
    var isBadSignature: Bool {
        if case .unsignedRecord = self { return true }
        return false
    }
}
