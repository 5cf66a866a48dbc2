/// Money in and out: every counted movement adds to its fund's flows (by effective year and
/// instrument) and to the entities it concerns.
extension Projections {
    mutating func applyContribution(_ change: Change) {
        let fields = change.fields
        guard let reference: ExternalReference = fields.id("ref"), let party: PartyID = fields.id("party"), let fund: FundID = fields.id("fund"),
              let instrument: Instrument = fields.choice("instrument"), let amount = fields.money("amount"),
              contributions.insertIfAbsent(reference, ContributionView(party: party, fund: fund, instrument: instrument, amount: amount,
                                                                       stamp: change.stamp)) == nil else { return }
        guard change.counted else { return }
        flow(fund, change.year, .incoming(instrument)) { $0.received += amount.minorUnits }
        statements.modifyRecent(party, default: []) {
            $0.append(StatementLine(stamp: change.stamp, kind: .contribution, fund: fund, instrument: instrument,
                                    amount: amount, reference: reference, contribution: nil, reason: nil))
        }
    }

    /// A reversal (refund, correction...) or a repayment to a lender: money back to the
    /// contributor, from the fund that received it.
    mutating func applyMoneyBack(_ change: Change) {
        let fields = change.fields
        guard change.counted, let original: ExternalReference = fields.id("contribution"), let contribution = contributions[original],
              let reference: ExternalReference = fields.id("ref"), let amount = fields.money("amount") else { return }
        let isReversal = change.type == .contributionReversed
        flow(contribution.fund, change.year, .incoming(contribution.instrument)) { flows in
            if isReversal { flows.reversed += amount.minorUnits } else { flows.lendersRepaid += amount.minorUnits }
        }
        statements.modifyRecent(contribution.party, default: []) {
            $0.append(StatementLine(stamp: change.stamp, kind: isReversal ? .reversal : .lenderRepayment, fund: contribution.fund,
                                    instrument: contribution.instrument, amount: amount, reference: reference, contribution: original,
                                    reason: isReversal ? fields.choice("reason") : nil))
        }
    }

    mutating func applyCommitmentMade(_ change: Change) {
        let fields = change.fields
        guard let id: CommitmentID = fields.id("commitment"), !commitments.contains(id), let decision: DecisionID = fields.id("decision"),
              let projectID: ProjectID = fields.id("project"), let project = projects[projectID], let fund: FundID = fields.id("fund"),
              let amount = fields.money("amount"), let tranches = fields.amounts("tranches") else { return }
        var commitment = CommitmentView(project: projectID, fund: fund, instrument: project.instrument, amount: amount)
        projects.modify(projectID) { $0.commitments.append(id) }
        if change.counted {
            commitment.decisions = [decision]
            commitment.acts = [change.record.seq]
            commitment.tranches = tranches
            commitment.made = change.stamp
            commitment.committed = amount.minorUnits
            flow(fund, change.year, .outgoing(project.instrument)) { $0.committed += amount.minorUnits }
        }
        commitments.setRecent(id, commitment)
    }

    /// An amendment or a cancellation changes the commitment by a delta from what every record
    /// seen made of it; the delta counts in the year of the change.
    mutating func applyCommitmentChange(_ change: Change) {
        guard let id: CommitmentID = change.fields.id("commitment"), let entry = commitments[id], !entry.cancelledSeen else { return }
        let delta: Int64
        let amended: (amount: Money, plan: [Money])?
        if change.type == .commitmentAmended {
            guard let amount = change.fields.money("amount"), let tranches = change.fields.amounts("tranches") else { return }
            delta = amount.minorUnits - entry.amount.minorUnits
            amended = (amount, tranches)
        } else {
            delta = entry.disbursedSeen.minorUnits - entry.amount.minorUnits
            amended = nil
        }
        let decision: DecisionID? = change.fields.id("decision")
        // One change of the entry (the first copies it from the base: see BulkMap.modify).
        commitments.modify(id) { commitment in
            if let amended { commitment.amount = amended.amount } else { commitment.cancelledSeen = true }
            guard change.counted else { return }
            if let amended { commitment.tranches = amended.plan }
            if let decision {
                commitment.decisions.append(decision)
                commitment.acts.append(change.record.seq)
            }
            commitment.committed += delta
            if change.type == .commitmentCancelled { commitment.cancelled = change.stamp }
        }
        guard change.counted else { return }
        flow(entry.fund, change.year, .outgoing(entry.instrument)) { $0.committed += delta }
    }

    mutating func applyDisbursementRequested(_ change: Change) {
        let fields = change.fields
        guard let id: DisbursementID = fields.id("disbursement"), !disbursements.contains(id),
              let commitment: CommitmentID = fields.id("commitment"), commitments.contains(commitment),
              let tranche = fields.integer("tranche"), (1...24).contains(tranche), let amount = fields.money("amount") else { return }
        var disbursement = DisbursementView(commitment: commitment, tranche: Int(tranche) - 1, amount: amount)
        if change.counted {
            disbursement.stage = .requested
            disbursement.requested = change.stamp
        }
        disbursements.setRecent(id, disbursement)
        commitments.modify(commitment) { $0.disbursements.append(id) }
    }

    mutating func applyDisbursementStep(_ change: Change) {
        guard let id: DisbursementID = change.fields.id("disbursement"),
              let entry = disbursements.read(id, { (commitment: $0.commitment, amount: $0.amount) }),
              let commitment = commitments.read(entry.commitment, { (fund: $0.fund, instrument: $0.instrument) }) else { return }
        if change.type == .disbursementExecuted {
            commitments.modify(entry.commitment) { $0.disbursedSeen = (try? $0.disbursedSeen.adding(entry.amount, "")) ?? .max }
        }
        guard change.counted else { return }
        switch change.type {
        case .disbursementApproved:
            disbursements.modify(id) {
                $0.stage = .approved
                $0.approved = change.stamp
            }
        case .disbursementRejected:
            disbursements.modify(id) {
                $0.stage = .rejected
                $0.rejected = change.stamp
            }
        default:
            disbursements.modify(id) {
                $0.stage = .executed
                $0.executed = change.stamp
                $0.reference = change.fields.id("ref")
            }
            commitments.modify(entry.commitment) { $0.disbursed += entry.amount.minorUnits }
            flow(commitment.fund, change.year, .outgoing(commitment.instrument)) { $0.disbursed += entry.amount.minorUnits }
        }
    }

    mutating func applyLoanEvent(_ change: Change) {
        guard let id: CommitmentID = change.fields.id("commitment"),
              let commitment = commitments.read(id, { (fund: $0.fund, instrument: $0.instrument) }),
              let amount = change.fields.money("amount") else { return }
        let isRepayment = change.type == .repaymentReceived
        guard change.counted else { return }
        let decision: DecisionID? = isRepayment ? nil : change.fields.id("decision")
        commitments.modify(id) { commitment in
            if let decision {
                commitment.decisions.append(decision)
                commitment.acts.append(change.record.seq)
            }
            if isRepayment { commitment.repaid += amount.minorUnits } else { commitment.writtenOff += amount.minorUnits }
        }
        if isRepayment {
            flow(commitment.fund, change.year, .outgoing(commitment.instrument)) { $0.repayments += amount.minorUnits }
        } else {
            flow(commitment.fund, change.year, .outgoing(commitment.instrument)) { $0.writtenOff += amount.minorUnits }
        }
    }
}
