import Foundation
import Testing

/// Ballots through decisions, commitments, disbursements and loans, through the built binary.
@Suite struct DomainGovernanceTests {
    /// B-1 on the AG (5 members, 1 proxy each): fund PRJ-1 from the citizens' fund with 30,000.
    static func openBallot() throws -> DomainLedger {
        let ledger = try DomainLedger.make()
        try ledger.expectAppended(["ballot", "open", "--ballot", "B-1", "--body", "AG", "--motion", "fund_project", "--project", "PRJ-1",
                                   "--fund", "citizens", "--amount", "30000"], as: "OP-SEC")
        return ledger
    }

    /// The ballot adopted, decision D-1 recorded, commitment C-1 made in two tranches.
    static func committed() throws -> DomainLedger {
        let ledger = try openBallot()
        for voter in ["P-1", "P-2", "P-3"] {
            try ledger.expectAppended(["vote", "cast", "--ballot", "B-1", "--voter", voter, "--choice", "for"], as: "OP-CLK")
        }
        try ledger.expectAppended(["ballot", "close", "--ballot", "B-1"], as: "OP-SEC")
        try ledger.expectAppended(["decision", "record", "--decision", "D-1", "--ballot", "B-1"], as: "OP-SEC")
        try ledger.expectAppended(["commitment", "make", "--commitment", "C-1", "--decision", "D-1", "--tranches", "20000+10000"], as: "OP-TRE")
        return ledger
    }

    @Test func aBallotFromOpeningToDecision() throws {
        let ledger = try Self.openBallot()
        try ledger.expectRefused(["ballot", "open", "--ballot", "B-2", "--body", "AG", "--motion", "fund_project", "--project", "PRJ-1"],
                                 as: "OP-SEC", status: 2)
        try ledger.expectRefused(["ballot", "open", "--ballot", "B-2", "--body", "AG", "--motion", "resolution", "--text", "x",
                                  "--amount", "5"], as: "OP-SEC", status: 2)
        try ledger.expectAppended(["proxy", "grant", "--ballot", "B-1", "--from", "P-4", "--to", "P-1"], as: "OP-CLK")
        try ledger.expectRefused(["proxy", "grant", "--ballot", "B-1", "--from", "P-2", "--to", "P-1"], as: "OP-CLK", rule: "I6.proxy-limit")
        try ledger.expectAppended(["recusal", "record", "--ballot", "B-1", "--party", "P-5"], as: "OP-SEC")
        try ledger.expectRefused(["vote", "cast", "--ballot", "B-1", "--voter", "P-5", "--choice", "for"], as: "OP-CLK", rule: "I6.recused")
        try ledger.expectAppended(["vote", "cast", "--ballot", "B-1", "--voter", "P-1", "--choice", "for"], as: "OP-CLK")
        try ledger.expectRefused(["vote", "cast", "--ballot", "B-1", "--voter", "P-1", "--choice", "against"], as: "OP-CLK", rule: "I6.one-vote")
        try ledger.expectRefused(["vote", "cast", "--ballot", "B-1", "--voter", "ORG-1", "--choice", "for"], as: "OP-CLK", rule: "I6.electorate")
        try ledger.expectRefused(["vote", "cast", "--ballot", "B-9", "--voter", "P-2", "--choice", "for"], as: "OP-CLK",
                                 rule: "I0.unknown-reference")
        try ledger.expectRefused(["vote", "cast", "--ballot", "B-1", "--voter", "P-2", "--choice", "yes"], as: "OP-CLK", status: 2)
        try ledger.expectAppended(["vote", "cast", "--ballot", "B-1", "--voter", "P-2", "--choice", "against"], as: "OP-CLK")
        let tally = try ledger.run(["ballot", "tally", "--ballot", "B-1"], as: "OP-AUD")
        #expect(tally.stdout.contains("votes      for 2, against 1, abstain 0, blank 0"), "\(tally.stdout)")
        #expect(tally.stdout.contains("quorum met, adopted (if it closed now)"))
        try ledger.expectRefused(["decision", "record", "--decision", "D-1", "--ballot", "B-1"], as: "OP-SEC", rule: "I6.ballot-open")
        try ledger.expectAppended(["ballot", "close", "--ballot", "B-1"], as: "OP-SEC")
        try ledger.expectRefused(["vote", "cast", "--ballot", "B-1", "--voter", "P-3", "--choice", "for"], as: "OP-CLK", rule: "I6.ballot-closed")
        let decision = try ledger.expectAppended(["decision", "record", "--decision", "D-1", "--ballot", "B-1", "--minutes",
                                                  String(repeating: "0f", count: 32)], as: "OP-SEC")
        #expect(decision.stdout.contains("adopted true"))
        #expect(decision.stdout.contains("tally {abstain 0, against 1, blank 0, by_proxy 1, electorate 5, for 2, recused 1}"))
        try ledger.expectRefused(["decision", "record", "--decision", "D-2", "--ballot", "B-404"], as: "OP-SEC", rule: "I0.unknown-reference")
    }

