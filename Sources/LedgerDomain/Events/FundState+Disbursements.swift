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
        let entry = try activeCommitment(commitment, event)
        let tranche = Int(trancheNumber) - 1
        guard tranche < entry.tranches.count else {
            throw Rules.unknownReference.violation("disbursement.requested: commitment \"\(commitment)\" has \(entry.tranches.count) tranche(s), no tranche \(trancheNumber)")
        }
        let remaining = entry.tranches[tranche].subtracting(entry.trancheTaken[tranche])
        guard amount <= remaining else {
            throw Rules.trancheRemaining.violation("disbursement.requested: \(shown(amount)) is above what remains of tranche \(trancheNumber) of \"\(commitment)\" (\(shown(remaining)) of \(shown(entry.tranches[tranche])), the rest paid or requested)")
        }
        // Computed before the store, which then no longer needs the copy read for the checks: a
        // copy alive at the store would make it copy the tranches' array (copy-on-write).
        let taken = entry.trancheTaken[tranche].adding(uncheckedBelow: entry.tranches[tranche], amount)
        commitments.modify(commitment) { $0.trancheTaken[tranche] = taken }
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
        _ = try activeCommitment(entry.commitment, event)
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
        let commitment = try activeCommitment(entry.commitment, event)
        // The request fitted its tranche, so the amount is part of the commitment's reservation;
        // I2.available keeps reservations inside the cash, but for a correction since (version 2).
        precondition(entry.amount <= commitment.reservation && commitment.reservation <= fundsByID[commitment.fund]!.balances.reserved,
                     "a requested disbursement is part of its commitment's reservation")
        try payOutOfCash(entry.amount, from: commitment.fund, event)
        var balances = fundsByID[commitment.fund]!.balances
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
