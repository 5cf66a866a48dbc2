import LedgerJSON
import Testing
@testable import LedgerDomain

/// Commitments: I4 (decision link), I2 (available money, tranche plans, amendments).
@Suite struct CommitmentTests {
    @Test func aCommitmentReservesAvailableMoney() {
        let fold = Fold.committed()
        let balances = fold.balances("citizens")
        #expect(balances.cash == Money(minorUnits: 6_000_000))
        #expect(balances.reserved == Money(minorUnits: 3_000_000))
        #expect(balances.available == Money(minorUnits: 3_000_000))
    }

    @Test func aDecisionBacksOneCommitment() {
        var fold = Fold.committed()
        fold.refuse("I4.decision-used", E.commitment("C-2", decision: "D-1", tranches: [1_000]))
        fold.refuse("I0.duplicate-id", E.commitment("C-1", decision: "D-1", tranches: [1_000]))
        fold.refuse("I0.unknown-reference", E.commitment("C-2", decision: "D-404", tranches: [1_000]))
    }

    @Test func aCommitmentIsWhatWasDecided() {
        var fold = Fold.world()
        fold.decide("D-1", ballot: "B-1", motion: E.fundProject("PRJ-1", fund: "citizens", amount: eur(30_000)))
        fold.refuse("I4.decision-amount", E.commitment("C-1", decision: "D-1", tranches: [20_000, 10_001]))
        fold.refuse("I4.decision-motion", E.commitment("C-1", decision: "D-1", project: "PRJ-2", tranches: [1_000]))
        fold.refuse("I4.decision-motion", E.commitment("C-1", decision: "D-1", fund: "financial", tranches: [1_000]))
        fold.accept(E.commitment("C-1", decision: "D-1", tranches: [25_000]))
    }

    @Test func aTranchePlanAddsUpToTheCommitment() {
        var fold = Fold.world()
        fold.decide("D-1", ballot: "B-1", motion: E.fundProject("PRJ-1", fund: "citizens", amount: eur(30_000)))
        fold.refuse("I2.tranche-plan", E.commitment("C-1", decision: "D-1", tranches: [20_000, 10_000]).with("amount", eur(29_000)))
        fold.refuse("I2.tranche-plan", E.commitment("C-1", decision: "D-1", tranches: []).with("amount", eur(1_000)))
        fold.refuse("I2.tranche-plan", E.commitment("C-1", decision: "D-1", tranches: Array(repeating: 1_000, count: 25)))
        fold.refuse("M1.amount-positive", E.commitment("C-1", decision: "D-1", tranches: [30_000, 0]))
        fold.accept(E.commitment("C-1", decision: "D-1", tranches: Array(repeating: 1_000, count: 24)))
    }

    @Test func aFundNeverCommitsMoreThanItHasFree() {
        var fold = Fold.committed()  // citizens: 30,000 free
        fold.decide("D-2", ballot: "B-2", motion: E.fundProject("PRJ-1", fund: "citizens", amount: eur(40_000)))
        let message = fold.refuse("I2.available", E.commitment("C-2", decision: "D-2", tranches: [30_001]))
        #expect(message.contains("30 000.00 EUR"))
        fold.accept(E.commitment("C-2", decision: "D-2", tranches: [30_000]))
        #expect(fold.balances("citizens").available == Money.zero)
    }

    @Test func anAmendmentFollowsItsDecision() {
        var fold = Fold.committed()
        fold.decide("D-A", ballot: "B-A", motion: E.motion("amend_commitment", commitment: "C-1", amount: eur(35_000)))
        fold.refuse("I4.decision-amount", E.amend("C-1", decision: "D-A", tranches: [20_000, 14_000]))
        fold.refuse("I4.decision-motion", E.amend("C-1", decision: "D-1", tranches: [35_000]))
        fold.refuse("I0.unknown-reference", E.amend("C-404", decision: "D-A", tranches: [35_000]))
        fold.accept(E.amend("C-1", decision: "D-A", tranches: [20_000, 10_000, 5_000]))
        #expect(fold.balances("citizens").reserved == Money(minorUnits: 3_500_000))
        fold.refuse("I4.decision-used", E.amend("C-1", decision: "D-A", tranches: [35_000]))
    }

    @Test func anAmendmentNeverGoesBelowWhatIsTaken() {
        var fold = Fold.committed()
        fold.accept(E.request("DSB-1", tranche: 2, amount: eur(8_000)))
        fold.decide("D-A", ballot: "B-A", motion: E.motion("amend_commitment", commitment: "C-1", amount: eur(25_000)))
        fold.refuse("I2.below-disbursed", E.amend("C-1", decision: "D-A", tranches: [25_000]))
        fold.refuse("I2.below-disbursed", E.amend("C-1", decision: "D-A", tranches: [18_000, 7_000]))
        fold.accept(E.amend("C-1", decision: "D-A", tranches: [17_000, 8_000]))
        #expect(fold.balances("citizens").reserved == Money(minorUnits: 2_500_000))
    }

    @Test func anIncreaseNeedsAvailableMoney() {
        var fold = Fold.committed()  // 30,000 free
        fold.accept(E.project("PRJ-3", amount: eur(90_000)))
        fold.decide("D-1b", ballot: "B-1b", motion: E.fundProject("PRJ-3", fund: "citizens", amount: eur(20_000)))
        fold.accept(E.commitment("C-3", decision: "D-1b", project: "PRJ-3", tranches: [20_000]))
        fold.decide("D-A", ballot: "B-A", motion: E.motion("amend_commitment", commitment: "C-3", amount: eur(30_001)))
        fold.refuse("I2.available", E.amend("C-3", decision: "D-A", tranches: [30_001]))
    }

    @Test func aCancellationReleasesTheReservation() {
        var fold = Fold.committed()
        fold.accept(E.request("DSB-1", amount: eur(5_000)))
        fold.accept(E.approve("DSB-1"))
        fold.accept(E.execute("DSB-1", ref: "VIR-OUT-1"))
        fold.decide("D-X", ballot: "B-X", motion: E.motion("cancel_commitment", commitment: "C-1"))
        fold.refuse("I4.decision-motion", E.cancel("C-1", decision: "D-1"))
        fold.accept(E.cancel("C-1", decision: "D-X"))
        let balances = fold.balances("citizens")
        #expect(balances.reserved == Money.zero)
        #expect(balances.available == Money(minorUnits: 5_500_000))
        fold.refuse("I4.commitment-state", E.cancel("C-1", decision: "D-X"))
        fold.refuse("I4.commitment-state", E.request("DSB-2", amount: eur(1)))
    }
}