    @Test func aBallotThatMissesItsQuorumBacksNothing() throws {
        let ledger = try Self.openBallot()
        try ledger.expectAppended(["vote", "cast", "--ballot", "B-1", "--voter", "P-1", "--choice", "for"], as: "OP-CLK")
        try ledger.expectAppended(["ballot", "close", "--ballot", "B-1"], as: "OP-SEC")
        let decision = try ledger.expectAppended(["decision", "record", "--decision", "D-1", "--ballot", "B-1"], as: "OP-SEC")
        #expect(decision.stdout.contains("adopted false") && decision.stdout.contains("quorum_met false"))
        try ledger.expectRefused(["commitment", "make", "--commitment", "C-1", "--decision", "D-1", "--tranches", "30000"], as: "OP-TRE",
                                 rule: "I4.decision-adopted")
        try ledger.expectRefused(["commitment", "make", "--commitment", "C-1", "--decision", "D-9", "--tranches", "30000"], as: "OP-TRE",
                                 rule: "I0.unknown-reference")
    }

    @Test func commitmentsAndDisbursements() throws {
        let ledger = try Self.committed()
        try ledger.expectRefused(["commitment", "make", "--commitment", "C-2", "--decision", "D-1", "--tranches", "1"], as: "OP-TRE",
                                 rule: "I4.decision-used")
        try ledger.expectRefused(["commitment", "make", "--commitment", "C-2", "--decision", "D-1", "--tranches", "1,000"], as: "OP-TRE",
                                 status: 2)
        try ledger.expectAppended(["disbursement", "request", "--disbursement", "DSB-1", "--commitment", "C-1", "--tranche", "1",
                                   "--amount", "15000"], as: "OP-TRE")
        try ledger.expectRefused(["disbursement", "request", "--disbursement", "DSB-2", "--commitment", "C-1", "--tranche", "1",
                                  "--amount", "5000.01"], as: "OP-CLK", rule: "I2.tranche-remaining")
        try ledger.expectRefused(["disbursement", "approve", "--disbursement", "DSB-1"], as: "OP-TRE", rule: "I5.four-eyes")
        try ledger.expectRefused(["disbursement", "execute", "--disbursement", "DSB-1", "--ref", "OUT-1"], as: "OP-TRE",
                                 rule: "I5.disbursement-state")
        try ledger.expectAppended(["disbursement", "approve", "--disbursement", "DSB-1"], as: "OP-TRE2")
        try ledger.expectRefused(["disbursement", "execute", "--disbursement", "DSB-1", "--ref", "OUT-1"], as: "OP-CLK",
                                 rule: "A2.role-forbidden")
        try ledger.expectRefused(["disbursement", "execute", "--disbursement", "DSB-1", "--ref", "DON-1"], as: "OP-TRE",
                                 rule: "I14.reference-unique")
        try ledger.expectAppended(["disbursement", "execute", "--disbursement", "DSB-1", "--ref", "OUT-1"], as: "OP-TRE")
        try ledger.expectAppended(["disbursement", "request", "--disbursement", "DSB-2", "--commitment", "C-1", "--tranche", "2",
                                   "--amount", "10000"], as: "OP-CLK")
        try ledger.expectAppended(["disbursement", "reject", "--disbursement", "DSB-2", "--reason", "facture manquante"], as: "OP-SEC")
        let status = try ledger.run(["fund", "status", "--json"], as: "OP-AUD")
        #expect(status.stdout.contains(#""available":3000000,"cash":4500000,"disbursed":1500000"#), "\(status.stdout)")
    }

