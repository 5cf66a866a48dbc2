import LedgerCore
import LedgerJSON

/// What people read, folded from the log: balances by fund, pool, instrument, territory and
/// year; projects and their tranches; contributors' statements; every ballot with its electorate
/// and votes; and the links an audit trail follows (disbursement → commitment → decision →
/// ballot). A pure, deterministic fold, never stored as truth: a snapshot of it is a cache.
///
/// Bitemporal (Specs/reports.md, section 2): every record up to the cut is *seen*, so every
/// identifier resolves as the log defines it, but only *counted* records (effective on or before
/// the as-of date, when there is one) change amounts, votes and what is listed. Without an
/// as-of date every record counts.
///
/// The fold trusts the rules' verdict (`FundState` checks every record first); it never traps
/// on a record it cannot place, it ignores it, so a projection can be folded on its own. An
/// entity a record creates (a party, project, ballot, decision, commitment, disbursement, or a
/// contribution under its reference) is added without looking for it first: the rules refuse
/// an identifier or a reference already used, and looking would read the snapshot's base (a
/// page of its filters or rows for every new key: half of the projections' fold onto a
/// snapshot thousands of records behind).
public struct Projections: Sendable, Equatable {
    /// Bumped whenever what the projections hold, or mean, changes (snapshots are then rebuilt).
    /// 4: the founding administrator (the genesis actor) is an operator of the directory;
    /// 5: ballots, decisions and disbursements are bulk tables; 6: parties, projects and
    /// commitments too.
    public static let layoutVersion = 6

    /// The parts of the projections a fold keeps beyond what every report reads (the ledger,
    /// the directory, projects, commitments, disbursements, contributions, the money flows). A
    /// reader that prints none of a part may fold the log without it: `balances` by fund keeps
    /// none of them (a statement line for each of a million contributions, each ballot and its
    /// votes, were a third of its rebuild's memory, never read). A snapshot holds every part,
    /// and only a fold that keeps every part is saved.
    public struct Parts: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Each party's statement lines (`party statement`, an audit of a party).
        public static let statements = Parts(rawValue: 1 << 0)
        /// Ballots (their motions and outcomes) and decisions, and what they give projects (the
        /// amounts approved, the ballots on each): the project reports, `balances --by
        /// territory`, audits.
        public static let governance = Parts(rawValue: 1 << 1)
        /// With `governance`, each ballot's electorate, votes, proxies and recusals (`ballots`).
        public static let ballotDetail = Parts(rawValue: 1 << 2)
        public static let all: Parts = [.statements, .governance, .ballotDetail]
    }

    /// What this fold keeps (`Parts`): every part, unless a report asked for less. Not saved:
    /// a snapshot's projections have every part.
    public internal(set) var parts = Parts.all

    public internal(set) var ledger: LedgerInfo?
    /// Records seen (the genesis record included), and how many of them counted.
    public internal(set) var recordsSeen: UInt64 = 0
    public internal(set) var recordsCounted: UInt64 = 0

    var operators: [OperatorID: OperatorView] = [:]
    var territories: [TerritoryCode: TerritoryView] = [:]
    var funds: [FundID: FundView] = [:]
    var parties = BulkMap<PartyKindTag, PartyView>(.partyViews)
    var bodies: [BodyID: BodyView] = [:]
    var projects = BulkMap<ProjectKind, ProjectView>(.projectViews)
    /// Bulk tables, like the rules' ones (with the parties, projects and commitments above): a
    /// report reads the entities it prints, not all of them.
    var ballots = BulkMap<BallotKind, BallotView>(.ballotViews)
    var decisions = BulkMap<DecisionKind, DecisionView>(.decisionViews)
    var commitments = BulkMap<CommitmentKind, CommitmentView>(.commitmentViews)
    var disbursements = BulkMap<DisbursementKind, DisbursementView>(.disbursementViews)
    /// Contributions by their bank reference (what reversals and repayments cite). A bulk
    /// table, like the statements: read in place from a snapshot's base file, not loaded.
    var contributions = BulkMap<ReferenceKind, ContributionView>(.contributions)
    /// Each party's money in and back, in log order (counted records only): their statement.
    var statements = BulkMap<PartyKindTag, [StatementLine]>(.statements)
    /// Money flows at the finest grain the reports group by: fund × effective year × instrument.
    var flows: [FlowKey: Flows] = [:]

    public init() {}

    /// Projections that will keep only `parts` of what they fold (none of it folded yet).
    public init(parts: Parts) { self.parts = parts }

    /// Traps when `part` was not folded: a report that reads it must ask for it (a missing part
    /// would read as empty, a wrong figure).
    func require(_ part: Parts, _ reader: String) {
        precondition(parts.contains(part), "\(reader) reads a part of the projections this fold did not keep")
    }

    /// Folds one record. `counted` is false for a record seen only to resolve identifiers
    /// (effective after the as-of date).
    public mutating func apply(_ record: Record, counted: Bool = true) {
        defer {
            recordsSeen += 1
            if counted { recordsCounted += 1 }
        }
        guard record.seq > 0 else {
            ledger = LedgerInfo(genesis: record.payload)
            if let founder = OperatorID(record.actor) {
                operators[founder] = OperatorView(role: .admin, registered: counted ? Stamp(record) : nil)
            }
            return
        }
        guard let type = EventType(type: record.type) else { return }
        let change = Change(record: record, type: type, counted: counted, fields: Fields(record.payload))
        switch type {
        case .genesis, .noteRecorded, .periodClosed, .operatorKeyRotated: break
        case .operatorRegistered, .operatorRevoked: applyOperator(change)
        case .partyRegistered: applyParty(change)
        case .interestDeclared: applyInterest(change)
        case .territoryDefined: applyTerritory(change)
        case .fundOpened: applyFund(change)
        case .bodyConstituted: applyBody(change)
        case .memberAdded, .memberRemoved: applyMembership(change)
        case .contributionRecorded: applyContribution(change)
        case .contributionReversed, .lenderRepaid: applyMoneyBack(change)
        case .projectApplied: applyProject(change)
        case .ballotOpened: applyBallotOpened(change)
        case .proxyGranted, .recusalRecorded, .voteCast, .ballotClosed: applyBallotEvent(change)
        case .decisionRecorded: applyDecision(change)
        case .commitmentMade: applyCommitmentMade(change)
        case .commitmentAmended, .commitmentCancelled: applyCommitmentChange(change)
        case .disbursementRequested: applyDisbursementRequested(change)
        case .disbursementApproved, .disbursementRejected, .disbursementExecuted: applyDisbursementStep(change)
        case .repaymentReceived, .loanWrittenOff: applyLoanEvent(change)
        }
    }
}

