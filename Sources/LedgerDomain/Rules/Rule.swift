import LedgerCore

/// One invariant of Specs/events.md: a stable identifier (never renamed: auditors' reports and
/// scripts match on it) and a one-line statement.
public struct Rule: Sendable, Hashable {
    public let id: String
    public let statement: String

    init(_ id: String, _ statement: String) {
        self.id = id
        self.statement = statement
    }

    /// The violation of this rule, with a message naming the event and the offending values.
    func violation(_ message: String) -> RuleViolation {
        RuleViolation(rule: id, message: message)
    }
}

/// The closed catalogue of rules; `all` lists them in the order of Specs/events.md, section 3.
public enum Rules {
    // E, S, A: the record as a whole.
    static let unknownType = Rule("E0.unknown-type", "the event type is in the catalogue")
    static let genesis = Rule("E0.genesis", "the first record, and only it, is a valid ledger.genesis")
    static let payload = Rule("S.payload", "the payload has exactly the event's members, each of its type and pattern")
    static let operatorUnknown = Rule("A1.operator-unknown", "the actor is a registered operator who was not revoked")
    static let roleForbidden = Rule("A2.role-forbidden", "the actor's role may append this event type (an auditor appends nothing)")
    static let operatorExists = Rule("A3.operator-exists", "an operator is registered once")
    static let selfRevoke = Rule("A4.self-revoke", "an administrator does not revoke themselves")
    static let keyUnique = Rule("A5.key-unique", "an operator key is registered once, to one operator, ever")
    // I0: identities.
    static let duplicateID = Rule("I0.duplicate-id", "an entity's identifier is introduced once")
    static let unknownReference = Rule("I0.unknown-reference", "every identifier an event cites was introduced before it")
    static let lookAlike = Rule("I0.look-alike", "a new identifier does not look like one of its kind (case, 0/O/o, 1/I/i/l/L)")
    // M: money.
    static let amountPositive = Rule("M1.amount-positive", "every amount is a positive integer of minor units")
    static let overflow = Rule("M2.overflow", "no total exceeds 2^53-1 minor units")
    // I2: conservation.
    static let available = Rule("I2.available", "a fund never reserves or pays out more than its available money")
    static let tranchePlan = Rule("I2.tranche-plan", "a commitment's tranches are 1 to 24 positive amounts summing to it")
    static let trancheRemaining = Rule("I2.tranche-remaining", "a disbursement never exceeds what remains of its tranche")
    static let belowDisbursed = Rule("I2.below-disbursed", "an amendment never goes below what is already paid or requested")
    // I3: earmarking.
    static let instrumentAccepted = Rule("I3.instrument-accepted", "a fund receives only the instruments it accepts")
    static let subsidyPublic = Rule("I3.subsidy-public", "a subsidy comes from a public actor")
    static let earmarkUse = Rule("I3.earmark-use", "a fund finances a project only with an instrument it may use")
    static let earmarkTerritory = Rule("I3.earmark-territory", "a fund restricted to a territory finances projects inside it")
    // I4: decision link.
    static let decisionAdopted = Rule("I4.decision-adopted", "money moves only on an adopted decision")
    static let decisionMotion = Rule("I4.decision-motion", "the decision decided this very act (kind, project, fund, commitment)")
    static let decisionAmount = Rule("I4.decision-amount", "no act exceeds, or differs from, the amount decided")
    static let decisionUsed = Rule("I4.decision-used", "a decision is acted upon once")
    static let competenceAmount = Rule("I4.competence-amount", "a body decides only up to its largest amount")
    static let competenceTerritory = Rule("I4.competence-territory", "a territorial committee decides only inside its territory")
    static let commitmentState = Rule("I4.commitment-state", "a cancelled commitment is neither amended, cancelled again nor paid")
    // I5: separation of duties.
    static let fourEyes = Rule("I5.four-eyes", "the approver of a disbursement is not its requester")
    static let disbursementState = Rule("I5.disbursement-state", "a disbursement goes requested, approved, executed (or rejected), in order")
    // I6: votes.
    static let bodyRules = Rule("I6.body-rules", "a body's statutes are coherent (quorum, majority, proxies, ceiling)")
    static let membership = Rule("I6.membership", "a member is added once, removed only if a member, at most 100,000 per body")
    static let electorate = Rule("I6.electorate", "only the electorate frozen at opening takes part in a ballot")
    static let ballotClosed = Rule("I6.ballot-closed", "nothing happens on a ballot after its close")
    static let ballotOpen = Rule("I6.ballot-open", "a decision is recorded only on a closed ballot, once")
    static let oneVote = Rule("I6.one-vote", "a voter votes once")
    static let recused = Rule("I6.recused", "a recused member neither votes nor gives nor holds a proxy")
    static let recusal = Rule("I6.recusal", "a recusal comes before the member votes or takes part in a proxy, once")
    static let proxyRules = Rule("I6.proxy-rules", "a proxy goes from one member to another, once, before the grantor votes, without chains")
    static let proxyLimit = Rule("I6.proxy-limit", "nobody holds more proxies than the statutes allow")
    static let tally = Rule("I6.tally", "the recorded tally, quorum and outcome equal those recomputed under the frozen rules")
    // I7: conflicts of interest.
    static let interest = Rule("I7.interest", "a member with a declared interest in the project must be recused")
    // I9: refunds and loans.
    static let reversalRemaining = Rule("I9.reversal-remaining", "a reversal never exceeds what remains of the contribution")
    static let notALoan = Rule("I9.not-a-loan", "only loans are repaid to, or written off by, the fund")
    static let repaymentOutstanding = Rule("I9.repayment-outstanding", "a repayment never exceeds the loan's outstanding amount")
    static let notRepayable = Rule("I9.not-repayable", "the fund repays only what it borrowed (loan, titre associatif, apport)")
    static let lenderOutstanding = Rule("I9.lender-outstanding", "the fund never repays a lender more than it owes")
    static let writeOffOutstanding = Rule("I9.write-off-outstanding", "a write-off never exceeds the loan's outstanding amount")
    // I10: periods.
    static let closedPeriod = Rule("I10.closed-period", "no event is effective inside a closed period")
    static let closeOrder = Rule("I10.close-order", "a period close comes after the previous one, is dated after its end and recorded after it")
    // I13: territories.
    static let territoryDepth = Rule("I13.territory-depth", "the territory tree is at most 8 levels deep")
    static let territoryScope = Rule("I13.territory-scope", "a territorial committee has a territory; other bodies have none")
    // I14: external references.
    static let referenceUnique = Rule("I14.reference-unique", "a bank or external reference appears once in the log")
    // I15: retries.
    static let idempotencyUnique = Rule("I15.idem-unique", "from version 2, an idempotency key appears once in the log")

    public static let all: [Rule] = [
        unknownType, genesis, payload, operatorUnknown, roleForbidden, operatorExists, selfRevoke, keyUnique,
        duplicateID, unknownReference, lookAlike, amountPositive, overflow,
        available, tranchePlan, trancheRemaining, belowDisbursed,
        instrumentAccepted, subsidyPublic, earmarkUse, earmarkTerritory,
        decisionAdopted, decisionMotion, decisionAmount, decisionUsed, competenceAmount, competenceTerritory, commitmentState,
        fourEyes, disbursementState,
        bodyRules, membership, electorate, ballotClosed, ballotOpen, oneVote, recused, recusal, proxyRules, proxyLimit, tally,
        interest,
        reversalRemaining, notALoan, repaymentOutstanding, notRepayable, lenderOutstanding, writeOffOutstanding,
        closedPeriod, closeOrder, territoryDepth, territoryScope, referenceUnique, idempotencyUnique,
    ]
}
