import LedgerJSON
import Testing
@testable import LedgerDomain

/// Money in and back out to contributors: M1, M2, I3 (instruments), I9 (reversals, lenders), I14, I2.available.
@Suite struct ContributionTests {
    @Test func aContributionAddsToItsFund() {
        var fold = Fold.world()
        let before = fold.balances("citizens")
        fold.accept(E.contribution("VIR-2024-000123", party: "P-2", amount: 5_000))
        #expect(fold.balances("citizens").cash.minorUnits == before.cash.minorUnits + 5_000)
        #expect(fold.balances("citizens").received.minorUnits == before.received.minorUnits + 5_000)
    }

    @Test(arguments: [JSONValue.integer(0), .integer(-5_000)])
    func amountsArePositive(_ amount: JSONValue) {
        var fold = Fold.world()
        fold.refuse("M1.amount-positive", E.contribution("VIR-1", amount: amount))
    }

    @Test(arguments: [JSONValue.string("50.00"), .bool(true), .array([1])])
    func amountsAreIntegersOfMinorUnits(_ amount: JSONValue) {
        var fold = Fold.world()
        fold.refuse("S.payload", E.contribution("VIR-1", amount: amount))
    }

    @Test func totalsNeverOverflow() {
        var fold = Fold.world()
        let max = JSONValue.integer(Money.max.minorUnits)
        let message = fold.refuse("M2.overflow", E.contribution("VIR-BIG", amount: max))
        #expect(message.contains("citizens"))
        fold.accept(E.contribution("VIR-BIG", party: "P-2", fund: "financial", instrument: "investment",
                                   amount: .integer(Money.max.minorUnits - 10_000_000)))
        fold.refuse("M2.overflow", E.contribution("VIR-BIG-2", party: "P-2", fund: "financial", instrument: "investment", amount: 1))
    }

    @Test func aFundReceivesOnlyWhatItAccepts() {
        var fold = Fold.world()
        fold.refuse("I3.instrument-accepted", E.contribution("SUB-2", party: "STATE-1", instrument: "subsidy"))
        fold.accept(E.contribution("FEE-1", instrument: "membership_fee"))
    }

    @Test func aSubsidyComesFromAPublicActor() {
        var fold = Fold.world()
        let message = fold.refuse("I3.subsidy-public", E.contribution("SUB-2", party: "BANK-1", fund: "public", instrument: "subsidy"))
        #expect(message.contains("financial_actor"))
        fold.accept(E.contribution("SUB-2", party: "STATE-1", fund: "public", instrument: "subsidy"))
    }

    @Test func aBankReferenceAppearsOnce() {
        var fold = Fold.world()
        let message = fold.refuse("I14.reference-unique", E.contribution("DON-1", party: "P-2"))
        #expect(message.contains("DON-1"))
        fold.refuse("I14.reference-unique", E.reversal(of: "DON-1", amount: eur(1), ref: "SUB-1"))
    }

    @Test func contributionsNameKnownPartiesAndFunds() {
        var fold = Fold.world()
        fold.refuse("I0.unknown-reference", E.contribution("VIR-9", party: "P-404"))
        fold.refuse("I0.unknown-reference", E.contribution("VIR-9", fund: "nowhere"))
        fold.refuse("I0.unknown-reference", E.reversal(of: "VIR-404", amount: eur(1), ref: "R-1"))
    }

    @Test func reversalsNeverExceedWhatRemains() {
        var fold = Fold.world()
        fold.accept(E.reversal(of: "DON-1", amount: eur(59_000), ref: "REMB-1"))
        #expect(fold.balances("citizens").cash == Money(minorUnits: 100_000))
        let message = fold.refuse("I9.reversal-remaining", E.reversal(of: "DON-1", amount: eur(1_001), ref: "REMB-2", reason: "duplicate"))
        #expect(message.contains("1 000.00 EUR"))
        fold.accept(E.reversal(of: "DON-1", amount: eur(1_000), ref: "REMB-2", reason: "duplicate"))
        fold.refuse("I9.reversal-remaining", E.reversal(of: "DON-1", amount: 1, ref: "REMB-3"))
        fold.refuse("S.payload", E.reversal(of: "DON-1", amount: 1, ref: "REMB-3", reason: "whim"))
    }

    @Test func moneyCommittedCannotBeRefunded() {
        var fold = Fold.committed()  // 60,000 in, 30,000 reserved
        let message = fold.refuse("I2.available", E.reversal(of: "DON-1", amount: eur(30_001), ref: "REMB-1"))
        #expect(message.contains("30 000.00 EUR"))
        fold.accept(E.reversal(of: "DON-1", amount: eur(30_000), ref: "REMB-1"))
        #expect(fold.balances("citizens").available == Money.zero)
        fold.refuse("I2.available", E.reversal(of: "DON-1", amount: 1, ref: "REMB-2"))
    }

