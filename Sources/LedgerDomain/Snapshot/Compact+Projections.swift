import LedgerCore

// The projections: each type's fields once, in declaration order, for both directions
// (Compact+Coder.swift). A field added to a type must be added to its list, and
// `Projections.layoutVersion` bumped.

extension DisbursementStage: CompactVocabulary {}
extension StatementLine.Kind: CompactVocabulary {}

extension Stamp: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        let stamp = Self(seq: try coder.field(\.seq), day: try coder.field(\.day))
        try coder.check(CalendarDate(daysSinceEpoch: Int(stamp.day)) != nil, "date")
        return stamp
    }
}

extension LedgerInfo: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(name: try coder.field(\.name), origin: try coder.field(\.origin), currency: try coder.field(\.currency),
             minorUnits: try coder.field(\.minorUnits))
    }
}

extension StatementLine: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(stamp: try coder.field(\.stamp), kind: try coder.field(\.kind), fund: try coder.field(\.fund),
             instrument: try coder.field(\.instrument), amount: try coder.field(\.amount), reference: try coder.field(\.reference),
             contribution: try coder.field(\.contribution), reason: try coder.field(\.reason))
    }
}

/// Whether it goes out, then its instrument.
extension FlowInstrument: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        try coder.field(\.isOutgoing) ? .outgoing(try coder.field(\.outgoing!)) : .incoming(try coder.field(\.incoming!))
    }

    // The payload by case, for the key paths above (nil in the other case).
    private var isOutgoing: Bool { outgoing != nil }
    private var incoming: Instrument? { if case .incoming(let instrument) = self { instrument } else { nil } }
    private var outgoing: ProjectInstrument? { if case .outgoing(let instrument) = self { instrument } else { nil } }
}

extension FlowKey: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(fund: try coder.field(\.fund), year: try coder.field(\.year), instrument: try coder.field(\.instrument))
    }
}

extension Flows: CompactFields {
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        var flows = Flows()
        try coder.field(\.received, into: &flows)
        try coder.field(\.reversed, into: &flows)
        try coder.field(\.lendersRepaid, into: &flows)
        try coder.field(\.committed, into: &flows)
        try coder.field(\.disbursed, into: &flows)
        try coder.field(\.repayments, into: &flows)
        try coder.field(\.writtenOff, into: &flows)
        return flows
    }
}

extension OperatorView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(role: try coder.field(\.role), registered: try coder.field(\.registered), revoked: try coder.field(\.revoked))
    }
}

extension TerritoryView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(name: try coder.field(\.name), parent: try coder.field(\.parent), listed: try coder.field(\.listed))
    }
}

extension FundView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(name: try coder.field(\.name), pool: try coder.field(\.pool), territory: try coder.field(\.territory),
             listed: try coder.field(\.listed))
    }
}

extension PartyView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(kind: try coder.field(\.kind), listed: try coder.field(\.listed))
    }
}

extension BodyView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(kind: try coder.field(\.kind), name: try coder.field(\.name), territory: try coder.field(\.territory),
             rules: try coder.field(\.rules), members: try coder.field(\.members), listed: try coder.field(\.listed))
    }
}

extension ProjectView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(organisation: try coder.field(\.organisation), territory: try coder.field(\.territory),
             instrument: try coder.field(\.instrument), requested: try coder.field(\.requested), listed: try coder.field(\.listed),
             approved: try coder.field(\.approved), commitments: try coder.field(\.commitments),
             ballots: try coder.field(\.ballots), interested: try coder.field(\.interested))
    }
}

extension VoteView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(choice: try coder.field(\.choice), seq: try coder.field(\.seq))
    }
}

extension BallotView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(body: try coder.field(\.body), motion: try coder.field(\.motion), motionText: try coder.field(\.motionText),
             rules: try coder.field(\.rules), electorate: try coder.field(\.electorate), opened: try coder.field(\.opened),
             votes: try coder.field(\.votes), proxies: try coder.field(\.proxies), recused: try coder.field(\.recused),
             closed: try coder.field(\.closed), decision: try coder.field(\.decision))
    }
}

extension DecisionView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(ballot: try coder.field(\.ballot), adopted: try coder.field(\.adopted), quorumMet: try coder.field(\.quorumMet),
             tally: try coder.field(\.tally), recorded: try coder.field(\.recorded))
    }
}

extension CommitmentView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        let commitment = Self(project: try coder.field(\.project), fund: try coder.field(\.fund),
                              instrument: try coder.field(\.instrument), decisions: try coder.field(\.decisions),
                              acts: try coder.field(\.acts), amount: try coder.field(\.amount),
                              disbursedSeen: try coder.field(\.disbursedSeen), tranches: try coder.field(\.tranches),
                              cancelledSeen: try coder.field(\.cancelledSeen), made: try coder.field(\.made),
                              committed: try coder.field(\.committed), disbursed: try coder.field(\.disbursed),
                              repaid: try coder.field(\.repaid), writtenOff: try coder.field(\.writtenOff),
                              cancelled: try coder.field(\.cancelled), disbursements: try coder.field(\.disbursements))
        try coder.check(commitment.acts.count == commitment.decisions.count, "commitment's acts")
        return commitment
    }
}

extension DisbursementView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(commitment: try coder.field(\.commitment),
             tranche: try coder.field(\.tranche, in: 0...(FundState.tranchesMax - 1), "tranche"),
             amount: try coder.field(\.amount), stage: try coder.field(\.stage), requested: try coder.field(\.requested),
             approved: try coder.field(\.approved), executed: try coder.field(\.executed), rejected: try coder.field(\.rejected),
             reference: try coder.field(\.reference))
    }
}

extension ContributionView: CompactFields {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        Self(party: try coder.field(\.party), fund: try coder.field(\.fund), instrument: try coder.field(\.instrument),
             amount: try coder.field(\.amount), stamp: try coder.field(\.stamp))
    }
}

extension Projections: CompactFields {
    /// One interned block (CompactWriter.interned): identifiers and vocabulary recur by the
    /// thousand (members, electorates, votes), and the block holds each text once.
    public static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
        try coder.internedBlock { (coder) throws(CompactError) in
            var views = Projections()
            try coder.field(\.ledger, into: &views)
            try coder.field(\.recordsSeen, into: &views)
            try coder.field(\.recordsCounted, into: &views)
            try coder.field(\.operators, into: &views)
            try coder.field(\.territories, into: &views)
            try coder.field(\.funds, into: &views)
            try coder.field(\.parties.recent, into: &views)
            try coder.field(\.bodies, into: &views)
            try coder.field(\.projects.recent, into: &views)
            // Of the bulk tables (parties, projects, ballots, decisions, commitments,
            // disbursements, contributions, statements), only the recent parts: their base is a
            // file of its own (BulkMap).
            try coder.field(\.ballots.recent, into: &views)
            try coder.field(\.decisions.recent, into: &views)
            try coder.field(\.commitments.recent, into: &views)
            try coder.field(\.disbursements.recent, into: &views)
            try coder.field(\.contributions.recent, into: &views)
            try coder.field(\.statements.recent, into: &views)
            try coder.field(\.flows, into: &views)
            return views
        }
    }
}
