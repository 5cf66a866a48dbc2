import LedgerCore
import LedgerCrypto

// The rules' state, field by field in declaration order (Compact.swift). A field added to a
// type must be added here, and `FundState.layoutVersion` bumped.

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

extension Fraction: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(numerator)
        writer.write(denominator)
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        guard let fraction = Fraction(numerator: try reader.read(), denominator: try reader.read()) else { throw .invalid("fraction") }
        self = fraction
    }
}

extension BodyRules: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(quorum)
        writer.write(majority)
        writer.write(abstentions)
        writer.write(blanks)
        writer.write(proxiesMax)
        writer.write(amountMax)
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        let quorum: Fraction = try reader.read(), majority: Majority = try reader.read()
        let abstentions: Counting = try reader.read(), blanks: Counting = try reader.read()
        let proxiesMax: Int = try reader.read()
        guard (0...BodyRules.proxiesLimit).contains(proxiesMax) else { throw .invalid("proxies_max") }
        self.init(quorum: quorum, majority: majority, abstentions: abstentions, blanks: blanks, proxiesMax: proxiesMax,
                  amountMax: try reader.read())
    }
}

extension Tally: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        for count in [votesFor, against, abstain, blank, electorate, recused, byProxy] { writer.write(count) }
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        self.init()
        (votesFor, against, abstain, blank) = (try reader.read(), try reader.read(), try reader.read(), try reader.read())
        (electorate, recused, byProxy) = (try reader.read(), try reader.read(), try reader.read())
    }
}

extension Motion: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(kind)
        switch self {
        case .fundProject(let project, let fund, let amount):
            writer.write(project)
            writer.write(fund)
            writer.write(amount)
        case .amendCommitment(let commitment, let amount), .writeOff(let commitment, let amount):
            writer.write(commitment)
            writer.write(amount)
        case .cancelCommitment(let commitment):
            writer.write(commitment)
        case .resolution:
            break
        }
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        switch try reader.read(MotionKind.self) {
        case .fundProject: self = .fundProject(project: try reader.read(), fund: try reader.read(), amount: try reader.read())
        case .amendCommitment: self = .amendCommitment(commitment: try reader.read(), amount: try reader.read())
        case .writeOff: self = .writeOff(commitment: try reader.read(), amount: try reader.read())
        case .cancelCommitment: self = .cancelCommitment(commitment: try reader.read())
        case .resolution: self = .resolution
        }
    }
}

extension OperatorEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(role)
        writer.write(isActive)
        writer.write(key.map { Base64.encode($0.bytes) })
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        let role: Role = try reader.read(), isActive: Bool = try reader.read()
        var key: Ed25519.PublicKey?
        if let text: String = try reader.read() {
            guard let bytes = Base64.decode(text), let decoded = Ed25519.PublicKey(bytes: bytes) else { throw .invalid("operator key") }
            key = decoded
        }
        self.init(role: role, isActive: isActive, key: key)
    }
}

extension TerritoryEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(parent)
        writer.write(depth)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(parent: try reader.read(), depth: try reader.read())
    }
}

extension FundBalances: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        for amount in [received, reversed, disbursed, repaymentsReceived, lendersRepaid, writtenOff, cash, reserved] { writer.write(amount) }
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        self.init()
        (received, reversed, disbursed, repaymentsReceived) = (try reader.read(), try reader.read(), try reader.read(), try reader.read())
        (lendersRepaid, writtenOff, cash, reserved) = (try reader.read(), try reader.read(), try reader.read(), try reader.read())
    }
}

extension FundEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(name)
        writer.write(pool)
        writer.write(accepts)
        writer.write(uses)
        writer.write(territory)
        writer.write(balances)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(name: try reader.read(), pool: try reader.read(), accepts: try reader.read(), uses: try reader.read(),
                  territory: try reader.read(), balances: try reader.read())
    }
}

extension BodyEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(kind)
        writer.write(territory)
        writer.write(rules)
        writer.write(members)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(kind: try reader.read(), territory: try reader.read(), rules: try reader.read(), members: try reader.read())
    }
}

extension ProjectEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(organisation)
        writer.write(territory)
        writer.write(instrument)
        writer.write(requested)
        writer.write(interested)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(organisation: try reader.read(), territory: try reader.read(), instrument: try reader.read(),
                  requested: try reader.read(), interested: try reader.read())
    }
}

extension BallotEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(body)
        writer.write(motion)
        writer.write(project)
        writer.write(rules)
        writer.write(closedTally)
        writer.write(decision)
        guard !isClosed else { return }
        writer.write(electorate)
        writer.write(votes)
        writer.write(proxies)
        writer.write(proxiesHeld)
        writer.write(recused)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(body: try reader.read(), motion: try reader.read(), project: try reader.read(), rules: try reader.read(), electorate: [])
        closedTally = try reader.read()
        decision = try reader.read()
        guard !isClosed else { return }
        electorate = try reader.read()
        (votes, proxies, proxiesHeld, recused) = (try reader.read(), try reader.read(), try reader.read(), try reader.read())
    }
}

