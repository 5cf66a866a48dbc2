/// The entities the projections keep. Each has *directory* members, set by every record seen
/// (what an identifier refers to), and *counted* members, changed only by counted records
/// (amounts, votes, statuses, and `listed`: whether the record that introduced it counted).

struct OperatorView: Sendable, Equatable {
    let role: Role
    var registered: Stamp?
    var revoked: Stamp?
}

struct TerritoryView: Sendable, Equatable {
    let name: String
    let parent: TerritoryCode?
    var listed = false
}

struct FundView: Sendable, Equatable {
    let name: String
    let pool: Pool
    let territory: TerritoryCode?
    var listed = false
}

struct PartyView: Sendable, Equatable {
    let kind: PartyKind
    var listed = false
}

/// One line of a contributor's statement.
public struct StatementLine: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case contribution, reversal
        case lenderRepayment = "lender_repayment"
    }

    // Stored in this order so that the one-byte fields fill the stamp's padding: 72 bytes a
    // line, where the order of the initializer took 88 (a rebuild holds 800,000 lines).
    public let stamp: Stamp
    public let kind: Kind
    /// The contribution's instrument (for a reversal or repayment: the original's).
    public let instrument: Instrument
    public let reason: ReversalReason?
    public let fund: FundID
    public let amount: Money
    /// This movement's own bank reference.
    public let reference: ExternalReference
    /// For a reversal or repayment: the contribution it returns money from.
    public let contribution: ExternalReference?

    init(stamp: Stamp, kind: Kind, fund: FundID, instrument: Instrument, amount: Money, reference: ExternalReference,
         contribution: ExternalReference?, reason: ReversalReason?) {
        (self.stamp, self.kind, self.instrument, self.reason) = (stamp, kind, instrument, reason)
        (self.fund, self.amount, self.reference, self.contribution) = (fund, amount, reference, contribution)
    }
}

struct BodyView: Sendable, Equatable {
    let kind: BodyKind
    let name: String
    let territory: TerritoryCode?
    let rules: BodyRules
    /// The members now (in log order of the records seen): a ballot freezes them when it opens.
    var members: Set<PartyID> = []
    var listed = false
}

struct ProjectView: Sendable, Equatable {
    let organisation: PartyID
    let territory: TerritoryCode
    let instrument: ProjectInstrument
    let requested: Money
    var listed = false
    /// The amounts of the adopted fund_project decisions for it (counted).
    var approved: Int64 = 0
    /// Its commitments, in log order.
    var commitments: [CommitmentID] = []
    /// Its ballots, in log order.
    var ballots: [BallotID] = []
    var interested: [PartyID] = []
}

struct VoteView: Sendable, Equatable {
    let choice: Choice
    let seq: UInt64
}

struct BallotView: Sendable, Equatable {
    let body: BodyID
    let motion: Motion
    let motionText: String?
    let rules: BodyRules
    /// The body's members when it opened, sorted.
    let electorate: [PartyID]
    var opened: Stamp?
    var votes: SmallMap<PartyID, VoteView> = [:]
    /// Grantor → holder.
    var proxies: [PartyID: PartyID] = [:]
    var recused: Set<PartyID> = []
    var closed: Stamp?
    var decision: DecisionID?
}

struct DecisionView: Sendable, Equatable {
    let ballot: BallotID
    let adopted: Bool
    let quorumMet: Bool
    let tally: Tally
    var recorded: Stamp?
}

/// A commitment, with its directory amount (every record seen, for the deltas amendments and
/// cancellations make) and what counted records did to it.
struct CommitmentView: Sendable, Equatable {
    let project: ProjectID
    let fund: FundID
    let instrument: ProjectInstrument
    /// The decisions acting on it (counted), in log order: the one it was made on first.
    var decisions: [DecisionID] = []
    /// Where each decision acted on it (the commitment.made, .amended, .cancelled or the
    /// loan.written_off record), parallel to `decisions`.
    var acts: [UInt64] = []
    var amount: Money
    var disbursedSeen = Money.zero
    /// The tranche plan as the counted records made it.
    var tranches: [Money] = []
    var cancelledSeen = false
    var made: Stamp?
    /// Counted: the commitment's net amount (made, amended, cancelled), what left the fund for
    /// it, what came back and what was written off. Per tranche figures are derived from its
    /// disbursements when a report asks.
    var committed: Int64 = 0
    var disbursed: Int64 = 0
    var repaid: Int64 = 0
    var writtenOff: Int64 = 0
    var cancelled: Stamp?
    /// Its disbursements, in log order.
    var disbursements: [DisbursementID] = []
}

public enum DisbursementStage: String, Sendable {
    case requested, approved, executed, rejected
}

struct DisbursementView: Sendable, Equatable {
    let commitment: CommitmentID
    /// 0-based.
    let tranche: Int
    let amount: Money
    var stage: DisbursementStage?
    var requested: Stamp?
    var approved: Stamp?
    var executed: Stamp?
    var rejected: Stamp?
    var reference: ExternalReference?
}

struct ContributionView: Sendable, Equatable {
    // The instrument after the stamp fills its padding: an entry of the contributions' table
    // (the reference, then this) takes 72 bytes instead of 80.
    let party: PartyID
    let fund: FundID
    let amount: Money
    let stamp: Stamp
    let instrument: Instrument

    init(party: PartyID, fund: FundID, instrument: Instrument, amount: Money, stamp: Stamp) {
        (self.party, self.fund, self.instrument, self.amount, self.stamp) = (party, fund, instrument, amount, stamp)
    }
}
