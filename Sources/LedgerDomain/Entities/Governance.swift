/// A fraction of the electorate, for quorums: `1/3` means "a third", exactly (no percentages
/// rounded the wrong way).
public struct Fraction: Sendable, Equatable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    public static let denominatorMax = 1000

    /// Nil unless 0 <= numerator <= denominator <= 1000 and denominator >= 1.
    public init?(numerator: Int, denominator: Int) {
        guard (1...Self.denominatorMax).contains(denominator), (0...denominator).contains(numerator) else { return nil }
        self.numerator = numerator
        self.denominator = denominator
    }

    public var description: String { "\(numerator)/\(denominator)" }
}

/// A body's statutes as data, frozen into each ballot when it opens.
public struct BodyRules: Sendable, Equatable {
    public let quorum: Fraction
    public let majority: Majority
    public let abstentions: Counting
    public let blanks: Counting
    /// The most proxies one member may hold on one ballot (0: no proxies).
    public let proxiesMax: Int
    /// The largest amount the body may decide in one motion.
    public let amountMax: Money

    public static let proxiesLimit = 20

    public init(quorum: Fraction, majority: Majority, abstentions: Counting, blanks: Counting, proxiesMax: Int, amountMax: Money) {
        precondition((0...Self.proxiesLimit).contains(proxiesMax), "proxies_max is checked by I6.body-rules first")
        self.quorum = quorum
        self.majority = majority
        self.abstentions = abstentions
        self.blanks = blanks
        self.proxiesMax = proxiesMax
        self.amountMax = amountMax
    }
}

/// What a ballot's votes add up to. Recomputed from votes, proxies and recusals; never trusted
/// from the decision that records it.
public struct Tally: Sendable, Equatable {
    public var votesFor = 0
    public var against = 0
    public var abstain = 0
    public var blank = 0
    /// Members of the frozen electorate.
    public var electorate = 0
    public var recused = 0
    /// How many of the counted votes were cast by a proxy holder for the member.
    public var byProxy = 0

    public init() {}

    public var participants: Int { votesFor + against + abstain + blank }

    mutating func count(_ choice: Choice) {
        switch choice {
        case .for: votesFor += 1
        case .against: against += 1
        case .abstain: abstain += 1
        case .blank: blank += 1
        }
    }
}

/// A tally judged under a body's rules.
public struct BallotOutcome: Sendable, Equatable {
    public let tally: Tally
    public let quorumMet: Bool
    public let adopted: Bool
}

extension BodyRules {
    /// Quorum: participants >= quorum × (electorate − recused), and at least one participant.
    /// Majority: over for + against, plus abstentions and blanks when the statutes count them.
    public func outcome(of tally: Tally) -> BallotOutcome {
        let base = tally.electorate - tally.recused
        precondition(base >= 0 && tally.participants <= base, "a tally never counts more voters than its electorate")
        let quorumMet = tally.participants > 0 && tally.participants * quorum.denominator >= base * quorum.numerator
        var counted = tally.votesFor + tally.against
        if abstentions == .counted { counted += tally.abstain }
        if blanks == .counted { counted += tally.blank }
        let majorityReached: Bool
        switch majority {
        case .simple: majorityReached = tally.votesFor > tally.against
        case .absolute: majorityReached = tally.votesFor * 2 > counted
        case .twoThirds: majorityReached = counted > 0 && tally.votesFor * 3 >= counted * 2
        case .threeQuarters: majorityReached = counted > 0 && tally.votesFor * 4 >= counted * 3
        }
        return BallotOutcome(tally: tally, quorumMet: quorumMet, adopted: quorumMet && majorityReached)
    }
}

/// What a ballot asks the body to decide.
public enum Motion: Sendable, Equatable {
    case fundProject(project: ProjectID, fund: FundID, amount: Money)
    case amendCommitment(commitment: CommitmentID, amount: Money)
    case cancelCommitment(commitment: CommitmentID)
    case writeOff(commitment: CommitmentID, amount: Money)
    case resolution

    public var kind: MotionKind {
        switch self {
        case .fundProject: return .fundProject
        case .amendCommitment: return .amendCommitment
        case .cancelCommitment: return .cancelCommitment
        case .writeOff: return .writeOff
        case .resolution: return .resolution
        }
    }
}
