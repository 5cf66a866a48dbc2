import LedgerCore
import LedgerCrypto

// The rules' state: each type's fields once, in declaration order, for both directions
// (Compact+Coder.swift). A field added to a type must be added to its list, and
// `FundState.layoutVersion` bumped.

extension Role: CompactVocabulary {}
extension PartyKind: CompactVocabulary {}
extension Pool: CompactVocabulary {}
extension Instrument: CompactVocabulary {}
extension ProjectInstrument: CompactVocabulary {}
extension BodyKind: CompactVocabulary {}
extension Majority: CompactVocabulary {}
extension Counting: CompactVocabulary {}
extension Choice: CompactVocabulary {}
extension ReversalReason: CompactVocabulary {}
extension MotionKind: CompactVocabulary {}
extension DisbursementStatus: CompactVocabulary {}

// Sets of instruments are written in the order of their spelling (a set's members are written
// in ascending order: Compact.swift).
extension Instrument: Comparable {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ProjectInstrument: Comparable {
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Fraction: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        guard let fraction = Self(numerator: try coder.field(\.numerator), denominator: try coder.field(\.denominator)) else {
            throw .invalid("fraction")
        }
        return fraction
    }
}

extension BodyRules: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(quorum: try coder.field(\.quorum), majority: try coder.field(\.majority), abstentions: try coder.field(\.abstentions),
             blanks: try coder.field(\.blanks), proxiesMax: try coder.field(\.proxiesMax, in: 0...proxiesLimit, "proxies_max"),
             amountMax: try coder.field(\.amountMax))
    }
}

extension Tally: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        var tally = Tally()
        try coder.field(\.votesFor, into: &tally)
        try coder.field(\.against, into: &tally)
        try coder.field(\.abstain, into: &tally)
        try coder.field(\.blank, into: &tally)
        try coder.field(\.electorate, into: &tally)
        try coder.field(\.recused, into: &tally)
        try coder.field(\.byProxy, into: &tally)
        return tally
    }
}

/// Its kind, then the payload of that kind.
extension Motion: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        switch try coder.field(\.kind) {
        case .fundProject:
            return .fundProject(project: try coder.field(\.project!), fund: try coder.field(\.fund!),
                                amount: try coder.field(\.amount!))
        case .amendCommitment:
            return .amendCommitment(commitment: try coder.field(\.commitment!), amount: try coder.field(\.amount!))
        case .cancelCommitment: return .cancelCommitment(commitment: try coder.field(\.commitment!))
        case .writeOff: return .writeOff(commitment: try coder.field(\.commitment!), amount: try coder.field(\.amount!))
        case .resolution: return .resolution
        }
    }

    // The payload's fields by name, for the key paths above (nil in the cases without one).
    private var project: ProjectID? { if case .fundProject(let project, _, _) = self { project } else { nil } }
    private var fund: FundID? { if case .fundProject(_, let fund, _) = self { fund } else { nil } }

    private var commitment: CommitmentID? {
        switch self {
        case .amendCommitment(let commitment, _), .cancelCommitment(let commitment), .writeOff(let commitment, _): commitment
        case .fundProject, .resolution: nil
        }
    }

    private var amount: Money? {
        switch self {
        case .fundProject(_, _, let amount), .amendCommitment(_, let amount), .writeOff(_, let amount): amount
        case .cancelCommitment, .resolution: nil
        }
    }
}

extension OperatorEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(role: try coder.field(\.role), isActive: try coder.field(\.isActive), key: try coder.field(\.key))
    }
}

extension TerritoryEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(parent: try coder.field(\.parent), depth: try coder.field(\.depth))
    }
}

extension FundBalances: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        var balances = FundBalances()
        try coder.field(\.received, into: &balances)
        try coder.field(\.reversed, into: &balances)
        try coder.field(\.disbursed, into: &balances)
        try coder.field(\.repaymentsReceived, into: &balances)
        try coder.field(\.lendersRepaid, into: &balances)
        try coder.field(\.writtenOff, into: &balances)
        try coder.field(\.cash, into: &balances)
        try coder.field(\.reserved, into: &balances)
        return balances
    }
}

extension FundEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(name: try coder.field(\.name), pool: try coder.field(\.pool), accepts: try coder.field(\.accepts),
             uses: try coder.field(\.uses), territory: try coder.field(\.territory), number: try coder.field(\.number),
             balances: try coder.field(\.balances))
    }
}

extension BodyEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(kind: try coder.field(\.kind), territory: try coder.field(\.territory), rules: try coder.field(\.rules),
             members: try coder.field(\.members))
    }
}

extension ProjectEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(organisation: try coder.field(\.organisation), territory: try coder.field(\.territory),
             instrument: try coder.field(\.instrument), requested: try coder.field(\.requested),
             interested: try coder.field(\.interested))
    }
}

extension BallotEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        var ballot = Self(body: try coder.field(\.body), motion: try coder.field(\.motion), project: try coder.field(\.project),
                          rules: try coder.field(\.rules), electorate: [])
        try coder.field(\.closedTally, into: &ballot)
        try coder.field(\.decision, into: &ballot)
        // A closed ballot keeps its tally only (`BallotEntry.close`).
        guard !ballot.isClosed else { return ballot }
        try coder.field(\.electorate, into: &ballot)
        try coder.field(\.votes, into: &ballot)
        try coder.field(\.proxies, into: &ballot)
        try coder.field(\.proxiesHeld, into: &ballot)
        try coder.field(\.recused, into: &ballot)
        return ballot
    }
}

