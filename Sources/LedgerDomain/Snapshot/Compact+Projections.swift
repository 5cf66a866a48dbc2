import LedgerCore

// The projections, field by field in declaration order (Compact.swift). A field added to a
// type must be added here, and `Projections.layoutVersion` bumped.

extension DisbursementStage: CompactVocabulary {}
extension StatementLine.Kind: CompactVocabulary {}

extension Stamp: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(seq)
        writer.write(day)
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        seq = try reader.read()
        day = try reader.read()
        guard CalendarDate(daysSinceEpoch: Int(day)) != nil else { throw .invalid("date") }
    }
}

extension LedgerInfo: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        for text in [name, origin, currency] { writer.write(text) }
        writer.write(minorUnits)
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        (name, origin, currency, minorUnits) = (try reader.read(), try reader.read(), try reader.read(), try reader.read())
    }
}

extension StatementLine: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(stamp)
        writer.write(kind)
        writer.write(fund)
        writer.write(instrument)
        writer.write(amount)
        writer.write(reference)
        writer.write(contribution)
        writer.write(reason)
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        self.init(stamp: try reader.read(), kind: try reader.read(), fund: try reader.read(), instrument: try reader.read(),
                  amount: try reader.read(), reference: try reader.read(), contribution: try reader.read(), reason: try reader.read())
    }
}

extension FlowInstrument: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        switch self {
        case .incoming(let instrument):
            writer.write(false)
            writer.write(instrument)
        case .outgoing(let instrument):
            writer.write(true)
            writer.write(instrument)
        }
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        self = try reader.read(Bool.self) ? .outgoing(try reader.read()) : .incoming(try reader.read())
    }
}

extension FlowKey: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(fund)
        writer.write(year)
        writer.write(instrument)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(fund: try reader.read(), year: try reader.read(), instrument: try reader.read())
    }
}

extension Flows: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        for value in [received, reversed, lendersRepaid, committed, disbursed, repayments, writtenOff] { writer.write(value) }
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        self.init()
        (received, reversed, lendersRepaid, committed) = (try reader.read(), try reader.read(), try reader.read(), try reader.read())
        (disbursed, repayments, writtenOff) = (try reader.read(), try reader.read(), try reader.read())
    }
}

extension OperatorView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(role)
        writer.write(registered)
        writer.write(revoked)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(role: try reader.read(), registered: try reader.read(), revoked: try reader.read())
    }
}

extension TerritoryView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(name)
        writer.write(parent)
        writer.write(listed)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(name: try reader.read(), parent: try reader.read(), listed: try reader.read())
    }
}

extension FundView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(name)
        writer.write(pool)
        writer.write(territory)
        writer.write(listed)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(name: try reader.read(), pool: try reader.read(), territory: try reader.read(), listed: try reader.read())
    }
}

extension PartyView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(kind)
        writer.write(listed)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(kind: try reader.read(), listed: try reader.read())
    }
}

extension BodyView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(kind)
        writer.write(name)
        writer.write(territory)
        writer.write(rules)
        writer.write(members)
        writer.write(listed)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(kind: try reader.read(), name: try reader.read(), territory: try reader.read(), rules: try reader.read(),
                  members: try reader.read(), listed: try reader.read())
    }
}

extension ProjectView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(organisation)
        writer.write(territory)
        writer.write(instrument)
        writer.write(requested)
        writer.write(listed)
        writer.write(approved)
        writer.write(commitments)
        writer.write(ballots)
        writer.write(interested)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(organisation: try reader.read(), territory: try reader.read(), instrument: try reader.read(),
                  requested: try reader.read(), listed: try reader.read(), approved: try reader.read(),
                  commitments: try reader.read(), ballots: try reader.read(), interested: try reader.read())
    }
}

extension VoteView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(choice)
        writer.write(seq)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(choice: try reader.read(), seq: try reader.read())
    }
}

extension BallotView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(body)
        writer.write(motion)
        writer.write(motionText)
        writer.write(rules)
        writer.write(electorate)
        writer.write(opened)
        writer.write(votes)
        writer.write(proxies)
        writer.write(recused)
        writer.write(closed)
        writer.write(decision)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(body: try reader.read(), motion: try reader.read(), motionText: try reader.read(), rules: try reader.read(),
                  electorate: try reader.read(), opened: try reader.read(), votes: try reader.read(), proxies: try reader.read(),
                  recused: try reader.read(), closed: try reader.read(), decision: try reader.read())
    }
}