    /// An entry error taken back (a donation of 60,000 that was 10,000): from version 2 a
    /// correction goes through though the money was promised, leaving the fund over-committed;
    /// then nothing is promised or paid beyond its cash.
    @Test func aCorrectionMayLeaveTheFundOverCommitted() throws {
        var fold = Fold.committed()  // 60,000 in, 30,000 reserved by C-1 (20,000 + 10,000)
        fold.refuse("I2.available", E.reversal(of: "DON-1", amount: eur(50_000), ref: "COR-1", reason: "refund"))
        fold.accept(E.reversal(of: "DON-1", amount: eur(50_000), ref: "COR-1", reason: "correction"))
        let balances = fold.balances("citizens")
        #expect(balances.cash == Money(minorUnits: 1_000_000) && balances.available == .zero)
        #expect(balances.overCommitted == Money(minorUnits: 2_000_000))
        fold.refuse("I2.available", E.reversal(of: "DON-1", amount: eur(1), ref: "REMB-1"))
        // A committed disbursement is paid from cash: 20,000 is more than the fund holds now.
        fold.accept(E.request("DSB-1", amount: eur(20_000)))
        fold.accept(E.approve("DSB-1"))
        let message = fold.refuse("I2.available", E.execute("DSB-1", ref: "VIR-OUT-1"))
        #expect(message.contains("cash (10 000.00 EUR)"), "\(message)")
        fold.accept(E.reject("DSB-1"))
        fold.accept(E.request("DSB-2", amount: eur(10_000)))
        fold.accept(E.approve("DSB-2"))
        fold.accept(E.execute("DSB-2", ref: "VIR-OUT-2"))
        #expect(fold.balances("citizens").cash == .zero)
        // A correction never takes more than the cash: 10,000 of DON-1 remains, the fund holds nothing.
        let correction = fold.refuse("I2.available", E.reversal(of: "DON-1", amount: eur(10_000), ref: "COR-2", reason: "correction"))
        #expect(correction.contains("cash (0.00 EUR)"), "\(correction)")
    }

    /// Version 1 had no such path: a correction there is checked like any reversal.
    @Test func aVersion1CorrectionIsCheckedAgainstFreeMoney() {
        var fold = Fold.committed()
        fold.version = 1
        fold.refuse("I2.available", E.reversal(of: "DON-1", amount: eur(50_000), ref: "COR-1", reason: "correction"))
    }

    @Test func theFundRepaysItsLendersUpToWhatItOwes() {
        var fold = Fold.world()
        fold.accept(E.lenderRepaid("LOAN-IN-1", amount: eur(40_000), ref: "REPAY-1"))
        fold.refuse("I9.lender-outstanding", E.lenderRepaid("LOAN-IN-1", amount: eur(60_001), ref: "REPAY-2"))
        fold.refuse("I14.reference-unique", E.lenderRepaid("LOAN-IN-1", amount: 1, ref: "REPAY-1"))
        fold.accept(E.lenderRepaid("LOAN-IN-1", amount: eur(60_000), ref: "REPAY-2"))
        fold.refuse("I9.not-repayable", E.lenderRepaid("DON-1", amount: eur(1), ref: "REPAY-3"))
        #expect(fold.balances("financial").lendersRepaid == Money(minorUnits: 10_000_000))
        #expect(fold.balances("financial").cash == Money.zero)
    }

    @Test func lendersAreRepaidOnlyFromAvailableMoney() {
        var fold = Fold.world()
        fold.accept(E.contribution("TA-1", party: "BANK-1", fund: "financial", instrument: "titre_associatif", amount: eur(10_000)))
        fold.decide("D-9", ballot: "B-9", motion: E.fundProject("PRJ-1", fund: "financial", amount: eur(40_000)))
        fold.accept(E.commitment("C-9", decision: "D-9", fund: "financial", tranches: [40_000]))
        // 110,000 in, 40,000 reserved: 70,000 free.
        fold.refuse("I2.available", E.lenderRepaid("LOAN-IN-1", amount: eur(70_001), ref: "REPAY-1"))
        fold.accept(E.lenderRepaid("LOAN-IN-1", amount: eur(70_000), ref: "REPAY-1"))
    }
}

/// A statement reads by date: a reversal recorded late but dated back sits where its date puts it.
@Suite struct StatementOrderTests {
    @Test func linesWithinAYearAreInDateOrder() throws {
        var fold = Fold.world()
        fold.accept(E.contribution("VIR-A", amount: eur(10)), on: "2024-06-10")
        fold.accept(E.contribution("VIR-B", amount: eur(20)), on: "2024-06-20")
        fold.accept(E.reversal(of: "VIR-A", amount: eur(10), ref: "RBT-A"), on: "2024-06-15")
        var views = Projections()
        for record in fold.log { views.apply(record) }
        let lines = try #require(views.statement(PartyID("P-1")!, year: 2024)?.years.first?.lines)
        #expect(lines.map(\.stamp.date.description).suffix(3) == ["2024-06-10", "2024-06-15", "2024-06-20"])
        #expect(lines.map(\.kind).suffix(3) == [.contribution, .reversal, .contribution])
    }
}
