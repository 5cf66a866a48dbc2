import LedgerCore

/// Money in (contributions), and back out to contributors (reversals, repayments to lenders).
extension FundState {
    mutating func applyContributionRecorded(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["amount", "fund", "instrument", "party", "ref"])
        let party: PartyID = try payload.identifier("party")
        let fundID: FundID = try payload.identifier("fund")
        let instrument: Instrument = try payload.choice("instrument")
        let amount = try payload.amount("amount")
        let reference: ExternalReference = try payload.identifier("ref")
        try payload.decoded()
        let kind = try Self.known(parties, party, event)
        // The fund's entry is read where it lies (a copy retained its texts and sets at every gift).
        guard let (accepts, number) = fund(fundID, accepts: instrument) else {
            _ = try Self.known(fundsByID, fundID, event)   // throws I0.unknown-reference, with its suggestion
            preconditionFailure("fund \(fundID) is unknown, then known")
        }
        guard accepts else {
            let accepted = fundsByID[fundID]!.accepts.map(\.rawValue).sorted().joined(separator: ", ")
            throw Rules.instrumentAccepted.violation("contribution.recorded: fund \"\(fundID)\" accepts \(accepted), not \(instrument.rawValue)")
        }
        guard instrument != .subsidy || kind == .publicActor else {
            throw Rules.subsidyPublic.violation("contribution.recorded: a subsidy comes from a public actor; party \"\(party)\" is a \(kind.rawValue)")
        }
        var balances = self.balances(of: fundID)
        balances.received = try balances.received.adding(amount, "fund \"\(fundID)\"'s received total")
        balances.cash = try balances.cash.adding(amount, "fund \"\(fundID)\"'s cash")
        try claim(reference, event, contribution: ContributionEntry(fund: number, instrument: instrument, amount: amount))
        fundsByID[fundID]!.balances = balances
        contributionCount += 1
    }

    /// A refund, a rejected or duplicate transfer, a dispute or a correction: linked to the
    /// original, never above what remains of it, and paid from money the fund has free.
    mutating func applyContributionReversed(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["amount", "contribution", "reason", "ref"])
        let original: ExternalReference = try payload.identifier("contribution")
        let amount = try payload.amount("amount")
        let reason: ReversalReason = try payload.choice("reason")
        let reference: ExternalReference = try payload.identifier("ref")
        try payload.decoded()
        let (use, contribution) = try knownContribution(original, event)
        guard amount <= contribution.remaining else {
            throw Rules.reversalRemaining.violation("contribution.reversed: \(shown(amount)) is above what remains of contribution \"\(original)\" (\(shown(contribution.remaining)) of \(shown(contribution.amount)))")
        }
        // A correction takes back money that never came (an entry error): from version 2 it may
        // leave the fund over-committed, so it is checked against the cash, not the free money.
        let correction = reason == .correction && event.record.version >= 2
        try giveBack(amount, of: original, use, contribution, fundTotal: \.reversed, named: "reversed total",
                     reference: reference, fromCashOnly: correction, event)
    }

    /// The fund repays a loan, titre associatif or apport it received.
    mutating func applyLenderRepaid(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["amount", "contribution", "ref"])
        let original: ExternalReference = try payload.identifier("contribution")
        let amount = try payload.amount("amount")
        let reference: ExternalReference = try payload.identifier("ref")
        try payload.decoded()
        let (use, contribution) = try knownContribution(original, event)
        guard contribution.instrument.isRepayable else {
            throw Rules.notRepayable.violation("lender.repaid: contribution \"\(original)\" is a \(contribution.instrument.rawValue), which the fund does not repay (only loan_received, titre_associatif, apport)")
        }
        guard amount <= contribution.remaining else {
            throw Rules.lenderOutstanding.violation("lender.repaid: \(shown(amount)) is above what the fund owes on \"\(original)\" (\(shown(contribution.remaining)) of \(shown(contribution.amount)))")
        }
        try giveBack(amount, of: original, use, contribution, fundTotal: \.lendersRepaid, named: "lenders-repaid total",
                     reference: reference, event)
    }

    /// Money back to a contributor (the checks on `amount` done): paid from free money, added to
    /// the fund's `fundTotal` and to what was returned of the contribution, under its own reference.
    private mutating func giveBack(_ amount: Money, of original: ExternalReference, _ use: ReferenceUse, _ contribution: ContributionEntry,
                                   fundTotal: WritableKeyPath<FundBalances, Money>, named name: String,
                                   reference: ExternalReference, fromCashOnly: Bool = false, _ event: Event) throws(RuleViolation) {
        let fund = try self.fund(of: contribution)
        if fromCashOnly { try payOutOfCash(amount, from: fund, event) } else { try payOut(amount, from: fund, event) }
        var balances = self.balances(of: fund)
        balances[keyPath: fundTotal] = try balances[keyPath: fundTotal].adding(amount, "fund \"\(fund)\"'s \(name)")
        balances.cash = balances.cash.subtracting(amount)
        try claim(reference, event)
        fundsByID[fund]!.balances = balances
        var updated = contribution
        updated.returned = contribution.returned.adding(uncheckedBelow: contribution.amount, amount)
        references.setRecent(original, ReferenceUse(seq: use.seq, contribution: updated))
    }

    /// The contribution a reference names, with the use that recorded it.
    func knownContribution(_ reference: ExternalReference, _ event: Event) throws(RuleViolation) -> (ReferenceUse, ContributionEntry) {
        guard let use = try use(of: reference), let contribution = use.contribution else {
            throw Rules.unknownReference.violation("\(event.name): no contribution has reference \"\(reference)\"")
        }
        return (use, contribution)
    }

    /// `I2.available` for what leaves whatever was promised (a correction, a committed
    /// disbursement): never more than the fund's cash.
    func payOutOfCash(_ amount: Money, from fund: FundID, _ event: Event) throws(RuleViolation) {
        let balances = self.balances(of: fund)
        guard amount <= balances.cash else {
            throw Rules.available.violation("\(event.name): \(shown(amount)) is above fund \"\(fund)\"'s cash (\(shown(balances.cash)))")
        }
    }

    /// `I2.available`: money leaving a fund other than by a committed disbursement must be free.
    func payOut(_ amount: Money, from fund: FundID, _ event: Event) throws(RuleViolation) {
        let balances = self.balances(of: fund)
        guard amount <= balances.available else {
            throw Rules.available.violation("\(event.name): \(shown(amount)) is above fund \"\(fund)\"'s available money (\(shown(balances.available)): cash \(shown(balances.cash)), reserved by commitments \(shown(balances.reserved)))")
        }
    }
}

extension Money {
    /// `self + amount` where the caller has shown the sum stays at or below `bound` (itself a Money).
    func adding(uncheckedBelow bound: Money, _ amount: Money) -> Money {
        precondition(amount <= bound.subtracting(self), "the sum stays within a bound checked by a rule")
        return Money(minorUnits: minorUnits + amount.minorUnits)!
    }
}