extension DecisionView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(ballot)
        writer.write(adopted)
        writer.write(quorumMet)
        writer.write(tally)
        writer.write(recorded)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(ballot: try reader.read(), adopted: try reader.read(), quorumMet: try reader.read(), tally: try reader.read(),
                  recorded: try reader.read())
    }
}

extension CommitmentView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(project)
        writer.write(fund)
        writer.write(instrument)
        writer.write(decisions)
        writer.write(acts)
        writer.write(amount)
        writer.write(disbursedSeen)
        writer.write(tranches)
        writer.write(cancelledSeen)
        writer.write(made)
        for value in [committed, disbursed, repaid, writtenOff] { writer.write(value) }
        writer.write(cancelled)
        writer.write(disbursements)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(project: try reader.read(), fund: try reader.read(), instrument: try reader.read(), decisions: try reader.read(),
                  acts: try reader.read(), amount: try reader.read(), disbursedSeen: try reader.read(), tranches: try reader.read(),
                  cancelledSeen: try reader.read(), made: try reader.read(), committed: try reader.read(),
                  disbursed: try reader.read(), repaid: try reader.read(), writtenOff: try reader.read(),
                  cancelled: try reader.read(), disbursements: try reader.read())
        guard acts.count == decisions.count else { throw .invalid("commitment's acts") }
    }
}

extension DisbursementView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(commitment)
        writer.write(tranche)
        writer.write(amount)
        writer.write(stage)
        for stamp in [requested, approved, executed, rejected] { writer.write(stamp) }
        writer.write(reference)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(commitment: try reader.read(), tranche: try reader.read(), amount: try reader.read(), stage: try reader.read(),
                  requested: try reader.read(), approved: try reader.read(), executed: try reader.read(),
                  rejected: try reader.read(), reference: try reader.read())
        guard (0..<FundState.tranchesMax).contains(tranche) else { throw .invalid("tranche") }
    }
}

extension ContributionView: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(party)
        writer.write(fund)
        writer.write(instrument)
        writer.write(amount)
        writer.write(stamp)
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        self.init(party: try reader.read(), fund: try reader.read(), instrument: try reader.read(), amount: try reader.read(),
                  stamp: try reader.read())
    }
}

extension Projections: CompactCodable {
    /// One interned block (CompactWriter.interned): identifiers and vocabulary recur by the
    /// thousand (members, electorates, votes), and the block holds each text once.
    public func write(to writer: inout CompactWriter) {
        writer.writeInternedBlock { writeFields(to: &$0) }
    }

    private func writeFields(to writer: inout CompactWriter) {
        writer.write(ledger)
        writer.write(recordsSeen)
        writer.write(recordsCounted)
        writer.write(operators)
        writer.write(territories)
        writer.write(funds)
        writer.write(parties)
        writer.write(bodies)
        writer.write(projects)
        writer.write(ballots)
        writer.write(decisions)
        writer.write(commitments)
        writer.write(disbursements)
        writer.write(contributions.recent)
        writer.write(statements.recent)
        writer.write(flows)
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        self.init()
        let outer = try reader.enterInternedBlock()
        ledger = try reader.read()
        recordsSeen = try reader.read()
        recordsCounted = try reader.read()
        operators = try reader.read()
        territories = try reader.read()
        funds = try reader.read()
        parties = try reader.read()
        bodies = try reader.read()
        projects = try reader.read()
        ballots = try reader.read()
        decisions = try reader.read()
        commitments = try reader.read()
        disbursements = try reader.read()
        for (key, value) in try reader.read([ExternalReference: ContributionView].self) { contributions.setRecent(key, value) }
        for (key, value) in try reader.read([PartyID: [StatementLine]].self) { statements.setRecent(key, value) }
        flows = try reader.read()
        // Every link a report follows must land on an entity: a snapshot is never trusted blindly.
        for commitment in commitments.values where projects[commitment.project] == nil { throw .invalid("commitment's project") }
        for disbursement in disbursements.values where commitments[disbursement.commitment] == nil {
            throw .invalid("disbursement's commitment")
        }
        for project in projects.values where project.commitments.contains(where: { commitments[$0] == nil }) {
            throw .invalid("project's commitment")
        }
        for commitment in commitments.values where commitment.disbursements.contains(where: { disbursements[$0] == nil }) {
            throw .invalid("commitment's disbursement")
        }
        reader.leaveInternedBlock(restoring: outer)
    }
}
