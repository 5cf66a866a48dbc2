import LedgerCore
import LedgerCrypto
import LedgerJSON
import Testing
@testable import LedgerDomain

/// One value of each type the compact encoding writes (Compact.swift), every case of each enum,
/// and within a value a different number in each field of one type, so that two fields swapped
/// in the encoding cannot read back equal. Sets and dictionaries hold several members: they are
/// written in ascending order, so their bytes are the same from run to run.
struct CompactSample: CustomTestStringConvertible, Sendable {
    let name: String
    let write: @Sendable (inout CompactWriter) -> Void
    /// Reads a value of the sample's type and says whether it equals the sample.
    let readsBack: @Sendable (inout CompactReader) throws(CompactError) -> Bool

    init<Value: CompactCodable & Equatable & Sendable>(_ name: String, _ value: Value) {
        self.name = name
        write = { $0.write(value) }
        readsBack = { (reader) throws(CompactError) in try reader.read(Value.self) == value }
    }

    var testDescription: String { name }

    /// The sample written alone (identifiers and words as strings) or in an interned block.
    func encoded(inBlock: Bool) -> [UInt8] {
        var writer = CompactWriter()
        if inBlock { writer.writeInternedBlock { write(&$0) } } else { write(&writer) }
        return writer.bytes
    }

    /// Reads `bytes` as `encoded(inBlock:)` wrote them: throws, or says whether the value is the sample.
    func readsBack(_ bytes: [UInt8], inBlock: Bool) throws(CompactError) -> Bool {
        var reader = CompactReader(bytes: bytes)
        let outer = inBlock ? try reader.enterInternedBlock() : nil
        let equal = try readsBack(&reader)
        if inBlock { reader.leaveInternedBlock(restoring: outer) }
        return equal && reader.isAtEnd
    }
}

