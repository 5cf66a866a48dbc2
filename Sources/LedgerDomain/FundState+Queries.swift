import LedgerCore
import LedgerCrypto

/// Read-only views for reports and commands. Outputs are sorted by identifier: the state's
/// dictionaries are never iterated where order shows.
extension FundState {
    public struct FundSummary: Sendable, Equatable {
        public let fund: FundID
        public let name: String
        public let pool: Pool
        public let balances: FundBalances
    }

    public struct BallotSummary: Sendable, Equatable {
        public let ballot: BallotID
        public let body: BodyID
        public let motion: Motion
        public let isClosed: Bool
        public let decision: DecisionID?
        /// The outcome if the ballot closed now, under its frozen rules.
        public let outcome: BallotOutcome
        public let rules: BodyRules
    }

    public struct Counts: Sendable, Equatable {
        public let operators, parties, territories, funds, bodies, projects, ballots, decisions: Int
        public let commitments, disbursements, contributions: Int
    }

    public var funds: [FundSummary] {
        fundsByID.keys.sorted().map { id in
            let entry = fundsByID[id]!
            return FundSummary(fund: id, name: entry.name, pool: entry.pool, balances: entry.balances)
        }
    }

    public func ballot(_ id: BallotID) -> BallotSummary? {
        try? ballot(id, citedBy: .ballotClosed)
    }

    /// The ballot an event of `type` is about to cite, or the violation that event would meet
    /// (`I0.unknown-reference`): commands that fill a payload from the state refuse as the rule would.
    public func ballot(_ id: BallotID, citedBy type: EventType) throws(RuleViolation) -> BallotSummary {
        let entry = try Self.known(ballots, id, place: type.rawValue)
        return BallotSummary(ballot: id, body: entry.body, motion: entry.motion, isClosed: entry.isClosed,
                             decision: entry.decision, outcome: entry.rules.outcome(of: entry.tally()), rules: entry.rules)
    }

    /// The motion a decision decided, for an event of `type` that cites it (see `ballot(_:citedBy:)`).
    public func motion(ofDecision id: DecisionID, citedBy type: EventType) throws(RuleViolation) -> Motion {
        try Self.known(decisions, id, place: type.rawValue).motion
    }

    /// The project, fund and amount a fund_project decision decided, for the commitment that cites it.
    public func funding(ofDecision id: DecisionID) throws(RuleViolation) -> (project: ProjectID, fund: FundID, amount: Money) {
        let motion = try motion(ofDecision: id, citedBy: .commitmentMade)
        guard case .fundProject(let project, let fund, let amount) = motion else {
            throw Rules.decisionMotion.violation("commitment.made: decision \"\(id)\" decided a \(motion.kind.rawValue) motion, not fund_project")
        }
        return (project, fund, amount)
    }

    /// What the fund's projects still owe on the loans it made (reads every commitment: for
    /// tests and `fund status`, not for the append path).
    public var loansOutstanding: Money {
        var total = Money.zero
        for entry in commitments.all.values where entry.instrument == .loan {
            // Bounded by the disbursed totals, which are themselves checked sums.
            total = (try? total.adding(entry.outstanding, "")) ?? Money.max
        }
        return total
    }

    public var counts: Counts {
        Counts(operators: operators.count, parties: created.parties, territories: territories.count, funds: fundsByID.count,
               bodies: bodies.count, projects: created.projects, ballots: created.ballots, decisions: created.decisions,
               commitments: created.commitments, disbursements: created.disbursements, contributions: contributionCount)
    }

    /// The contribution a reference names, if any.
    func contribution(_ reference: ExternalReference) -> ContributionEntry? {
        references[reference]?.contribution
    }

    /// The references that name contributions, sorted.
    var contributionReferences: [ExternalReference] {
        references.all.filter { $0.value.contribution != nil }.map(\.key).sorted()
    }

    /// The key an active operator signs with, nil if unknown, revoked or keyless.
    public func key(of actor: String) -> Ed25519.PublicKey? {
        guard let id = OperatorID(actor), let entry = operators[id], entry.isActive else { return nil }
        return entry.key
    }

    /// Whether any operator has a key (a log that began in version 1 has none until its
    /// bootstrap append, Specs/log-format.md section 10.3).
    public var hasOperatorKeys: Bool { !keyOwners.isEmpty }

    /// The operator a key was registered to, if any (keys are never registered twice).
    public func owner(of key: Ed25519.PublicKey) -> String? {
        keyOwners[Base64.encode(key.bytes)]?.text
    }

    /// The role of an active operator, nil if unknown or revoked.
    public func role(of actor: String) -> Role? {
        guard let id = OperatorID(actor), let entry = operators[id], entry.isActive else { return nil }
        return entry.role
    }

    /// `1234.50 EUR`, in the ledger's currency (minor units in raw form before the genesis).
    public func formatted(_ amount: Money) -> String { shown(amount) }
}
