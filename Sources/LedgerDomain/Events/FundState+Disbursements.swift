import LedgerCore

/// Disbursements: requested against a tranche, approved by another operator, executed by a
/// treasurer (the role table), never above the tranche, the commitment or the fund's cash.
extension FundState {
    mutating func applyDisbursementRequested(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["amount", "commitment", "disbursement", "tranche"])
        let disbursement: DisbursementID = try payload.identifier("disbursement")
        let commitment: CommitmentID = try payload.identifier("commitment")
        let trancheNumber = try payload.integer("tranche", in: 1...Int64(Self.tranchesMax))
        let amount = try payload.amount("amount")
        try payload.decoded()
        try Self.fresh(disbursements, disbursement, event)
        let tranche = Int(trancheNumber) - 1
        let (tranches, planned, taken) = try activeCommitment(commitment, event) { entry in
            tranche < entry.tranches.count ? (entry.tranches.count, entry.tranches[tranche], entry.trancheTaken[tranche])
                : (entry.tranches.count, Money.zero, Money.zero)
        }
        guard tranche < tranches else {
            throw Rules.unknownReference.violation("disbursement.requested: commitment \"\(commitment)\" has \(tranches) tranche(s), no tranche \(trancheNumber)")
        }
        let remaining = planned.subtracting(taken)
        guard amount <= remaining else {
            throw Rules.trancheRemaining.violation("disbursement.requested: \(shown(amount)) is above what remains of tranche \(trancheNumber) of \"\(commitment)\" (\(shown(remaining)) of \(shown(planned)), the rest paid or requested)")
        }
        let takenNow = taken.adding(uncheckedBelow: planned, amount)
        commitments.modify(commitment) { $0.trancheTaken[tranche] = takenNow }
        disbursements.setRecent(disbursement, DisbursementEntry(commitment: commitment, tranche: tranche, amount: amount, requester: event.actor))
        created.disbursements += 1
    }

    mutating func applyDisbursementApproved(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["disbursement"])
        let disbursement: DisbursementID = try payload.identifier("disbursement")
        let entry = try disbursementIn(.requested, disbursement, event)
        guard entry.requester != event.actor else {
            throw Rules.fourEyes.violation("disbursement.approved: operator \"\(event.actor)\" requested \"\(disbursement)\" and cannot also approve it")
        }
        try activeCommitment(entry.commitment, event) { _ in }
        disbursements.modify(disbursement) { $0.status = .approved }
    }

    mutating func applyDisbursementRejected(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["disbursement", "reason"])
        let disbursement: DisbursementID = try payload.identifier("disbursement")
        _ = try payload.text("reason", bytesMax: 500)
        let entry = try Self.known(disbursements, disbursement, event)
        guard entry.status == .requested || entry.status == .approved else {
            throw Rules.disbursementState.violation("disbursement.rejected: \"\(disbursement)\" is \(entry.status.rawValue); only a requested or approved disbursement can be rejected")
        }
        let taken = try Self.known(commitments, entry.commitment, event).trancheTaken[entry.tranche]
        commitments.modify(entry.commitment) { $0.trancheTaken[entry.tranche] = taken.subtracting(entry.amount) }
        disbursements.modify(disbursement) { $0.status = .rejected }
    }

    mutating func applyDisbursementExecuted(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["disbursement", "ref"])
        let disbursement: DisbursementID = try payload.identifier("disbursement")
        let reference: ExternalReference = try payload.identifier("ref")
        let entry = try disbursementIn(.approved, disbursement, event)
        let commitment = try activeCommitment(entry.commitment, event) {
            (fund: $0.fund, amount: $0.amount, disbursed: $0.disbursed, reservation: $0.reservation)
        }
        // The request fitted its tranche, so the amount is part of the commitment's reservation;
        // I2.available keeps reservations inside the cash, but for a correction since (version 2).
        precondition(entry.amount <= commitment.reservation && commitment.reservation <= balances(of: commitment.fund).reserved,
                     "a requested disbursement is part of its commitment's reservation")
        try payOutOfCash(entry.amount, from: commitment.fund, event)
        var balances = self.balances(of: commitment.fund)
        balances.disbursed = try balances.disbursed.adding(entry.amount, "fund \"\(commitment.fund)\"'s disbursed total")
        balances.cash = balances.cash.subtracting(entry.amount)
        balances.reserved = balances.reserved.subtracting(entry.amount)
        try claim(reference, event)
        fundsByID[commitment.fund]!.balances = balances
        commitments.modify(entry.commitment) { $0.disbursed = commitment.disbursed.adding(uncheckedBelow: commitment.amount, entry.amount) }
        disbursements.modify(disbursement) { $0.status = .executed }
    }

    private func disbursementIn(_ status: DisbursementStatus, _ disbursement: DisbursementID, _ event: Event) throws(RuleViolation) -> DisbursementEntry {
        let entry = try Self.known(disbursements, disbursement, event)
        guard entry.status == status else {
            throw Rules.disbursementState.violation("\(event.name): \"\(disbursement)\" is \(entry.status.rawValue), not \(status.rawValue)")
        }
        return entry
    }
}
