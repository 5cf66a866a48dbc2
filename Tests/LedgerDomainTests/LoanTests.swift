import LedgerJSON
import Testing
@testable import LedgerDomain

/// Loans the fund made: I9 (repayments, write-offs) and I4 (write-offs need a decision).
@Suite struct LoanTests {
    /// C-1 fully disbursed: 30,000 outstanding.
    static func disbursed() -> Fold {
        var fold = Fold.committed()
        fold.accept(E.request("DSB-1", amount: eur(20_000)))
        fold.accept(E.request("DSB-2", tranche: 2, amount: eur(10_000)))
        for id in ["DSB-1", "DSB-2"] {
            fold.accept(E.approve(id))
            fold.accept(E.execute(id, ref: "OUT-\(id)"))
        }
        return fold
    }

    @Test func repaymentsReturnToTheFundUpToWhatIsOutstanding() {
        var fold = Self.disbursed()
        fold.accept(E.repayment("C-1", amount: eur(10_000), ref: "ECH-1"))
        #expect(fold.balances("citizens").cash == Money(minorUnits: 4_000_000))
        #expect(fold.state.loansOutstanding == Money(minorUnits: 2_000_000))
        let message = fold.refuse("I9.repayment-outstanding", E.repayment("C-1", amount: eur(20_001), ref: "ECH-2"))
        #expect(message.contains("20 000.00 EUR outstanding"))
        fold.refuse("I14.reference-unique", E.repayment("C-1", amount: eur(1), ref: "ECH-1"))
        fold.refuse("I0.unknown-reference", E.repayment("C-404", amount: eur(1), ref: "ECH-2"))
        fold.accept(E.repayment("C-1", amount: eur(20_000), ref: "ECH-2"))
    }

    @Test func nothingIsRepaidBeforeItIsDisbursed() {
        var fold = Fold.committed()
        fold.refuse("I9.repayment-outstanding", E.repayment("C-1", amount: eur(1), ref: "ECH-1"))
    }

    @Test func onlyLoansAreRepaid() {
        var fold = Fold.world()
        fold.decide("D-2", ballot: "B-2", motion: E.fundProject("PRJ-2", fund: "citizens", amount: eur(10_000)))
        fold.accept(E.commitment("C-2", decision: "D-2", project: "PRJ-2", tranches: [10_000]))
        fold.refuse("I9.not-a-loan", E.repayment("C-2", amount: eur(1), ref: "ECH-1"))
    }

    @Test func aWriteOffNeedsItsDecisionAndAnOutstandingLoan() {
        var fold = Self.disbursed()
        fold.refuse("I4.decision-motion", E.writeOff("C-1", decision: "D-1", amount: eur(1)))
        fold.decide("D-W", ballot: "B-W", motion: E.motion("write_off", commitment: "C-1", amount: eur(15_000)))
        fold.refuse("I4.decision-amount", E.writeOff("C-1", decision: "D-W", amount: eur(15_001)))
        fold.accept(E.repayment("C-1", amount: eur(20_000), ref: "ECH-1"))
        fold.refuse("I9.write-off-outstanding", E.writeOff("C-1", decision: "D-W", amount: eur(15_000)))
        fold.accept(E.writeOff("C-1", decision: "D-W", amount: eur(10_000)))
        #expect(fold.state.loansOutstanding == Money.zero)
        #expect(fold.balances("citizens").writtenOff == Money(minorUnits: 1_000_000))
        fold.refuse("I4.decision-used", E.writeOff("C-1", decision: "D-W", amount: eur(1)))
    }

    @Test func aWriteOffOnARejectedDecisionIsRefused() {
        var fold = Self.disbursed()
        fold.decide("D-W", ballot: "B-W", motion: E.motion("write_off", commitment: "C-1", amount: eur(5_000)),
                    votes: [("P-1", "against"), ("P-2", "against"), ("P-3", "for"), ("P-4", "against")])
        fold.refuse("I4.decision-adopted", E.writeOff("C-1", decision: "D-W", amount: eur(5_000)))
    }
}
