import LedgerCore
import LedgerJSON
import Testing
@testable import LedgerDomain

/// Specs/events.md section 1, step 5: a payload broken anywhere is `S.payload` whatever else is
/// wrong; then an amount that is not positive, anywhere, is `M1.amount-positive`; only then
/// come the event's own rules, in the order of its Rules line.
@Suite struct DecodingOrderTests {
    @Test func aBrokenMemberAnywhereIsSPayloadEvenAfterANonPositiveAmount() {
        var fold = Fold.world()
        // `amount` is decoded before `ref`: the bad ref still wins.
        fold.refuse("S.payload", E.contribution("not an id", amount: eur(0)))
        fold.refuse("S.payload", E.contribution("VIR-1", amount: .integer(-5)).with("party", .integer(3)))
    }

    @Test func aNonPositiveAmountComesBeforeTheEventsRules() {
        var fold = Fold.world()
        // An unknown party (I0.unknown-reference) and a zero amount: M1.
        fold.refuse("M1.amount-positive", E.contribution("VIR-1", party: "P-404", amount: eur(0)))
        // A second non-positive amount does not change the verdict; the message names the first.
        let message = fold.refuse("M1.amount-positive", E.contribution("VIR-1", amount: .integer(-1)))
        #expect(message.contains("-1"))
        // The message names the place, built only once a violation is found.
        #expect(message.hasPrefix("contribution.recorded: amount is -1;"), "\(message)")
        let tranche = fold.refuse("M1.amount-positive", E.project("PRJ-9", amount: 0))
        #expect(tranche.contains("project.applied: amount is 0"), "\(tranche)")
    }

    @Test func aBodysStatutesAreDecodedBeforeTheyAreJudged() {
        var fold = Fold.world()
        fold.refuse("M1.amount-positive", E.body("B-1", rules: E.rules(quorum: (3, 2), amountMax: .integer(-5))))
        fold.refuse("S.payload", E.body("B-1", rules: E.rules(quorum: (1, 0), amountMax: .integer(-5))))
        fold.refuse("S.payload", E.body("B-1", rules: E.rules(quorum: (1, 1_001))))
        fold.refuse("S.payload", E.body("B-1", rules: E.rules(proxiesMax: -1)))
        fold.refuse("I6.body-rules", E.body("B-1", rules: E.rules(quorum: (3, 2))))
        fold.refuse("I6.body-rules", E.body("B-1", rules: E.rules(proxiesMax: 21)))
        // I6.body-rules comes before I0.duplicate-id (the Rules line's order).
        fold.refuse("I6.body-rules", E.body("AG", rules: E.rules(proxiesMax: 21)))
    }

    @Test func aTranchePlanIsJudgedOnceItsAmountsAreDecoded() {
        var fold = Fold.committed()
        let tooMany = Array(repeating: Int64(1), count: 25)
        fold.refuse("M1.amount-positive", E.commitment("C-9", decision: "D-404", tranches: tooMany).with("tranches", .array(tooMany.map(eur) + [.integer(0)])))
        fold.refuse("I2.tranche-plan", E.commitment("C-9", decision: "D-404", tranches: tooMany))
        fold.refuse("I2.tranche-plan", E.commitment("C-9", decision: "D-404", tranches: []).with("amount", eur(1)))
        fold.refuse("S.payload", E.commitment("C-9", decision: "D-404", tranches: [1]).with("tranches", .string("1")))
    }

    @Test func aTrancheNumberOutsideOneToTwentyFourIsSPayload() {
        var fold = Fold.committed()
        for tranche: Int64 in [0, 25] {
            fold.refuse("S.payload", E.request("DSB-9", tranche: tranche, amount: eur(1)))
        }
        // Inside the range but not a tranche of the commitment: a reference to nothing.
        fold.refuse("I0.unknown-reference", E.request("DSB-9", tranche: 24, amount: eur(1)))
    }
}