/// The ledger's name and currency, from its genesis record.
public struct LedgerInfo: Sendable, Equatable {
    public let name: String
    public let origin: String
    public let currency: String
    public let minorUnits: Int
}

// Initialisers in extensions, so that the memberwise ones stay (a snapshot's decoding builds
// these values from their fields).
extension LedgerInfo {
    init(genesis payload: JSONObject) {
        let fields = Fields(payload)
        self.init(name: fields.string("name") ?? "", origin: fields.string("origin") ?? "",
                  currency: fields.string("currency") ?? "", minorUnits: Int(fields.integer("minor_units") ?? 2))
    }
}

/// Where and when something happened: the record's sequence number and its effective date
/// (as days since 1970-01-01, so a stamp is two integers).
public struct Stamp: Sendable, Equatable, Hashable {
    public let seq: UInt64
    let day: Int32

    public var date: CalendarDate { CalendarDate(daysSinceEpoch: Int(day))! }
}

extension Stamp {
    init(_ record: Record) {
        self.init(seq: record.seq, day: Int32(record.effective.daysSinceEpoch))
    }
}

/// A record being folded, with its type resolved and its payload at hand.
struct Change {
    let record: Record
    let type: EventType
    let counted: Bool
    let fields: Fields

    var stamp: Stamp { Stamp(record) }
    var year: Int { record.effective.year }
}

/// Lenient payload access: a member that is missing or of another type reads as nil (the rules
/// have refused such a record already; the projections only skip it).
struct Fields {
    let object: JSONObject

    init(_ object: JSONObject) { self.object = object }

    func value(_ key: String) -> JSONValue? { object.value(exactKey: key) }

    func string(_ key: String) -> String? { value(key)?.stringValue }
    func integer(_ key: String) -> Int64? { value(key)?.integerValue }
    func id<Kind>(_ key: String, _ kind: Kind.Type = Kind.self) -> Identifier<Kind>? { string(key).flatMap { Identifier($0) } }
    func money(_ key: String) -> Money? { integer(key).flatMap { Money(minorUnits: $0) } }
    func choice<Choice: RawRepresentable>(_ key: String) -> Choice? where Choice.RawValue == String {
        string(key).flatMap { Choice(rawValue: $0) }
    }
    func nested(_ key: String) -> Fields? { value(key)?.objectValue.map(Fields.init) }
    func amounts(_ key: String) -> [Money]? {
        guard let items = value(key)?.arrayValue else { return nil }
        let amounts = items.compactMap { $0.integerValue.flatMap { Money(minorUnits: $0) } }
        return amounts.count == items.count ? amounts : nil
    }
}