enum Samples {
    static func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits)! }
    static func id<Kind>(_ text: String) -> Identifier<Kind> { Identifier(text)! }

    /// A stamp of record `seq`, effective on `date`.
    static func stamp(_ seq: UInt64, _ date: String) -> Stamp {
        var fold = Fold()
        fold.seq = seq
        return Stamp(fold.record(E.note("stamped"), on: date))
    }

    static let rules = BodyRules(quorum: Fraction(numerator: 1, denominator: 3)!, majority: .twoThirds, abstentions: .counted,
                                 blanks: .excluded, proxiesMax: 2, amountMax: money(9_000_000))

    static let tally: Tally = {
        var tally = Tally()
        (tally.votesFor, tally.against, tally.abstain, tally.blank) = (7, 6, 5, 4)
        (tally.electorate, tally.recused, tally.byProxy) = (30, 2, 1)
        return tally
    }()

    static let motions: [Motion] = [
        .fundProject(project: id("PRJ-1"), fund: id("citizens"), amount: money(500)),
        .amendCommitment(commitment: id("C-1"), amount: money(600)),
        .cancelCommitment(commitment: id("C-2")),
        .writeOff(commitment: id("C-3"), amount: money(700)),
        .resolution,
    ]

    static let balances: FundBalances = {
        var balances = FundBalances()
        (balances.received, balances.reversed, balances.disbursed) = (money(11), money(12), money(13))
        (balances.repaymentsReceived, balances.lendersRepaid, balances.writtenOff) = (money(14), money(15), money(16))
        (balances.cash, balances.reserved) = (money(17), money(18))
        return balances
    }()

    static let contribution = ContributionEntry(fund: 3, instrument: .apport, amount: money(5_000), returned: money(300))

    static let openBallot: BallotEntry = {
        var ballot = BallotEntry(body: id("AG"), motion: motions[0], project: id("PRJ-1"), rules: rules, electorate: [id("P-1")])
        ballot.votes = [id("P-1"): .against]
        ballot.proxies = [id("P-3"): id("P-1")]
        ballot.proxiesHeld = [id("P-1"): 1]
        ballot.recused = [id("P-4")]
        return ballot
    }()

    static let closedBallot: BallotEntry = {
        var ballot = BallotEntry(body: id("CA"), motion: .resolution, project: nil, rules: rules, electorate: [])
        ballot.closedTally = tally
        ballot.decision = id("D-1")
        return ballot
    }()

    /// RFC 8032's first test key.
    static let key = Ed25519.PublicKey(bytes: Hex.decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")!)!

    static let entities: [CompactSample] = [
        CompactSample("Fraction", Fraction(numerator: 2, denominator: 7)!),
        CompactSample("BodyRules", rules),
        CompactSample("Tally", tally),
        CompactSample("OperatorEntry", OperatorEntry(role: .treasurer, isActive: false)),
        CompactSample("OperatorEntry.keyed", OperatorEntry(role: .clerk, isActive: true, key: key)),
        CompactSample("TerritoryEntry", TerritoryEntry(parent: id("FR"), depth: 2)),
        CompactSample("TerritoryEntry.root", TerritoryEntry(parent: nil, depth: 1)),
        CompactSample("FundBalances", balances),
        CompactSample("FundEntry", FundEntry(name: "Fondation", pool: .citizens, accepts: [.donation], uses: [.grant],
                                             territory: id("FR-75"), number: 19, balances: balances)),
        CompactSample("BodyEntry", BodyEntry(kind: .board, territory: nil, rules: rules, members: [id("P-1")])),
        CompactSample("ProjectEntry", ProjectEntry(organisation: id("ORG-1"), territory: id("FR-75"), instrument: .investment,
                                                   requested: money(123), interested: [id("P-2")])),
        CompactSample("BallotEntry.open", openBallot),
        CompactSample("BallotEntry.closed", closedBallot),
        CompactSample("DecisionEntry", DecisionEntry(ballot: id("B-1"), motion: motions[3], adopted: true, isUsed: true)),
        CompactSample("CommitmentEntry", CommitmentEntry(project: id("PRJ-1"), fund: id("public"), instrument: .loan,
                                                         amount: money(1_000), tranches: [money(600), money(400)],
                                                         trancheTaken: [money(590), money(0)], disbursed: money(580),
                                                         repaid: money(80), writtenOff: money(10), isCancelled: true)),
        CompactSample("DisbursementEntry", DisbursementEntry(commitment: id("C-1"), tranche: 1, amount: money(400),
                                                             requester: id("OP-CLK"), status: .approved)),
        CompactSample("ContributionEntry", contribution),
        CompactSample("ReferenceUse", ReferenceUse(seq: 42, contribution: contribution)),
        CompactSample("ReferenceUse.bare", ReferenceUse(seq: 7, contribution: nil)),
    ] + motions.map { CompactSample("Motion.\($0.kind.rawValue)", $0) }

    static let ledgerInfo = LedgerInfo(genesis: JSONObject([
        ("name", .string("Opération Milliard")), ("origin", .string("ledger.example/fund")), ("currency", .string("EUR")),
        ("minor_units", .integer(3)),
    ]))

    static let statementLine = StatementLine(stamp: stamp(21, "2024-07-02"), kind: .reversal, fund: id("citizens"),
                                             instrument: .donation, amount: money(50), reference: id("REF-1"),
                                             contribution: id("DON-1"), reason: .dispute)

    static let commitmentView = CommitmentView(project: id("PRJ-1"), fund: id("public"), instrument: .investment,
                                               decisions: [id("D-1"), id("D-2")], acts: [10, 20], amount: money(777),
                                               disbursedSeen: money(111), tranches: [money(500), money(277)], cancelledSeen: true,
                                               made: stamp(10, "2024-06-03"), committed: 776, disbursed: 111, repaid: 11,
                                               writtenOff: 1, cancelled: stamp(30, "2024-09-01"), disbursements: [id("DIS-1")])

    static let disbursementView = DisbursementView(commitment: id("C-1"), tranche: 1, amount: money(277), stage: .executed,
                                                   requested: stamp(11, "2024-06-04"), approved: stamp(12, "2024-06-05"),
                                                   executed: stamp(13, "2024-06-06"), rejected: nil, reference: id("REF-9"))

    static let flows: Flows = {
        var flows = Flows()
        (flows.received, flows.reversed, flows.lendersRepaid, flows.committed) = (1, 2, 3, -40)
        (flows.disbursed, flows.repayments, flows.writtenOff) = (5, 6, 7)
        return flows
    }()

    static let views: [CompactSample] = [
        CompactSample("Stamp", stamp(9, "2024-06-01")),
        CompactSample("Stamp.early", stamp(0, "1900-02-28")),
        CompactSample("LedgerInfo", ledgerInfo),
        CompactSample("StatementLine", statementLine),
        CompactSample("StatementLine.contribution", StatementLine(stamp: stamp(5, "2024-06-01"), kind: .contribution,
                                                                  fund: id("public"), instrument: .subsidy, amount: money(70),
                                                                  reference: id("SUB-1"), contribution: nil, reason: nil)),
        CompactSample("FlowInstrument.incoming", FlowInstrument.incoming(.titreAssociatif)),
        CompactSample("FlowInstrument.outgoing", FlowInstrument.outgoing(.loan)),
        CompactSample("FlowKey", FlowKey(fund: id("citizens"), year: 2025, instrument: .outgoing(.grant))),
        CompactSample("Flows", flows),
        CompactSample("OperatorView", OperatorView(role: .clerk, registered: stamp(3, "2024-06-01"), revoked: nil)),
        CompactSample("TerritoryView", TerritoryView(name: "Paris", parent: id("FR-IDF"), listed: true)),
        CompactSample("FundView", FundView(name: "Public", pool: .public, territory: nil, listed: true)),
        CompactSample("PartyView", PartyView(kind: .financialActor, listed: true)),
        CompactSample("BodyView", BodyView(kind: .territorialCommittee, name: "Comité", territory: id("FR-BRE"), rules: rules,
                                           members: [id("P-5")], listed: true)),
        CompactSample("ProjectView", ProjectView(organisation: id("ORG-1"), territory: id("FR-75"), instrument: .grant,
                                                 requested: money(321), listed: true, approved: 300,
                                                 commitments: [id("C-1"), id("C-2")], ballots: [id("B-1")],
                                                 interested: [id("P-1"), id("P-2")])),
        CompactSample("VoteView", VoteView(choice: .blank, seq: 99)),
        CompactSample("BallotView", BallotView(body: id("AG"), motion: motions[0], motionText: "Financer", rules: rules,
                                               electorate: [id("P-1"), id("P-2")], opened: stamp(14, "2024-06-07"),
                                               votes: [id("P-1"): VoteView(choice: .for, seq: 15)], proxies: [id("P-2"): id("P-1")],
                                               recused: [id("P-3")], closed: stamp(16, "2024-06-08"), decision: id("D-1"))),
        CompactSample("DecisionView", DecisionView(ballot: id("B-1"), adopted: false, quorumMet: true, tally: tally,
                                                   recorded: stamp(17, "2024-06-09"))),
        CompactSample("CommitmentView", commitmentView),
        CompactSample("DisbursementView", disbursementView),
        CompactSample("ContributionView", ContributionView(party: id("P-1"), fund: id("citizens"), instrument: .membershipFee,
                                                           amount: money(888), stamp: stamp(18, "2024-06-10"))),
    ]

    /// Every word of every vocabulary, in a fixed order.
    static let vocabularies: [CompactSample] = [
        CompactSample("Role", Role.allCases), CompactSample("PartyKind", PartyKind.allCases), CompactSample("Pool", Pool.allCases),
        CompactSample("Instrument", Instrument.allCases), CompactSample("ProjectInstrument", ProjectInstrument.allCases),
        CompactSample("BodyKind", BodyKind.allCases), CompactSample("Majority", Majority.allCases),
        CompactSample("Counting", Counting.allCases), CompactSample("Choice", Choice.allCases),
        CompactSample("ReversalReason", ReversalReason.allCases), CompactSample("MotionKind", MotionKind.allCases),
        CompactSample("DisbursementStatus", [DisbursementStatus.requested, .approved, .executed, .rejected]),
        CompactSample("DisbursementStage", [DisbursementStage.requested, .approved, .executed, .rejected]),
        CompactSample("StatementLine.Kind", [StatementLine.Kind.contribution, .reversal, .lenderRepayment]),
    ]

    static let standard: [CompactSample] = [
        CompactSample("Int64", [Int64.min, -1, 0, 63, 64, Int64.max]), CompactSample("UInt64", [UInt64(0), 127, 128, UInt64.max]),
        CompactSample("Int32", [Int32.min, Int32.max]), CompactSample("Int", [Int.min, 300]),
        CompactSample("Bool", [true, false]), CompactSample("String", ["", "é€😀"]),
        CompactSample("Optional", [nil, "x"] as [String?]), CompactSample("Set", Set([PartyID("P-2")!, PartyID("P-1")!, PartyID("P-10")!])),
        CompactSample("Dictionary", [FundID("g")!: money(2), FundID("f")!: money(1), FundID("f2")!: money(3)]), CompactSample("Money", [money(0), Money.max]),
    ]

    /// A rules' state with one entry in each table.
    static let fundState: FundState = {
        var state = FundState()
        state.genesis = Genesis(origin: "ledger.example/fund", currency: "EUR", minorUnits: 2, name: "Fonds", key: key.bytes,
                                isSimulated: true)
        state.recordCount = 1_234
        state.closedThrough = CalendarDate("2024-12-31")
        state.operators = [id("OP-CLK"): OperatorEntry(role: .clerk, isActive: true, key: key)]
        state.keyOwners = [Base64.encode(key.bytes): id("OP-CLK")]
        state.parties.recent = [id("P-1"): .person]
        state.territories = [id("FR"): TerritoryEntry(parent: nil, depth: 1)]
        state.fundsByID = [id("citizens"): FundEntry(name: "Fondation", pool: .citizens, accepts: [.donation], uses: [.grant],
                                                     territory: nil, number: 0, balances: balances)]
        state.bodies = [id("AG"): BodyEntry(kind: .generalAssembly, territory: nil, rules: rules, members: [id("P-1")])]
        state.projects.recent = [id("PRJ-1"): ProjectEntry(organisation: id("ORG-1"), territory: id("FR"), instrument: .loan,
                                                    requested: money(10_000), interested: [])]
        state.ballots.recent = [id("B-1"): openBallot]
        state.decisions.recent = [id("D-1"): DecisionEntry(ballot: id("B-0"), motion: motions[0], adopted: true, isUsed: false)]
        state.commitments.recent = [id("C-1"): CommitmentEntry(project: id("PRJ-1"), fund: id("citizens"), instrument: .loan,
                                                        amount: money(500), tranches: [money(500)], trancheTaken: [money(0)])]
        state.disbursements.recent = [id("DIS-1"): DisbursementEntry(commitment: id("C-1"), tranche: 0, amount: money(5),
                                                              requester: id("OP-CLK"), status: .rejected)]
        state.references.setRecent(id("DON-1"), ReferenceUse(seq: 3, contribution: contribution))
        state.contributionCount = 1
        state.idempotencyKeys.setRecent(FundState.idempotencyDigest("bank:VIR-1"), 1_233)
        state.lookAlikes.insert("P-1", in: .parties)   // one entry, as in every table here
        return state
    }()

    /// Projections with one entry in each table, every link landing on an entity.
    static let projections: Projections = {
        var views = Projections()
        views.ledger = ledgerInfo
        (views.recordsSeen, views.recordsCounted) = (40, 38)
        views.operators = [id("OP-CLK"): OperatorView(role: .clerk, registered: stamp(1, "2024-06-01"), revoked: nil)]
        views.territories = [id("FR"): TerritoryView(name: "France", parent: nil, listed: true)]
        views.funds = [id("citizens"): FundView(name: "Fondation", pool: .citizens, territory: nil, listed: true)]
        views.parties.recent = [id("P-1"): PartyView(kind: .person, listed: true)]
        views.bodies = [id("AG"): BodyView(kind: .generalAssembly, name: "AG", territory: nil, rules: rules, members: [id("P-1")])]
        views.projects.recent = [id("PRJ-1"): ProjectView(organisation: id("ORG-1"), territory: id("FR"), instrument: .investment,
                                                   requested: money(900), commitments: [id("C-1")])]
        views.ballots.recent = [id("B-1"): BallotView(body: id("AG"), motion: .resolution, motionText: nil, rules: rules, electorate: [])]
        views.decisions.recent = [id("D-1"): DecisionView(ballot: id("B-1"), adopted: true, quorumMet: true, tally: tally)]
        views.commitments.recent = [id("C-1"): commitmentView]
        views.disbursements.recent = [id("DIS-1"): disbursementView]
        views.contributions.setRecent(id("DON-1"), ContributionView(party: id("P-1"), fund: id("citizens"), instrument: .donation,
                                                                    amount: money(20), stamp: stamp(2, "2024-06-01")))
        views.statements.setRecent(id("P-1"), [statementLine])
        views.flows = [FlowKey(fund: id("citizens"), year: 2024, instrument: .incoming(.donation)): flows]
        return views
    }()

    static let states: [CompactSample] = [CompactSample("FundState", fundState), CompactSample("Projections", projections)]

    static let all: [CompactSample] = entities + views + vocabularies + standard + states
}
