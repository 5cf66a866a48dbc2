import LedgerCore

/// The fund's state is Codable so that a derivable snapshot of it can be cached on disk
/// (`ledger` folds only the log's tail after the newest valid snapshot). The log stays the
/// truth: a snapshot is checked against the record it claims to end at, and `ledger verify
/// --snapshots` compares it with a fold from the genesis.
extension FundState: Codable {
    /// Bumped whenever what the state holds, or means, changes: snapshots of another layout are
    /// then ignored and rebuilt, never misread.
    public static let layoutVersion = 2

    enum CodingKeys: String, CodingKey {
        case genesis, recordCount, closedThrough, operators, parties, territories, fundsByID, bodies, projects
        case ballots, decisions, commitments, disbursements, references, contributions
    }

    /// The genesis record's payload, stored member by member (it is a LedgerCore type).
    struct StoredGenesis: Codable {
        let origin: String
        let currency: String
        let minorUnits: Int
        let name: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        if let stored = try container.decodeIfPresent(StoredGenesis.self, forKey: .genesis) {
            genesis = Genesis(origin: stored.origin, currency: stored.currency, minorUnits: stored.minorUnits, name: stored.name)
        }
        recordCount = try container.decode(UInt64.self, forKey: .recordCount)
        if let days = try container.decodeIfPresent(Int.self, forKey: .closedThrough) {
            guard let date = CalendarDate(daysSinceEpoch: days) else {
                throw DecodingError.dataCorruptedError(forKey: .closedThrough, in: container, debugDescription: "not a date")
            }
            closedThrough = date
        }
        operators = try container.decode([OperatorID: OperatorEntry].self, forKey: .operators)
        parties = try container.decode([PartyID: PartyKind].self, forKey: .parties)
        territories = try container.decode([TerritoryCode: TerritoryEntry].self, forKey: .territories)
        fundsByID = try container.decode([FundID: FundEntry].self, forKey: .fundsByID)
        bodies = try container.decode([BodyID: BodyEntry].self, forKey: .bodies)
        projects = try container.decode([ProjectID: ProjectEntry].self, forKey: .projects)
        ballots = try container.decode([BallotID: BallotEntry].self, forKey: .ballots)
        decisions = try container.decode([DecisionID: DecisionEntry].self, forKey: .decisions)
        commitments = try container.decode([CommitmentID: CommitmentEntry].self, forKey: .commitments)
        disbursements = try container.decode([DisbursementID: DisbursementEntry].self, forKey: .disbursements)
        references = try container.decode([ExternalReference: ReferenceUse].self, forKey: .references)
        contributions = try container.decode([ContributionEntry].self, forKey: .contributions)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(genesis.map {
            StoredGenesis(origin: $0.origin, currency: $0.currency, minorUnits: $0.minorUnits, name: $0.name)
        }, forKey: .genesis)
        try container.encode(recordCount, forKey: .recordCount)
        try container.encodeIfPresent(closedThrough?.daysSinceEpoch, forKey: .closedThrough)
        try container.encode(operators, forKey: .operators)
        try container.encode(parties, forKey: .parties)
        try container.encode(territories, forKey: .territories)
        try container.encode(fundsByID, forKey: .fundsByID)
        try container.encode(bodies, forKey: .bodies)
        try container.encode(projects, forKey: .projects)
        try container.encode(ballots, forKey: .ballots)
        try container.encode(decisions, forKey: .decisions)
        try container.encode(commitments, forKey: .commitments)
        try container.encode(disbursements, forKey: .disbursements)
        try container.encode(references, forKey: .references)
        try container.encode(contributions, forKey: .contributions)
    }
}
