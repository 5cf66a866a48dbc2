/// The closed vocabularies of payloads: each is spelled in the log exactly as its raw value.

/// What an operator may do (Specs/events.md, section 2).
public enum Role: String, CaseIterable, Sendable {
    /// Registers and revokes operators, defines territories, funds and bodies.
    case admin
    /// Money: contributions, commitments, execution of disbursements, repayments, period closes.
    case treasurer
    /// Governance: members, ballots, votes, decisions; approves disbursements.
    case secretary
    /// Data entry: parties, applications, contributions, votes, disbursement requests.
    case clerk
    /// Reads and verifies; appends nothing.
    case auditor
}

public enum PartyKind: String, CaseIterable, Sendable {
    case person, organisation
    case financialActor = "financial_actor"
    case publicActor = "public_actor"
}

/// The fund's three pools (the funding plan: citizens' foundation, social-economy financial
/// actors, public actors).
public enum Pool: String, CaseIterable, Sendable {
    case citizens, financial, `public`
}

/// How money comes in.
public enum Instrument: String, CaseIterable, Sendable {
    case donation
    case membershipFee = "membership_fee"
    case subsidy
    case loanReceived = "loan_received"
    case investment
    case apport
    case titreAssociatif = "titre_associatif"

    /// Money the fund owes back to the contributor: repaid with `lender.repaid`.
    public var isRepayable: Bool {
        switch self {
        case .loanReceived, .apport, .titreAssociatif: return true
        case .donation, .membershipFee, .subsidy, .investment: return false
        }
    }
}

/// How money goes out to a project.
public enum ProjectInstrument: String, CaseIterable, Sendable {
    case grant, loan, investment
}

public enum BodyKind: String, CaseIterable, Sendable {
    case generalAssembly = "general_assembly"
    case board
    case territorialCommittee = "territorial_committee"
}

public enum Majority: String, CaseIterable, Sendable {
    /// More for than against.
    case simple
    /// More than half of the counted votes.
    case absolute
    /// At least two thirds of the counted votes.
    case twoThirds = "two_thirds"
    /// At least three quarters of the counted votes.
    case threeQuarters = "three_quarters"
}

/// Whether abstentions (or blank votes) count in the base of the majority.
public enum Counting: String, CaseIterable, Sendable {
    case excluded, counted
}

public enum Choice: String, CaseIterable, Sendable {
    case `for`, against, abstain, blank
}

public enum ReversalReason: String, CaseIterable, Sendable {
    case refund, rejected, duplicate, dispute, correction
}

public enum MotionKind: String, CaseIterable, Sendable {
    case fundProject = "fund_project"
    case amendCommitment = "amend_commitment"
    case cancelCommitment = "cancel_commitment"
    case writeOff = "write_off"
    case resolution
}
