import LedgerJSON
import Testing
@testable import LedgerDomain

/// Disbursements: I2 (tranches), I5 (four eyes, order), A2 (only a treasurer executes), I14.
@Suite struct DisbursementTests {
    @Test func requestedApprovedExecuted() {
        var fold = Fold.committed()
        fold.accept(E.request("DSB-1", amount: eur(5_000)))
        fold.accept(E.approve("DSB-1"))
        fold.accept(E.execute("DSB-1", ref: "VIR-OUT-1"))
        let balances = fold.balances("citizens")
        #expect(balances.cash == Money(minorUnits: 5_500_000))
        #expect(balances.reserved == Money(minorUnits: 2_500_000))
        #expect(balances.disbursed == Money(minorUnits: 500_000))
    }

    @Test func neverAboveWhatRemainsOfTheTranche() {
        var fold = Fold.committed()  // tranches 20,000 and 10,000
        fold.refuse("I2.tranche-remaining", E.request("DSB-1", amount: eur(20_001)))
        fold.accept(E.request("DSB-1", amount: eur(15_000)))
        let message = fold.refuse("I2.tranche-remaining", E.request("DSB-2", amount: eur(6_000)))
        #expect(message.contains("5 000.00 EUR of 20 000.00 EUR"))
        fold.accept(E.reject("DSB-1"))
        fold.accept(E.request("DSB-2", amount: eur(6_000)))
        fold.refuse("I0.unknown-reference", E.request("DSB-3", tranche: 3, amount: eur(1)))
        fold.refuse("S.payload", E.request("DSB-3", tranche: 0, amount: eur(1)))
        fold.refuse("I0.duplicate-id", E.request("DSB-2", tranche: 2, amount: eur(1)))
        fold.refuse("I0.unknown-reference", E.request("DSB-3", commitment: "C-404", amount: eur(1)))
    }

    @Test func theApproverIsNotTheRequester() {
        var fold = Fold.committed()
        fold.accept(E.request("DSB-1", amount: eur(5_000)).by(Op.treasurer))
        let message = fold.refuse("I5.four-eyes", E.approve("DSB-1").by(Op.treasurer))
        #expect(message.contains(Op.treasurer))
        fold.accept(E.approve("DSB-1").by(Op.treasurer2))
        fold.accept(E.execute("DSB-1", ref: "VIR-OUT-1").by(Op.treasurer))
    }

    @Test func onlyATreasurerExecutes() {
        var fold = Fold.committed()
        fold.accept(E.request("DSB-1", amount: eur(5_000)))
        fold.refuse("A2.role-forbidden", E.approve("DSB-1").by(Op.clerk))
        fold.accept(E.approve("DSB-1"))
        fold.refuse("A2.role-forbidden", E.execute("DSB-1", ref: "VIR-OUT-1").by(Op.secretary))
        fold.refuse("A2.role-forbidden", E.execute("DSB-1", ref: "VIR-OUT-1").by(Op.clerk))
        fold.refuse("A2.role-forbidden", E.execute("DSB-1", ref: "VIR-OUT-1").by(Op.admin))
        fold.accept(E.execute("DSB-1", ref: "VIR-OUT-1").by(Op.treasurer))
    }

    @Test func stepsComeInOrder() {
        var fold = Fold.committed()
        fold.accept(E.request("DSB-1", amount: eur(5_000)))
        fold.refuse("I5.disbursement-state", E.execute("DSB-1", ref: "VIR-OUT-1"))
        fold.accept(E.approve("DSB-1"))
        fold.refuse("I5.disbursement-state", E.approve("DSB-1"))
        fold.refuse("I14.reference-unique", E.execute("DSB-1", ref: "DON-1"))
        fold.accept(E.execute("DSB-1", ref: "VIR-OUT-1"))
        fold.refuse("I5.disbursement-state", E.execute("DSB-1", ref: "VIR-OUT-2"))
        fold.refuse("I5.disbursement-state", E.reject("DSB-1"))
        fold.refuse("I0.unknown-reference", E.approve("DSB-404"))
        fold.refuse("I0.unknown-reference", E.reject("DSB-404"))
    }

    @Test func nothingIsPaidOnACancelledCommitment() {
        var fold = Fold.committed()
        fold.accept(E.request("DSB-1", amount: eur(5_000)))
        fold.accept(E.request("DSB-2", amount: eur(5_000)))
        fold.accept(E.approve("DSB-2"))
        fold.decide("D-X", ballot: "B-X", motion: E.motion("cancel_commitment", commitment: "C-1"))
        fold.accept(E.cancel("C-1", decision: "D-X"))
        fold.refuse("I4.commitment-state", E.approve("DSB-1"))
        fold.refuse("I4.commitment-state", E.execute("DSB-2", ref: "VIR-OUT-2"))
        fold.accept(E.reject("DSB-1"))
    }
}