extension DecisionEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(ballot: try coder.field(\.ballot), motion: try coder.field(\.motion), adopted: try coder.field(\.adopted),
             isUsed: try coder.field(\.isUsed))
    }
}

extension CommitmentEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        let commitment = Self(project: try coder.field(\.project), fund: try coder.field(\.fund),
                              instrument: try coder.field(\.instrument), amount: try coder.field(\.amount),
                              tranches: try coder.field(\.tranches), trancheTaken: try coder.field(\.trancheTaken),
                              disbursed: try coder.field(\.disbursed), repaid: try coder.field(\.repaid),
                              writtenOff: try coder.field(\.writtenOff), isCancelled: try coder.field(\.isCancelled))
        let tranches = commitment.tranches.count
        try coder.check(tranches == commitment.trancheTaken.count && (1...FundState.tranchesMax).contains(tranches), "tranches")
        return commitment
    }
}

extension DisbursementEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(commitment: try coder.field(\.commitment), tranche: try coder.field(\.tranche), amount: try coder.field(\.amount),
             requester: try coder.field(\.requester), status: try coder.field(\.status))
    }
}

/// Identifiers, interned: each is written once in a block, however many tables cite it.
extension LookAlikeTexts: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.unsigned(UInt64(1 + others.count))
        writer.interned(first)
        for text in others { writer.interned(text) }
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        let count = try reader.count()
        var texts: [String] = []
        for _ in 0..<count {
            let text = try reader.interned()
            guard FieldRules.isIdentifier(text) else { throw .invalid("look-alike identifier") }
            texts.append(text)
        }
        guard let row = LookAlikeTexts(texts: texts) else { throw .invalid("look-alike row without identifiers") }
        self = row
    }
}

extension ReferenceUse: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(seq: try coder.field(\.seq), contribution: try coder.field(\.contribution))
    }
}

extension CreatedCounts: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(parties: try coder.field(\.parties), projects: try coder.field(\.projects), ballots: try coder.field(\.ballots),
             decisions: try coder.field(\.decisions), commitments: try coder.field(\.commitments),
             disbursements: try coder.field(\.disbursements))
    }
}

extension ContributionEntry: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(fund: try coder.field(\.fund), instrument: try coder.field(\.instrument),
             amount: try coder.field(\.amount), returned: try coder.field(\.returned))
    }
}

/// The genesis as an array of its six texts: the minor units in decimal, the key in base64 or
/// empty, the clock "simulated" or empty.
extension Genesis: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        let texts = try coder.field(\.texts)
        guard texts.count == 6, let minorUnits = Int(texts[2]), (0...4).contains(minorUnits) else { throw .invalid("genesis") }
        var key: [UInt8]?
        if !texts[4].isEmpty {
            guard let bytes = Base64.decode(texts[4]), Ed25519.PublicKey(bytes: bytes) != nil else { throw .invalid("genesis key") }
            key = bytes
        }
        return Genesis(origin: texts[0], currency: texts[1], minorUnits: minorUnits, name: texts[3], key: key,
                       isSimulated: texts[5] == Genesis.simulatedClock)
    }

    private var texts: [String] {
        [origin, currency, String(minorUnits), name, key.map { Base64.encode($0) } ?? "", isSimulated ? Genesis.simulatedClock : ""]
    }
}

/// A key as its base64 text, read back only if it is a strict encoding of a point.
extension Ed25519.PublicKey: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.write(Base64.encode(bytes)) }

    public init(from reader: inout CompactReader) throws(CompactError) {
        let text: String = try reader.read()
        guard let bytes = Base64.decode(text), let key = Ed25519.PublicKey(bytes: bytes) else { throw .invalid("key") }
        self = key
    }
}

extension FundState: CompactFields {
    /// One interned block (CompactWriter.interned): identifiers and vocabulary recur by the
    /// thousand (members, electorates, votes), and the block holds each text once.
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        try coder.internedBlock { (coder) throws(CompactError) in
            var state = FundState()
            try coder.field(\.genesis, into: &state)
            try coder.field(\.recordCount, into: &state)
            try coder.field(\.closedThrough, into: &state)
            try coder.field(\.operators, into: &state)
            try coder.field(\.parties.recent, into: &state)
            try coder.field(\.territories, into: &state)
            try coder.field(\.fundsByID, into: &state)
            // The funds' numbers: each of 0 ..< count once (a contribution names its fund by one).
            let numbers = Set(state.fundsByID.values.map(\.number))
            try coder.check(numbers.count == state.fundsByID.count && numbers.allSatisfy { Int($0) < numbers.count }, "funds' numbers")
            try coder.field(\.bodies, into: &state)
            try coder.field(\.projects.recent, into: &state)
            // Only the recent parts of the bulk tables: their base is a file of its own (BulkMap).
            try coder.field(\.ballots.recent, into: &state)
            try coder.field(\.decisions.recent, into: &state)
            try coder.field(\.commitments.recent, into: &state)
            try coder.field(\.disbursements.recent, into: &state)
            try coder.field(\.references.recent, into: &state)
            try coder.field(\.contributionCount, into: &state)
            try coder.field(\.created, into: &state)
            try coder.field(\.keyOwners, into: &state)
            try coder.field(\.idempotencyKeys.recent, into: &state)
            try coder.field(\.lookAlikes.table.recent, into: &state)
            return state
        }
    }
}
