import LedgerCore

/// Commitments: money reserved in a fund for a project on the strength of an adopted decision,
/// with a tranche plan; amended or cancelled only by another decision.
extension FundState {
    static let tranchesMax = 24

    mutating func applyCommitmentMade(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["amount", "commitment", "decision", "fund", "project", "tranches"])
        let commitment: CommitmentID = try payload.identifier("commitment")
        let decision: DecisionID = try payload.identifier("decision")
        let projectID: ProjectID = try payload.identifier("project")
        let fundID: FundID = try payload.identifier("fund")
        let amount = try payload.amount("amount")
        let tranches = try payload.amounts("tranches")
        try payload.decoded()
        try tranchePlan(tranches, amount: amount, payload)
        try Self.fresh(commitments, commitment, event)
        guard case .fundProject(let decidedProject, let decidedFund, let decided) = try adoptedDecision(decision, event, .fundProject) else {
            preconditionFailure("adoptedDecision checked the motion's kind")
        }
        guard decidedProject == projectID, decidedFund == fundID else {
            throw Rules.decisionMotion.violation("commitment.made: decision \"\(decision)\" funds project \"\(decidedProject)\" from fund \"\(decidedFund)\", not project \"\(projectID)\" from \"\(fundID)\"")
        }
        guard amount <= decided else {
            throw Rules.decisionAmount.violation("commitment.made: \(shown(amount)) is above the \(shown(decided)) decided by \"\(decision)\"")
        }
        let instrument = try Self.known(projects, projectID, event).instrument
        let balances = self.balances(of: fundID)
        guard amount <= balances.available else {
            throw Rules.available.violation("commitment.made: \(shown(amount)) is above fund \"\(fundID)\"'s available money (\(shown(balances.available)): cash \(shown(balances.cash)), already reserved \(shown(balances.reserved)))")
        }
        fundsByID[fundID]!.balances.reserved = try balances.reserved.adding(amount, "fund \"\(fundID)\"'s reserved total")
        decisions.modify(decision) { $0.isUsed = true }
        commitments.setRecent(commitment, CommitmentEntry(project: projectID, fund: fundID, instrument: instrument,
                                                          amount: amount, tranches: tranches,
                                                          trancheTaken: Array(repeating: .zero, count: tranches.count)))
        created.commitments += 1
    }

    mutating func applyCommitmentAmended(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["amount", "commitment", "decision", "tranches"])
        let commitment: CommitmentID = try payload.identifier("commitment")
        let decision: DecisionID = try payload.identifier("decision")
        let amount = try payload.amount("amount")
        let tranches = try payload.amounts("tranches")
        try payload.decoded()
        try tranchePlan(tranches, amount: amount, payload)
        let entry = try activeCommitment(commitment, event)
        guard case .amendCommitment(let decidedCommitment, let decided) = try adoptedDecision(decision, event, .amendCommitment) else {
            preconditionFailure("adoptedDecision checked the motion's kind")
        }
        guard decidedCommitment == commitment else {
            throw Rules.decisionMotion.violation("commitment.amended: decision \"\(decision)\" amends \"\(decidedCommitment)\", not \"\(commitment)\"")
        }
        guard amount == decided else {
            throw Rules.decisionAmount.violation("commitment.amended: the new amount \(shown(amount)) differs from the \(shown(decided)) decided by \"\(decision)\"")
        }
        for (index, taken) in entry.trancheTaken.enumerated() where !taken.isZero {
            guard index < tranches.count, taken <= tranches[index] else {
                let planned = index < tranches.count ? shown(tranches[index]) : "no tranche"
                throw Rules.belowDisbursed.violation("commitment.amended: tranche \(index + 1) of \"\(commitment)\" already has \(shown(taken)) paid or requested; the new plan gives it \(planned)")
            }
        }
        var balances = self.balances(of: entry.fund)
        if amount > entry.amount {
            let increase = amount.subtracting(entry.amount)
            guard increase <= balances.available else {
                throw Rules.available.violation("commitment.amended: the increase of \(shown(increase)) is above fund \"\(entry.fund)\"'s available money (\(shown(balances.available)))")
            }
            balances.reserved = try balances.reserved.adding(increase, "reserved total")
        } else {
            balances.reserved = balances.reserved.subtracting(entry.amount.subtracting(amount))
        }
        fundsByID[entry.fund]!.balances = balances
        decisions.modify(decision) { $0.isUsed = true }
        var taken = entry.trancheTaken
        taken += Array(repeating: .zero, count: max(0, tranches.count - taken.count))
        taken.removeLast(taken.count - tranches.count)
        commitments.modify(commitment) { $0.amount = amount }
        commitments.modify(commitment) { $0.tranches = tranches }
        commitments.modify(commitment) { $0.trancheTaken = taken }
    }

    mutating func applyCommitmentCancelled(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["commitment", "decision"])
        let commitment: CommitmentID = try payload.identifier("commitment")
        let decision: DecisionID = try payload.identifier("decision")
        let entry = try activeCommitment(commitment, event)
        guard case .cancelCommitment(let decidedCommitment) = try adoptedDecision(decision, event, .cancelCommitment) else {
            preconditionFailure("adoptedDecision checked the motion's kind")
        }
        guard decidedCommitment == commitment else {
            throw Rules.decisionMotion.violation("commitment.cancelled: decision \"\(decision)\" cancels \"\(decidedCommitment)\", not \"\(commitment)\"")
        }
        fundsByID[entry.fund]!.balances.reserved = fundsByID[entry.fund]!.balances.reserved.subtracting(entry.reservation)
        decisions.modify(decision) { $0.isUsed = true }
        commitments.modify(commitment) { $0.isCancelled = true }
    }

    /// `I2.tranche-plan`: 1 to 24 tranches (positive: decoding saw to it) that add up to the commitment.
    private func tranchePlan(_ tranches: [Money], amount: Money, _ payload: Payload) throws(RuleViolation) {
        guard (1...Self.tranchesMax).contains(tranches.count) else {
            throw Rules.tranchePlan.violation("\(payload.place): tranches must list 1 to \(Self.tranchesMax) amounts, got \(tranches.count)")
        }
        let total = try Money.total(tranches, "\(payload.place): the sum of the tranches")
        guard total == amount else {
            throw Rules.tranchePlan.violation("\(payload.place): the tranches add up to \(shown(total)), the amount is \(shown(amount))")
        }
    }

    /// The decision's motion, once checked adopted (I4.decision-adopted), of the expected kind
    /// (I4.decision-motion) and not yet acted upon (I4.decision-used).
    func adoptedDecision(_ decision: DecisionID, _ event: Event, _ kind: MotionKind) throws(RuleViolation) -> Motion {
        let entry = try Self.known(decisions, decision, event)
        guard entry.adopted else {
            throw Rules.decisionAdopted.violation("\(event.name): decision \"\(decision)\" (ballot \"\(entry.ballot)\") was not adopted")
        }
        guard entry.motion.kind == kind else {
            throw Rules.decisionMotion.violation("\(event.name): decision \"\(decision)\" decided a \(entry.motion.kind.rawValue) motion, not \(kind.rawValue)")
        }
        guard !entry.isUsed else {
            throw Rules.decisionUsed.violation("\(event.name): decision \"\(decision)\" was already acted upon")
        }
        return entry.motion
    }

    /// A known commitment that is not cancelled (I4.commitment-state).
    func activeCommitment(_ commitment: CommitmentID, _ event: Event) throws(RuleViolation) -> CommitmentEntry {
        try activeCommitment(commitment, event) { copy $0 }
    }

    /// `read` applied to the commitment, if active, where it lies: a copy retains its texts and
    /// tranche lists, at each disbursement step. The closure holds the event's type, not the
    /// event (whose record it would copy).
    func activeCommitment<Result>(_ commitment: CommitmentID, _ event: Event,
                                  _ read: (borrowing CommitmentEntry) -> Result) throws(RuleViolation) -> Result {
        let type = event.type
        return try Self.known(commitments, commitment, event) { (entry) throws(RuleViolation) -> Result in
            guard !entry.isCancelled else {
                throw Rules.commitmentState.violation("\(type.rawValue): commitment \"\(commitment)\" is cancelled")
            }
            return read(entry)
        }
    }
}
