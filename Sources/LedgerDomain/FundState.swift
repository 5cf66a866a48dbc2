import LedgerCore
import LedgerJSON

/// The fund's state as a pure fold over the log: `apply` checks a record against the rules of
/// Specs/events.md and, if it passes, takes it into account. Append and verify both call it, so
/// they can never disagree.
///
/// `apply` is atomic: a record that breaks a rule throws before anything changes, so the state
/// stays that of the records accepted so far. Every check is a few hash lookups; the state grows
/// with the number of entities (parties, funds, ballots, contributions...), not of events.
public struct FundState: Sendable, Equatable {
    /// Bumped whenever what the state holds, or means, changes: snapshots of another layout are
    /// then ignored and rebuilt, never misread. 2: a reference holds the contribution it names;
    /// 3: a closed ballot keeps its tally, not its electorate and votes; 4: operators' keys and
    /// the idempotency keys used; 5: ballots, decisions, commitments and disbursements are bulk
    /// tables (their recent entries in the core, the others in the base file); 6: parties,
    /// projects and the look-alike index too; 7: the count of each bulk table's entities; 8: a
    /// reference's contribution without its party; 9: its fund by number and one total
    /// returned, each fund with its number; an idempotency key's digest in 15 characters, a
    /// look-alike key in 13.
    public static let layoutVersion = 9

    public internal(set) var genesis: Genesis?
    /// Records applied so far (the genesis record included).
    public internal(set) var recordCount: UInt64 = 0
    /// The last day of the last closed period: no event may be effective on or before it.
    public internal(set) var closedThrough: CalendarDate?

    var operators: [OperatorID: OperatorEntry] = [:]
    /// Every operator key ever registered (base64 text), with its operator: a key is never
    /// registered twice (`A5.key-unique`), so two operators never share an identity.
    var keyOwners: [String: OperatorID] = [:]
    /// Every identifier introduced, by family and skeleton (`I0.look-alike`): a bulk table.
    var lookAlikes = LookAlikeIndex()
    /// Parties and projects are bulk tables too (tens of thousands in a fund).
    var parties = BulkMap<PartyKindTag, PartyKind>(.parties)
    var territories: [TerritoryCode: TerritoryEntry] = [:]
    var fundsByID: [FundID: FundEntry] = [:]
    var bodies: [BodyID: BodyEntry] = [:]
    var projects = BulkMap<ProjectKind, ProjectEntry>(.projects)
    /// The entities a fund's activity multiplies (a ballot a week per body, a disbursement per
    /// tranche...): bulk tables, read in place from a snapshot's base file like the references,
    /// so that an append reads the rows its event cites, not all of them.
    var ballots = BulkMap<BallotKind, BallotEntry>(.ballots)
    var decisions = BulkMap<DecisionKind, DecisionEntry>(.decisions)
    var commitments = BulkMap<CommitmentKind, CommitmentEntry>(.commitments)
    var disbursements = BulkMap<DisbursementKind, DisbursementEntry>(.disbursements)
    /// Every bank or external reference used so far, with the contribution it names if any: one
    /// table for the most numerous entities (a contribution is named by its reference), so
    /// checking a reference is unused and claiming it is one lookup. A bulk table: after a
    /// snapshot it is read in place from the snapshot's base file, not loaded.
    var references = BulkMap<ReferenceKind, ReferenceUse>(.references)
    /// How many contributions were recorded.
    var contributionCount = 0
    /// How many entities of each bulk table were created: counted as they are, because a bulk
    /// table's size is not known without reading its base through (its base may be in two
    /// files, and a key in the newer may or may not be in the older).
    var created = CreatedCounts()
    /// Every idempotency key used so far (by digest), with the seq of the record that used it:
    /// the writer finds a retried key here, in sealed state that no one without a key can
    /// forge, and re-reads that record from the log (`I15.idem-unique`). A bulk table.
    var idempotencyKeys = BulkMap<IdempotencyKind, UInt64>(.idempotency)

    public init() {}

