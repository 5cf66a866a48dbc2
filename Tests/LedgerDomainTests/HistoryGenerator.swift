import LedgerCore
import LedgerJSON
import Testing
@testable import LedgerDomain

/// Builds a random history that obeys every rule, one event at a time, from the world of
/// `Fold.world()`. It reads the fold's own state to choose valid values (always through sorted
/// keys: dictionary order differs between runs, the generator must not).
struct HistoryGenerator {
    var random: SeededGenerator
    var fold = Fold.world()
    var records: [Record] = []
    var today = CalendarDate("2024-06-01")!
    var counter = 0

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    mutating func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)G-\(counter)"  // never one of the world's own identifiers
    }

    mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int.random(in: 0..<items.count, using: &random)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
    mutating func cents(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &random) }

    /// Applies an event that must be valid; a refusal is a failure of the property.
    @discardableResult
    mutating func emit(_ event: Ev, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        fold.effective = today.description
        let record = fold.record(event)
        do throws(RuleViolation) {
            try fold.apply(event)
            records.append(record)
            return true
        } catch {
            Issue.record("a valid \(event.type) was refused: \(error)\n\(event.payload)", sourceLocation: sourceLocation)
            return false
        }
    }

    mutating func step() {
        if chance(20) { today = CalendarDate(daysSinceEpoch: today.daysSinceEpoch + 1)! }
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<6: newParty()
        case 6..<30: contribution()
        case 30..<35: project()
        case 35..<38: member()
        case 38..<40: interest()
        case 40..<52: ballot()
        case 52..<60: commitment()
        case 60..<72: request()
        case 72..<80: approve()
        case 80..<88: execute()
        case 88..<90: reject()
        case 90..<93: repayment()
        case 93..<96: reversal()
        case 96..<98: lenderRepayment()
        case 98: closePeriod()
        default: emit(E.note("note \(counter)").by(pick([Op.clerk, Op.treasurer, Op.secretary, Op.admin])!))
        }
    }

    var persons: [String] { fold.state.parties.all.filter { $0.value == .person }.map(\.key.text).sorted() }
    func parties(_ kind: PartyKind) -> [String] { fold.state.parties.all.filter { $0.value == kind }.map(\.key.text).sorted() }

    mutating func newParty() {
        let kind = pick(PartyKind.allCases)!
        emit(E.party(fresh("P"), kind.rawValue).by(pick([Op.clerk, Op.secretary])!))
    }

    mutating func contribution() {
        let (fund, kind, instruments): (String, PartyKind, [String]) = pick([
            ("citizens", .person, ["donation", "membership_fee"]),
            ("financial", .financialActor, ["loan_received", "investment", "titre_associatif", "apport"]),
            ("public", .publicActor, ["subsidy", "loan_received"]),
        ])!
        guard let party = pick(parties(kind)) else { return }
        let amount = fund == "citizens" ? cents(500...50_000) : cents(1_000_000...50_000_000)
        emit(E.contribution(fresh("VIR"), party: party, fund: fund, instrument: pick(instruments)!, amount: .integer(amount))
            .by(pick([Op.treasurer, Op.clerk])!))
    }

    mutating func project() {
        guard let organisation = pick(parties(.organisation)) else { return }
        emit(E.project(fresh("PRJ"), organisation: organisation, territory: pick(["FR-75", "FR-IDF", "FR-BRE", "FR"])!,
                       instrument: pick(["grant", "loan", "investment"])!, amount: .integer(cents(100_000...5_000_000))))
    }

    mutating func member() {
        let members = fold.state.bodies[BodyID("AG")!]!.members
        if chance(25) && members.count > 4 {
            emit(E.removeMember("AG", pick(members.map(\.text).sorted())!))
            return
        }
        guard let party = pick(persons.filter { !members.contains(PartyID($0)!) }) else { return }
        emit(E.member("AG", party))
    }

    mutating func interest() {
        guard let party = pick(persons), let project = pick(fold.state.projects.all.keys.map(\.text).sorted()) else { return }
        guard !fold.state.projects[ProjectID(project)!]!.interested.contains(PartyID(party)!) else { return }
        emit(E.interest(party, project))
    }

    mutating func closePeriod() {
        let through = CalendarDate(daysSinceEpoch: today.daysSinceEpoch - 1)!
        if let closed = fold.state.closedThrough, through <= closed { return }
        emit(E.close(through: through.description))
    }
}
