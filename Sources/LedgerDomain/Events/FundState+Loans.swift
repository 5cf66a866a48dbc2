import LedgerCore

/// Loans the fund made: repaid by the project (never above outstanding), or written off by decision.
extension FundState {
    mutating func applyRepaymentReceived(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["amount", "commitment", "ref"])
        let commitment: CommitmentID = try payload.identifier("commitment")
        let amount = try payload.amount("amount")
        let reference: ExternalReference = try payload.identifier("ref")
        try payload.decoded()
        let entry = try loan(commitment, event)
        guard amount <= entry.outstanding else {
            throw Rules.repaymentOutstanding.violation("repayment.received: \(shown(amount)) is above the \(shown(entry.outstanding)) outstanding on loan \"\(commitment)\" (disbursed \(shown(entry.disbursed)), repaid \(shown(entry.repaid)), written off \(shown(entry.writtenOff)))")
        }
        var balances = self.balances(of: entry.fund)
        balances.repaymentsReceived = try balances.repaymentsReceived.adding(amount, "fund \"\(entry.fund)\"'s repayments total")
        balances.cash = try balances.cash.adding(amount, "fund \"\(entry.fund)\"'s cash")
        try claim(reference, event)
        fundsByID[entry.fund]!.balances = balances
        commitments.modify(commitment) { $0.repaid = entry.repaid.adding(uncheckedBelow: entry.disbursed, amount) }
    }

    mutating func applyLoanWrittenOff(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["amount", "commitment", "decision"])
        let commitment: CommitmentID = try payload.identifier("commitment")
        let decision: DecisionID = try payload.identifier("decision")
        let amount = try payload.amount("amount")
        try payload.decoded()
        let entry = try loan(commitment, event)
        guard case .writeOff(let decidedCommitment, let decided) = try adoptedDecision(decision, event, .writeOff) else {
            preconditionFailure("adoptedDecision checked the motion's kind")
        }
        guard decidedCommitment == commitment else {
            throw Rules.decisionMotion.violation("loan.written_off: decision \"\(decision)\" writes off \"\(decidedCommitment)\", not \"\(commitment)\"")
        }
        guard amount <= decided else {
            throw Rules.decisionAmount.violation("loan.written_off: \(shown(amount)) is above the \(shown(decided)) decided by \"\(decision)\"")
        }
        guard amount <= entry.outstanding else {
            throw Rules.writeOffOutstanding.violation("loan.written_off: \(shown(amount)) is above the \(shown(entry.outstanding)) outstanding on loan \"\(commitment)\"")
        }
        fundsByID[entry.fund]!.balances.writtenOff = try fundsByID[entry.fund]!.balances.writtenOff.adding(amount, "written-off total")
        decisions.modify(decision) { $0.isUsed = true }
        commitments.modify(commitment) { $0.writtenOff = entry.writtenOff.adding(uncheckedBelow: entry.disbursed.subtracting(entry.repaid), amount) }
    }

    /// What the loan rules read of a commitment that is a loan, read where it lies: a copy of the
    /// entry retained its texts and tranche lists at every repayment. The closure holds the
    /// event's type, not the event (whose record it would copy).
    private func loan(_ commitment: CommitmentID, _ event: Event) throws(RuleViolation) -> LoanFigures {
        let type = event.type
        return try Self.known(commitments, commitment, event) { (entry) throws(RuleViolation) -> LoanFigures in
            guard entry.instrument == .loan else {
                throw Rules.notALoan.violation("\(type.rawValue): commitment \"\(commitment)\" is a \(entry.instrument.rawValue), not a loan")
            }
            return LoanFigures(fund: entry.fund, disbursed: entry.disbursed, repaid: entry.repaid, writtenOff: entry.writtenOff,
                               outstanding: entry.outstanding)
        }
    }
}

/// A loan's figures, as `CommitmentEntry` has them (its `outstanding` among them).
private struct LoanFigures {
    let fund: FundID
    let disbursed, repaid, writtenOff, outstanding: Money
}
