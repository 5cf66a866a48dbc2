import Testing
@testable import LedgerDomain

/// The statutes' arithmetic: quorum and majorities under each way of counting, by hand.
@Suite struct TallyTests {
    static func rules(_ majority: Majority, quorum: (Int, Int) = (1, 2), abstentions: Counting = .excluded,
                      blanks: Counting = .excluded) -> BodyRules {
        BodyRules(quorum: Fraction(numerator: quorum.0, denominator: quorum.1)!, majority: majority, abstentions: abstentions,
                  blanks: blanks, proxiesMax: 0, amountMax: Money(minorUnits: 1)!)
    }

    static func tally(for votesFor: Int, against: Int, abstain: Int = 0, blank: Int = 0, electorate: Int = 20, recused: Int = 0) -> Tally {
        var tally = Tally()
        tally.votesFor = votesFor
        tally.against = against
        tally.abstain = abstain
        tally.blank = blank
        tally.electorate = electorate
        tally.recused = recused
        return tally
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let rules: BodyRules
        let tally: Tally
        let quorumMet: Bool
        let adopted: Bool
        let name: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(rules: rules(.simple), tally: tally(for: 6, against: 5), quorumMet: true, adopted: true, name: "simple 6-5"),
        Case(rules: rules(.simple), tally: tally(for: 5, against: 5), quorumMet: true, adopted: false, name: "simple tie"),
        Case(rules: rules(.simple), tally: tally(for: 3, against: 2, abstain: 6), quorumMet: true, adopted: true,
             name: "simple ignores abstentions"),
        Case(rules: rules(.absolute), tally: tally(for: 5, against: 4, abstain: 2), quorumMet: true, adopted: true,
             name: "absolute, abstentions excluded"),
        Case(rules: rules(.absolute, abstentions: .counted), tally: tally(for: 5, against: 4, abstain: 2), quorumMet: true,
             adopted: false, name: "absolute, abstentions counted"),
        Case(rules: rules(.absolute, blanks: .counted), tally: tally(for: 6, against: 2, blank: 4), quorumMet: true, adopted: false,
             name: "absolute, blanks counted: 6 of 12"),
        Case(rules: rules(.twoThirds), tally: tally(for: 8, against: 4), quorumMet: true, adopted: true, name: "two thirds exactly"),
        Case(rules: rules(.twoThirds), tally: tally(for: 7, against: 4), quorumMet: true, adopted: false, name: "two thirds missed"),
        Case(rules: rules(.threeQuarters), tally: tally(for: 9, against: 3), quorumMet: true, adopted: true, name: "three quarters exactly"),
        Case(rules: rules(.threeQuarters), tally: tally(for: 8, against: 3), quorumMet: true, adopted: false, name: "three quarters missed"),
        Case(rules: rules(.simple), tally: tally(for: 9, against: 0), quorumMet: false, adopted: false, name: "9 of 20 misses a half"),
        Case(rules: rules(.simple), tally: tally(for: 9, against: 0, recused: 2), quorumMet: true, adopted: true,
             name: "recused members leave the quorum base: 9 of 18"),
        Case(rules: rules(.simple, quorum: (1, 3)), tally: tally(for: 6, against: 0, electorate: 19), quorumMet: false, adopted: false,
             name: "a third of 19 is not 6"),
        Case(rules: rules(.simple, quorum: (0, 1)), tally: tally(for: 0, against: 0), quorumMet: false, adopted: false,
             name: "no participant, no quorum"),
        Case(rules: rules(.twoThirds), tally: tally(for: 0, against: 0, abstain: 10), quorumMet: true, adopted: false,
             name: "only abstentions: nothing counted"),
    ]

    @Test(arguments: cases)
    func outcome(_ example: Case) {
        let outcome = example.rules.outcome(of: example.tally)
        #expect(outcome.quorumMet == example.quorumMet)
        #expect(outcome.adopted == example.adopted)
    }
}
