import LedgerJSON
import Testing
@testable import LedgerDomain

/// What a ballot may propose: I3 (earmarking) and I4 (competence), checked when it opens.
@Suite struct MotionTests {
    @Test func aFundFinancesOnlyWithTheInstrumentsItMayUse() {
        var fold = Fold.world()
        let message = fold.refuse("I3.earmark-use", E.ballot("B-1", motion: E.fundProject("PRJ-2", fund: "financial", amount: eur(5_000))))
        #expect(message.contains("grant"))
        fold.accept(E.ballot("B-1", motion: E.fundProject("PRJ-2", fund: "citizens", amount: eur(5_000))))
    }

    @Test func aTerritorialFundFinancesOnlyInsideItsTerritory() {
        var fold = Fold.world()
        fold.refuse("I3.earmark-territory", E.ballot("B-1", motion: E.fundProject("PRJ-2", fund: "public", amount: eur(5_000))))
        // FR-75 lies inside FR-IDF.
        fold.accept(E.ballot("B-1", motion: E.fundProject("PRJ-1", fund: "public", amount: eur(5_000))))
    }

    @Test func noMotionGivesAProjectMoreThanItAskedFor() {
        var fold = Fold.world()
        fold.refuse("I4.decision-amount", E.ballot("B-1", motion: E.fundProject("PRJ-1", fund: "citizens", amount: eur(40_001))))
        fold.accept(E.ballot("B-1", motion: E.fundProject("PRJ-1", fund: "citizens", amount: eur(40_000))))
    }

    @Test func aBodyDecidesUpToItsCeiling() {
        var fold = Fold.world()
        fold.accept(E.project("PRJ-3", amount: eur(80_000)))
        let message = fold.refuse("I4.competence-amount", E.ballot("B-1", body: "CT-IDF", motion: E.fundProject("PRJ-3", fund: "citizens", amount: eur(50_001))))
        #expect(message.contains("50 000.00 EUR"))
        fold.accept(E.ballot("B-1", body: "CT-IDF", motion: E.fundProject("PRJ-3", fund: "citizens", amount: eur(50_000))))
        fold.accept(E.ballot("B-2", body: "AG", motion: E.fundProject("PRJ-3", fund: "citizens", amount: eur(80_000))))
    }

    @Test func aTerritorialCommitteeDecidesInsideItsTerritory() {
        var fold = Fold.world()
        fold.refuse("I4.competence-territory", E.ballot("B-1", body: "CT-IDF", motion: E.fundProject("PRJ-2", fund: "citizens", amount: eur(5_000))))
        fold.accept(E.ballot("B-1", body: "CT-IDF", motion: E.fundProject("PRJ-1", fund: "citizens", amount: eur(5_000))))
    }

    @Test func motionsOnCommitmentsNameLiveOnes() {
        var fold = Fold.committed()
        fold.refuse("I0.unknown-reference", E.ballot("B-2", motion: E.motion("amend_commitment", commitment: "C-404", amount: eur(1))))
        fold.refuse("I0.unknown-reference", E.ballot("B-2", motion: E.fundProject("PRJ-404", fund: "citizens", amount: eur(1))))
        fold.refuse("I0.unknown-reference", E.ballot("B-2", motion: E.fundProject("PRJ-1", fund: "fund-404", amount: eur(1))))
        fold.refuse("I4.competence-amount", E.ballot("B-2", body: "CT-IDF", motion: E.motion("amend_commitment", commitment: "C-1", amount: eur(60_000))))
        fold.decide("D-X", ballot: "B-X", motion: E.motion("cancel_commitment", commitment: "C-1"))
        fold.accept(E.cancel("C-1", decision: "D-X"))
        fold.refuse("I4.commitment-state", E.ballot("B-2", motion: E.motion("amend_commitment", commitment: "C-1", amount: eur(1))))
        fold.refuse("I4.commitment-state", E.ballot("B-2", motion: E.motion("cancel_commitment", commitment: "C-1")))
    }

    @Test func onlyLoansAreWrittenOff() {
        var fold = Fold.world()
        fold.decide("D-2", ballot: "B-2", motion: E.fundProject("PRJ-2", fund: "citizens", amount: eur(10_000)))
        fold.accept(E.commitment("C-2", decision: "D-2", project: "PRJ-2", tranches: [10_000]))
        fold.refuse("I9.not-a-loan", E.ballot("B-3", motion: E.motion("write_off", commitment: "C-2", amount: eur(1))))
    }
}
