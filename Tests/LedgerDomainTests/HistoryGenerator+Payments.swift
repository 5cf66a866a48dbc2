import LedgerCore
import LedgerJSON
import Testing
@testable import LedgerDomain

extension HistoryGenerator {
    mutating func request() {
        let open = fold.state.commitments.all.filter { !$0.value.isCancelled }.map(\.key.text).sorted()
        guard let commitment = pick(open) else { return }
        let entry = fold.state.commitments[CommitmentID(commitment)!]!
        let tranche = Int.random(in: 0..<entry.tranches.count, using: &random)
        let remaining = entry.tranches[tranche].minorUnits - entry.trancheTaken[tranche].minorUnits
        guard remaining > 0 else { return }
        emit(E.request(fresh("DSB"), commitment: commitment, tranche: Int64(tranche + 1), amount: .integer(cents(1...remaining)))
            .by(pick([Op.clerk, Op.treasurer, Op.secretary])!))
    }

    func disbursements(_ status: DisbursementStatus) -> [String] {
        fold.state.disbursements.all.filter { $0.value.status == status && !fold.state.commitments[$0.value.commitment]!.isCancelled }
            .map(\.key.text).sorted()
    }

    mutating func approve() {
        guard let id = pick(disbursements(.requested)) else { return }
        let requester = fold.state.disbursements[DisbursementID(id)!]!.requester.text
        emit(E.approve(id).by(pick([Op.secretary, Op.treasurer, Op.treasurer2].filter { $0 != requester })!))
    }

    mutating func execute() {
        guard let id = pick(disbursements(.approved)) else { return }
        emit(E.execute(id, ref: fresh("OUT")).by(pick([Op.treasurer, Op.treasurer2])!))
    }

    mutating func reject() {
        guard let id = pick(disbursements(.requested) + disbursements(.approved)) else { return }
        emit(E.reject(id))
    }

    mutating func repayment() {
        let loans = fold.state.commitments.all.filter { $0.value.instrument == .loan && !$0.value.outstanding.isZero }.map(\.key.text).sorted()
        guard let id = pick(loans) else { return }
        let outstanding = fold.state.commitments[CommitmentID(id)!]!.outstanding.minorUnits
        emit(E.repayment(id, amount: .integer(cents(1...outstanding)), ref: fresh("ECH")))
    }

    /// The largest amount that may leave with a contribution: what remains of it, within what its fund has free.
    func refundable(_ reference: ExternalReference) -> Int64 {
        let entry = fold.state.contribution(reference)!
        let fund = fold.state.fundsByID.values.first { $0.number == entry.fund }!
        return min(entry.remaining.minorUnits, fund.balances.available.minorUnits)
    }

    mutating func reversal() {
        let candidates = fold.state.contributionReferences.filter { refundable($0) > 0 }.map(\.text)
        guard let original = pick(candidates) else { return }
        let amount = cents(1...refundable(ExternalReference(original)!))
        emit(E.reversal(of: original, amount: .integer(amount), ref: fresh("REMB"), reason: pick(ReversalReason.allCases)!.rawValue))
    }

    mutating func lenderRepayment() {
        let candidates = fold.state.contributionReferences.filter { fold.state.contribution($0)!.instrument.isRepayable && refundable($0) > 0 }.map(\.text)
        guard let original = pick(candidates) else { return }
        emit(E.lenderRepaid(original, amount: .integer(cents(1...refundable(ExternalReference(original)!))), ref: fresh("RBT")))
    }
}