    /// A donation typed 60,000 for 6,000, already promised: the correction goes through and fund
    /// status says the fund is over-committed; nothing is paid beyond its cash.
    @Test func aCorrectionLeavesTheFundOverCommittedAndSaysSo() throws {
        let ledger = try Self.committed()
        try ledger.expectAppended(["contribution", "reverse", "--contribution", "DON-1", "--amount", "54000", "--ref", "COR-1",
                                   "--reason", "correction"], as: "OP-TRE")
        let status = try ledger.run(["fund", "status"], as: "OP-AUD")
        #expect(status.stdout.contains("Over-committed: citizens has promised"), "\(status.stdout)")
        try ledger.expectAppended(["disbursement", "request", "--disbursement", "DSB-1", "--commitment", "C-1", "--tranche", "1",
                                   "--amount", "20000"], as: "OP-CLK")
        try ledger.expectAppended(["disbursement", "approve", "--disbursement", "DSB-1"], as: "OP-SEC")
        try ledger.expectRefused(["disbursement", "execute", "--disbursement", "DSB-1", "--ref", "OUT-1"], as: "OP-TRE", rule: "I2.available")
        #expect(try LedgerProcess.run(["verify", "--ledger", ledger.directory]).status == 0)
    }

    @Test func amendmentsCancellationsRepaymentsWriteOffs() throws {
        let ledger = try Self.committed()
        try ledger.expectAppended(["disbursement", "request", "--disbursement", "DSB-1", "--commitment", "C-1", "--tranche", "1",
                                   "--amount", "20000"], as: "OP-CLK")
        try ledger.expectAppended(["disbursement", "approve", "--disbursement", "DSB-1"], as: "OP-SEC")
        try ledger.expectAppended(["disbursement", "execute", "--disbursement", "DSB-1", "--ref", "OUT-1"], as: "OP-TRE")
        try ledger.expectAppended(["repayment", "receive", "--commitment", "C-1", "--amount", "5000", "--ref", "ECH-1"], as: "OP-TRE")
        try ledger.expectRefused(["repayment", "receive", "--commitment", "C-1", "--amount", "15000.01", "--ref", "ECH-2"], as: "OP-TRE",
                                 rule: "I9.repayment-outstanding")
        for (ballot, motion) in [("B-2", ["--motion", "amend_commitment", "--commitment", "C-1", "--amount", "25000"]),
                                 ("B-3", ["--motion", "write_off", "--commitment", "C-1", "--amount", "2000"]),
                                 ("B-4", ["--motion", "cancel_commitment", "--commitment", "C-1"])] {
            try ledger.expectAppended(["ballot", "open", "--ballot", ballot, "--body", "AG"] + motion, as: "OP-SEC")
            for voter in ["P-1", "P-2", "P-3"] {
                try ledger.expectAppended(["vote", "cast", "--ballot", ballot, "--voter", voter, "--choice", "for"], as: "OP-SEC")
            }
            try ledger.expectAppended(["ballot", "close", "--ballot", ballot], as: "OP-SEC")
            try ledger.expectAppended(["decision", "record", "--decision", "D" + ballot.dropFirst(), "--ballot", ballot], as: "OP-SEC")
        }
        try ledger.expectRefused(["commitment", "amend", "--commitment", "C-1", "--decision", "D-2", "--tranches", "20000+4000"],
                                 as: "OP-TRE", rule: "I4.decision-amount")
        try ledger.expectAppended(["commitment", "amend", "--commitment", "C-1", "--decision", "D-2", "--tranches", "20000+5000"], as: "OP-TRE")
        try ledger.expectRefused(["loan", "write-off", "--commitment", "C-1", "--decision", "D-3", "--amount", "2000.01"], as: "OP-TRE",
                                 rule: "I4.decision-amount")
        try ledger.expectAppended(["loan", "write-off", "--commitment", "C-1", "--decision", "D-3", "--amount", "2000"], as: "OP-TRE")
        try ledger.expectAppended(["commitment", "cancel", "--commitment", "C-1", "--decision", "D-4"], as: "OP-TRE")
        try ledger.expectRefused(["disbursement", "request", "--disbursement", "DSB-9", "--commitment", "C-1", "--tranche", "2",
                                  "--amount", "1"], as: "OP-CLK", rule: "I4.commitment-state")
        let status = try ledger.run(["fund", "status"], as: "OP-AUD")
        #expect(status.stdout.contains("Loans outstanding: 13 000.00 EUR"), "\(status.stdout)")
    }
}