extension DecisionEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(ballot)
        writer.write(motion)
        writer.write(adopted)
        writer.write(isUsed)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(ballot: try reader.read(), motion: try reader.read(), adopted: try reader.read(), isUsed: try reader.read())
    }
}

extension CommitmentEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(project)
        writer.write(fund)
        writer.write(instrument)
        writer.write(amount)
        writer.write(tranches)
        writer.write(trancheTaken)
        writer.write(disbursed)
        writer.write(repaid)
        writer.write(writtenOff)
        writer.write(isCancelled)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(project: try reader.read(), fund: try reader.read(), instrument: try reader.read(), amount: try reader.read(),
                  tranches: try reader.read(), trancheTaken: try reader.read(), disbursed: try reader.read(),
                  repaid: try reader.read(), writtenOff: try reader.read(), isCancelled: try reader.read())
        guard tranches.count == trancheTaken.count, (1...FundState.tranchesMax).contains(tranches.count) else { throw .invalid("tranches") }
    }
}

extension DisbursementEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(commitment)
        writer.write(tranche)
        writer.write(amount)
        writer.write(requester)
        writer.write(status)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(commitment: try reader.read(), tranche: try reader.read(), amount: try reader.read(), requester: try reader.read(),
                  status: try reader.read())
    }
}

extension ReferenceUse: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(seq)
        writer.write(contribution)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(seq: try reader.read(), contribution: try reader.read())
    }
}

extension ContributionEntry: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(party)
        writer.write(fund)
        writer.write(instrument)
        writer.write(amount)
        writer.write(reversed)
        writer.write(repaid)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(party: try reader.read(), fund: try reader.read(), instrument: try reader.read(), amount: try reader.read(),
                  reversed: try reader.read(), repaid: try reader.read())
    }
}

extension FundState: CompactCodable {
    /// One interned block (CompactWriter.interned): identifiers and vocabulary recur by the
    /// thousand (members, electorates, votes), and the block holds each text once.
    public func write(to writer: inout CompactWriter) {
        writer.writeInternedBlock { writeFields(to: &$0) }
    }

    private func writeFields(to writer: inout CompactWriter) {
        writer.write(genesis.map { [$0.origin, $0.currency, String($0.minorUnits), $0.name, $0.key.map { Base64.encode($0) } ?? "",
                                    $0.isSimulated ? Genesis.simulatedClock : ""] })
        writer.write(recordCount)
        writer.write(closedThrough?.daysSinceEpoch)
        writer.write(operators)
        writer.write(parties)
        writer.write(territories)
        writer.write(fundsByID)
        writer.write(bodies)
        writer.write(projects)
        writer.write(ballots)
        writer.write(decisions)
        writer.write(commitments)
        writer.write(disbursements)
        // Only the recent part of the bulk table: its base is a file of its own (BulkMap).
        writer.write(references.recent)
        writer.write(contributionCount)
        writer.write(keyOwners)
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        self.init()
        let outer = try reader.enterInternedBlock()
        if let parts: [String] = try reader.read() {
            guard parts.count == 6, let minorUnits = Int(parts[2]), (0...4).contains(minorUnits) else { throw .invalid("genesis") }
            var key: [UInt8]?
            if !parts[4].isEmpty {
                guard let bytes = Base64.decode(parts[4]), Ed25519.PublicKey(bytes: bytes) != nil else { throw .invalid("genesis key") }
                key = bytes
            }
            genesis = Genesis(origin: parts[0], currency: parts[1], minorUnits: minorUnits, name: parts[3], key: key,
                              isSimulated: parts[5] == Genesis.simulatedClock)
        }
        recordCount = try reader.read()
        if let days: Int = try reader.read() {
            guard let date = CalendarDate(daysSinceEpoch: days) else { throw .invalid("date") }
            closedThrough = date
        }
        operators = try reader.read()
        parties = try reader.read()
        territories = try reader.read()
        fundsByID = try reader.read()
        bodies = try reader.read()
        projects = try reader.read()
        ballots = try reader.read()
        decisions = try reader.read()
        commitments = try reader.read()
        disbursements = try reader.read()
        for (key, value) in try reader.read([ExternalReference: ReferenceUse].self) { references.setRecent(key, value) }
        contributionCount = try reader.read()
        keyOwners = try reader.read()
        reader.leaveInternedBlock(restoring: outer)
        // Derived from the identifiers just read: not saved.
        rebuildLookAlikes()
    }
}