    public mutating func apply(_ record: Record) throws(RuleViolation) {
        guard case .some = genesis else {   // not `!= nil`, which copied the genesis at each record
            try applyGenesis(record)
            recordCount += 1
            return
        }
        guard let type = EventType(type: record.type) else {
            throw Rules.unknownType.violation("\"\(record.type)\" is not an event type of the catalogue (Specs/events.md)")
        }
        guard type != .genesis else { throw Rules.genesis.violation("a second ledger.genesis record") }
        let event = Event(record: record, type: type, actor: try authorize(record, type))
        if let closed = closedThrough, record.effective <= closed {
            throw Rules.closedPeriod.violation("\(type.rawValue) is effective \(record.effective), inside the period closed through \(closed)")
        }
        let idempotency = try idempotencyDigest(unusedBy: record)
        try dispatch(event)
        if let idempotency { idempotencyKeys.setRecent(idempotency, record.seq) }
        recordCount += 1
    }

    /// The event's handler. Decoding comes before the rules (Specs/events.md, section 1): a
    /// rule a handler reached with an amount not positive is reported as `M1.amount-positive`,
    /// and a handler that accepted one is a programming error (it did not call `decoded()`).
    private mutating func dispatch(_ event: Event) throws(RuleViolation) {
        do {
            try handle(event)
        } catch {
            if error.rule != Rules.payload.id, let amount = event.decoding.amountViolation { throw amount }
            throw error
        }
        precondition(event.decoding.amountViolation == nil, "\(event.name) accepted an amount that is not positive: its handler must call decoded()")
    }

    private mutating func handle(_ event: Event) throws(RuleViolation) {
        switch event.type {
        case .genesis: preconditionFailure("the genesis record is applied before dispatch")
        case .noteRecorded: try applyNote(event)
        case .operatorRegistered: try applyOperatorRegistered(event)
        case .operatorRevoked: try applyOperatorRevoked(event)
        case .operatorKeyRotated: try applyOperatorKeyRotated(event)
        case .periodClosed: try applyPeriodClosed(event)
        case .partyRegistered: try applyPartyRegistered(event)
        case .interestDeclared: try applyInterestDeclared(event)
        case .territoryDefined: try applyTerritoryDefined(event)
        case .fundOpened: try applyFundOpened(event)
        case .bodyConstituted: try applyBodyConstituted(event)
        case .memberAdded: try applyMemberAdded(event)
        case .memberRemoved: try applyMemberRemoved(event)
        case .contributionRecorded: try applyContributionRecorded(event)
        case .contributionReversed: try applyContributionReversed(event)
        case .lenderRepaid: try applyLenderRepaid(event)
        case .projectApplied: try applyProjectApplied(event)
        case .ballotOpened: try applyBallotOpened(event)
        case .proxyGranted: try applyProxyGranted(event)
        case .recusalRecorded: try applyRecusalRecorded(event)
        case .voteCast: try applyVoteCast(event)
        case .ballotClosed: try applyBallotClosed(event)
        case .decisionRecorded: try applyDecisionRecorded(event)
        case .commitmentMade: try applyCommitmentMade(event)
        case .commitmentAmended: try applyCommitmentAmended(event)
        case .commitmentCancelled: try applyCommitmentCancelled(event)
        case .disbursementRequested: try applyDisbursementRequested(event)
        case .disbursementApproved: try applyDisbursementApproved(event)
        case .disbursementRejected: try applyDisbursementRejected(event)
        case .disbursementExecuted: try applyDisbursementExecuted(event)
        case .repaymentReceived: try applyRepaymentReceived(event)
        case .loanWrittenOff: try applyLoanWrittenOff(event)
        }
    }
}

/// A record being applied, with its type and operator resolved.
struct Event {
    let record: Record
    let type: EventType
    let actor: OperatorID
    /// What decoding its payload noted (`Payload.decoded()`).
    let decoding = Payload.Decoding()

    var name: String { type.rawValue }

    func payload(required: [String], optional: [String] = []) throws(RuleViolation) -> Payload {
        try Payload(record.payload, place: name, required: required, optional: optional, decoding: decoding)
    }
}
