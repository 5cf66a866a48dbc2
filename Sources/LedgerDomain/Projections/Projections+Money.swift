/// Money in and out: every counted movement adds to its fund's flows (by effective year and
/// instrument) and to the entities it concerns.
extension Projections {
    mutating func applyContribution(_ change: Change) {
        let fields = change.fields
        guard let reference: ExternalReference = fields.id("ref"), let party: PartyID = fields.id("party"), let fund: FundID = fields.id("fund"),
              let instrument: Instrument = fields.choice("instrument"), let amount = fields.money("amount") else { return }
        contributions.setRecent(reference, ContributionView(party: party, fund: fund, instrument: instrument, amount: amount, stamp: change.stamp))
        guard change.counted else { return }
        flow(fund, change.year, .incoming(instrument)) { $0.received += amount.minorUnits }
        guard parts.contains(.statements) else { return }
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
        guard parts.contains(.statements) else { return }
        statements.modifyRecent(contribution.party, default: []) {
            $0.append(StatementLine(stamp: change.stamp, kind: isReversal ? .reversal : .lenderRepayment, fund: contribution.fund,
                                    instrument: contribution.instrument, amount: amount, reference: reference, contribution: original,
                                    reason: isReversal ? fields.choice("reason") : nil))
        }
    }

    mutating func applyCommitmentMade(_ change: Change) {
        let fields = change.fields
        guard let id: CommitmentID = fields.id("commitment"), let decision: DecisionID = fields.id("decision"),
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
        guard let id: DisbursementID = fields.id("disbursement"), let commitment: CommitmentID = fields.id("commitment"),
              let tranche = fields.integer("tranche"), (1...24).contains(tranche), let amount = fields.money("amount"),
              commitments.modifyIfPresent(commitment, { $0.disbursements.append(id) }) else { return }
        var disbursement = DisbursementView(commitment: commitment, tranche: Int(tranche) - 1, amount: amount)
        if change.counted {
            disbursement.stage = .requested
            disbursement.requested = change.stamp
        }
        disbursements.setRecent(id, disbursement)
    }

    /// A disbursement and its commitment are each read once: an entry of the base is read by the
    /// change that copies it up (`modifyIfPresent`), not read and then changed.
    mutating func applyDisbursementStep(_ change: Change) {
        guard let id: DisbursementID = change.fields.id("disbursement") else { return }
        var entry: (commitment: CommitmentID, amount: Money)?
        if change.counted {
            disbursements.modifyIfPresent(id) { disbursement in
                entry = (disbursement.commitment, disbursement.amount)
                switch change.type {
                case .disbursementApproved:
                    disbursement.stage = .approved
                    disbursement.approved = change.stamp
                case .disbursementRejected:
                    disbursement.stage = .rejected
                    disbursement.rejected = change.stamp
                default:
                    disbursement.stage = .executed
                    disbursement.executed = change.stamp
                    disbursement.reference = change.fields.id("ref")
                }
            }
        } else {
            entry = disbursements.read(id) { (commitment: $0.commitment, amount: $0.amount) }
        }
        guard let entry, change.type == .disbursementExecuted else { return }
        var commitment: (fund: FundID, instrument: ProjectInstrument)?
        commitments.modifyIfPresent(entry.commitment) {
            commitment = ($0.fund, $0.instrument)
            $0.disbursedSeen = (try? $0.disbursedSeen.adding(entry.amount, "")) ?? .max
            if change.counted { $0.disbursed += entry.amount.minorUnits }
        }
        guard change.counted, let commitment else { return }
        flow(commitment.fund, change.year, .outgoing(commitment.instrument)) { $0.disbursed += entry.amount.minorUnits }
    }

    mutating func applyLoanEvent(_ change: Change) {
        guard change.counted, let id: CommitmentID = change.fields.id("commitment"), let amount = change.fields.money("amount") else { return }
        let isRepayment = change.type == .repaymentReceived
        let decision: DecisionID? = isRepayment ? nil : change.fields.id("decision")
        var placed: (fund: FundID, instrument: ProjectInstrument)?
        // Read by the change that copies it up from the base, not read and then changed.
        commitments.modifyIfPresent(id) { commitment in
            placed = (commitment.fund, commitment.instrument)
            if let decision {
                commitment.decisions.append(decision)
                commitment.acts.append(change.record.seq)
            }
            if isRepayment { commitment.repaid += amount.minorUnits } else { commitment.writtenOff += amount.minorUnits }
        }
        guard let placed else { return }
        flow(placed.fund, change.year, .outgoing(placed.instrument)) { flows in
            if isRepayment { flows.repayments += amount.minorUnits } else { flows.writtenOff += amount.minorUnits }
        }
    }
}
