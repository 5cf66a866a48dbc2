import LedgerCore
import LedgerJSON
import Testing
@testable import LedgerDomain

/// Properties over random histories: every valid history folds (and folds again to the same
/// state), and a rule-breaking event injected anywhere is refused by the rule it breaks.
@Suite struct PropertyTests {
    static let seeds: [UInt64] = Array(1...24)

    @Test(arguments: seeds)
    func validHistoriesAreAccepted(_ seed: UInt64) {
        var generator = HistoryGenerator(seed: seed)
        for _ in 0..<600 { generator.step() }
        #expect(generator.records.count > 300)
        let types = Set(generator.records.map(\.type))
        #expect(types.count >= 22, "the generator exercised only \(types.sorted())")
        // The fold is a function of the records: replaying them gives the same state.
        var replay = Fold.world()
        for record in generator.records {
            do throws(RuleViolation) { try replay.state.apply(record) } catch {
                Issue.record("replay refused seq \(record.seq): \(error)")
                return
            }
        }
        #expect(replay.state == generator.fold.state)
    }

    @Test(arguments: seeds)
    func ruleBreakingEventsAreAlwaysRefused(_ seed: UInt64) {
        var generator = HistoryGenerator(seed: seed &* 1_000_003)
        var refusals = 0
        for step in 0..<600 {
            generator.step()
            guard step % 7 == 0 else { continue }
            let candidates = Breakers.applicable(to: generator)
            guard let breaker = generator.pick(candidates) else { continue }
            generator.fold.effective = generator.today.description
            let (rule, event, date) = breaker
            generator.fold.refuse(rule, event, on: date)
            refusals += 1
        }
        #expect(refusals > 60)
    }
}

/// Events that break one named rule, built against the current state.
enum Breakers {
    typealias Breaker = (rule: String, event: Ev, date: String?)

    static func applicable(to generator: HistoryGenerator) -> [Breaker] {
        let state = generator.fold.state
        var breakers: [Breaker] = [
            ("E0.unknown-type", Ev("donation.made", [("amount", 5)], actor: Op.treasurer), nil),
            ("A1.operator-unknown", E.note("x").by("OP-GHOST"), nil),
            ("A2.role-forbidden", E.note("x").by(Op.auditor), nil),
            ("S.payload", E.contribution("VIR-NEW").with("email", "someone@example.org"), nil),
            ("M1.amount-positive", E.contribution("VIR-NEW", amount: 0), nil),
            ("M2.overflow", E.contribution("VIR-NEW", amount: .integer(Money.max.minorUnits)), nil),
            ("I0.unknown-reference", E.contribution("VIR-NEW", party: "P-GHOST"), nil),
            ("I0.duplicate-id", E.party("P-1"), nil),
            ("I3.instrument-accepted", E.contribution("VIR-NEW", party: "STATE-1", instrument: "subsidy"), nil),
            ("I14.reference-unique", E.contribution("DON-1"), nil),
            ("A2.role-forbidden", E.execute("DSB-ANY", ref: "OUT-NEW").by(Op.clerk), nil),
        ]
        if let closed = state.closedThrough {
            breakers.append(("I10.closed-period", E.note("late"), closed.description))
        }
        let sortedBallots = state.ballots.all.keys.sorted()
        if let ballot = sortedBallots.first(where: { state.ballots[$0]!.isClosed }) {
            breakers.append(("I6.ballot-closed", E.vote(ballot.text, "P-1"), nil))
        }
        if let ballot = sortedBallots.first(where: { !state.ballots[$0]!.isClosed }) {
            breakers.append(("I6.electorate", E.vote(ballot.text, "ORG-1"), nil))
        }
        let commitments = state.commitments.all.keys.sorted()
        if let id = commitments.first(where: { !state.commitments[$0]!.isCancelled }) {
            let entry = state.commitments[id]!
            let remaining = entry.tranches[0].minorUnits - entry.trancheTaken[0].minorUnits
            breakers.append(("I2.tranche-remaining", E.request("DSB-NEW", commitment: id.text, amount: .integer(remaining + 1)), nil))
        }
        if let id = commitments.first(where: { state.commitments[$0]!.instrument == .loan }) {
            let outstanding = state.commitments[id]!.outstanding.minorUnits
            breakers.append(("I9.repayment-outstanding", E.repayment(id.text, amount: .integer(outstanding + 1), ref: "ECH-NEW"), nil))
        }
        let requested = state.disbursements.all.keys.sorted().first { id in
            let entry = state.disbursements[id]!
            return entry.status == .requested && entry.requester.text == Op.treasurer && !state.commitments[entry.commitment]!.isCancelled
        }
        if let id = requested { breakers.append(("I5.four-eyes", E.approve(id.text).by(Op.treasurer), nil)) }
        if let original = state.contributionReferences.first {
            let remaining = state.contribution(original)!.remaining.minorUnits
            breakers.append(("I9.reversal-remaining", E.reversal(of: original.text, amount: .integer(remaining + 1), ref: "REMB-NEW"), nil))
        }
        return breakers
    }
}
