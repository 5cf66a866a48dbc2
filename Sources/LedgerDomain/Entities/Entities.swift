import LedgerCore
import LedgerCrypto

/// The entities the fold keeps: one value per party, fund, ballot... never one per event, so the
/// state grows with the fund's size, not with its history.

struct OperatorEntry: Sendable, Equatable {
    var role: Role
    var isActive: Bool
    /// The operator's Ed25519 public key (version 2); nil for an operator of a version-1 log
    /// that was never given one. Each append of theirs is signed by it (Specs/log-format.md §10).
    var key: Ed25519.PublicKey?
}

struct TerritoryEntry: Sendable, Equatable {
    let parent: TerritoryCode?
    /// 1 for a root. Bounded by `FundState.territoryDepthMax`, which bounds every walk up the tree.
    let depth: Int
}

/// A fund's money, in the order of events in the log (not of effective dates).
public struct FundBalances: Sendable, Equatable {
    public internal(set) var received = Money.zero
    public internal(set) var reversed = Money.zero
    public internal(set) var disbursed = Money.zero
    /// Repayments of the loans the fund made.
    public internal(set) var repaymentsReceived = Money.zero
    /// Repayments to the fund's own lenders.
    public internal(set) var lendersRepaid = Money.zero
    public internal(set) var writtenOff = Money.zero
    /// Money held: received − reversed − disbursed + repayments received − lenders repaid.
    public internal(set) var cash = Money.zero
    /// Committed and not yet disbursed, over the fund's active commitments.
    public internal(set) var reserved = Money.zero

    /// Cash free of commitments: zero when the fund is over-committed. Every outflow but a
    /// committed disbursement and a correction is checked against it (I2.available).
    public var available: Money { cash.remaining(after: reserved) }

    /// What the fund has promised beyond its cash: only a correction (an entry error taken back,
    /// version 2) can cause it, and until it is zero again nothing more is reserved or paid out
    /// but committed disbursements within cash.
    public var overCommitted: Money { reserved.remaining(after: cash) }
}

struct FundEntry: Sendable, Equatable {
    let name: String
    let pool: Pool
    let accepts: Set<Instrument>
    let uses: Set<ProjectInstrument>
    let territory: TerritoryCode?
    /// Its place among the funds in the order they were opened, from 0: what a contribution's
    /// entry names it by (`ContributionEntry.fund`).
    let number: UInt32
    var balances = FundBalances()
}

struct BodyEntry: Sendable, Equatable {
    let kind: BodyKind
    let territory: TerritoryCode?
    let rules: BodyRules
    var members: Set<PartyID>
}

struct ProjectEntry: Sendable, Equatable {
    let organisation: PartyID
    let territory: TerritoryCode
    let instrument: ProjectInstrument
    let requested: Money
    /// Parties that declared an interest in the project (I7).
    var interested: Set<PartyID> = []
}

struct BallotEntry: Sendable, Equatable {
    let body: BodyID
    let motion: Motion
    /// The project the motion concerns, if any: members interested in it must be recused.
    let project: ProjectID?
    /// Frozen at opening: later changes to the body do not reach an open ballot.
    let rules: BodyRules
    /// Who may take part, and how they did: held while the ballot is open only.
    var electorate: Set<PartyID>
    var votes: [PartyID: Choice] = [:]
    /// Grantor → holder.
    var proxies: [PartyID: PartyID] = [:]
    /// Holder → number of proxies held.
    var proxiesHeld: [PartyID: Int] = [:]
    var recused: Set<PartyID> = []
    /// Set when the ballot closes: its final tally. Nothing can change a closed ballot's votes, so
    /// the rules keep its counts rather than its electorate and votes (the projections keep those
    /// for the reports), and a fund's state holds a few numbers per past ballot.
    var closedTally: Tally?
    var decision: DecisionID?

    var isClosed: Bool { closedTally != nil }

    init(body: BodyID, motion: Motion, project: ProjectID?, rules: BodyRules, electorate: Set<PartyID>) {
        (self.body, self.motion, self.project, self.rules, self.electorate) = (body, motion, project, rules, electorate)
    }

    /// Closes the ballot on its tally, releasing who voted how.
    mutating func close() {
        closedTally = tally()
        (electorate, votes, proxies, proxiesHeld, recused) = ([], [:], [:], [:], [])
    }

    /// Each non-recused member counts once: their own vote, else their proxy holder's.
    func tally() -> Tally {
        if let closedTally { return closedTally }
        var tally = Tally()
        tally.electorate = electorate.count
        tally.recused = recused.count
        for member in electorate where !recused.contains(member) {
            if let choice = votes[member] {
                tally.count(choice)
            } else if let holder = proxies[member], let choice = votes[holder] {
                tally.count(choice)
                tally.byProxy += 1
            }
        }
        return tally
    }
}

struct DecisionEntry: Sendable, Equatable {
    let ballot: BallotID
    let motion: Motion
    let adopted: Bool
    var isUsed = false
}

struct CommitmentEntry: Sendable, Equatable {
    let project: ProjectID
    let fund: FundID
    let instrument: ProjectInstrument
    var amount: Money
    var tranches: [Money]
    /// Per tranche: executed plus requested-or-approved disbursements.
    var trancheTaken: [Money]
    var disbursed = Money.zero
    var repaid = Money.zero
    var writtenOff = Money.zero
    var isCancelled = false

    /// What the project still owes on a loan: disbursed − repaid − written off.
    var outstanding: Money { disbursed.subtracting(repaid).subtracting(writtenOff) }
    /// What the commitment still reserves in its fund.
    var reservation: Money { isCancelled ? .zero : amount.subtracting(disbursed) }
}

enum DisbursementStatus: String, Sendable {
    case requested, approved, executed, rejected
}

struct DisbursementEntry: Sendable, Equatable {
    let commitment: CommitmentID
    /// 0-based index into the commitment's tranches (1-based in payloads).
    let tranche: Int
    let amount: Money
    let requester: OperatorID
    var status: DisbursementStatus = .requested
}

/// Who used a reference: the record's sequence number, and the contribution it names, if any.
struct ReferenceUse: Sendable, Equatable {
    let seq: UInt64
    var contribution: ContributionEntry?
}

/// What the rules check of a contribution (reversals and repayments to lenders): not its party,
/// which the projections keep (a party's text held for each of a million references is memory
/// `verify` would hold for nothing). Its fund by number (`FundEntry.number`), and what was
/// reversed or repaid of it as one total, all the rules read of the two: a reference's entry
/// takes 48 bytes, where the fund's identifier and two totals made it 72 (a large fund holds a
/// million references).
struct ContributionEntry: Sendable, Equatable {
    let amount: Money
    /// Reversed and repaid to the lender, together.
    var returned: Money
    let fund: UInt32
    let instrument: Instrument

    init(fund: UInt32, instrument: Instrument, amount: Money, returned: Money = .zero) {
        (self.fund, self.instrument, self.amount, self.returned) = (fund, instrument, amount, returned)
    }

    var remaining: Money { amount.subtracting(returned) }
}

/// How many entities of each bulk table the rules created (`FundState.counts`).
struct CreatedCounts: Sendable, Equatable {
    var parties = 0, projects = 0, ballots = 0, decisions = 0, commitments = 0, disbursements = 0
}
