import Foundation
import Testing

/// Every report through the built binary, on the appendix ledger, against figures computed by
/// hand from Specs/events.md's Appendix A (see LedgerDomainTests/ProjectionAppendixTests for
/// the story in euros). CSV amounts are minor units.
@Suite struct ReportCommandTests {
    static let ledger: AppendixLedger = try! AppendixLedger.make()

    @Test func balancesByFundForPeople() throws {
        let text = try Self.ledger.output(["balances"])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Balances by fund · Opération Milliard (EUR) · 70 records (seq 0-69)")
        #expect(lines[1].hasPrefix("  figures "), "the line that says what the figures rest on")
        #expect(lines[2] == "FUND      POOL         RECEIVED  REVERSED  LENDERS REPAID  COMMITTED  DISBURSED  REPAYMENTS  WRITTEN OFF"
                + "        CASH  TO PAY   AVAILABLE    LOANS IN  LOANS OUT")
        #expect(lines[3] == "citoyens  citizens    30 050.00     50.00            0.00       0.00       0.00        0.00         0.00"
                + "   30 000.00    0.00   30 000.00        0.00       0.00")
        #expect(lines[4] == "ess-bre   financial  500 000.00      0.00      100 000.00  20 000.00  20 000.00    2 500.00     5 000.00"
                + "  382 500.00    0.00  382 500.00  400 000.00  12 500.00")
        #expect(lines[5] == "TOTAL                530 050.00     50.00      100 000.00  20 000.00  20 000.00    2 500.00     5 000.00"
                + "  412 500.00    0.00  412 500.00  400 000.00  12 500.00")
        #expect(lines.count == 6)
    }

    @Test func balancesForTools() throws {
        let csv = try Self.ledger.output(["balances", "--csv"])
        #expect(csv == """
            fund,pool,received_minor,reversed_minor,lenders_repaid_minor,committed_minor,disbursed_minor,repayments_minor,written_off_minor,cash_minor,to_pay_minor,available_minor,loans_in_minor,loans_out_minor
            citoyens,citizens,3005000,5000,0,0,0,0,0,3000000,0,3000000,0,0
            ess-bre,financial,50000000,0,10000000,2000000,2000000,250000,500000,38250000,0,38250000,40000000,1250000

            """)
        let json = try Self.ledger.json(["balances"])
        #expect(json["report"] as? String == "balances" && json["currency"] as? String == "EUR" && json["minor_units"] as? Int == 2)
        #expect(json["records"] as? Int == 70 && json["at"] is NSNull && json["as_of"] is NSNull && json["by"] as? String == "fund")
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["cash"] as? Int == 41_250_000 && total["loans_in"] as? Int == 40_000_000 && total["received"] as? Int == 53_005_000)
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.map { $0["fund"] as? String } == ["citoyens", "ess-bre"])
    }

    @Test func balancesByYearPoolAndInstrument() throws {
        #expect(try Self.ledger.output(["balances", "--by", "year", "--csv"]) == """
            year,received_minor,reversed_minor,lenders_repaid_minor,committed_minor,disbursed_minor,repayments_minor,written_off_minor,cash_minor,to_pay_minor,available_minor,loans_in_minor,loans_out_minor
            2024,53005000,5000,0,3000000,2000000,0,0,51000000,1000000,50000000,50000000,2000000
            2025,0,0,10000000,-1000000,0,250000,500000,-9750000,-1000000,-8750000,-10000000,-750000

            """)
        let pools = try Self.ledger.output(["balances", "--by", "pool", "--csv"]).split(separator: "\n")
        #expect(pools.map { $0.split(separator: ",").first! } == ["pool", "citizens", "financial"])
        let instruments = try Self.ledger.output(["balances", "--by", "instrument", "--csv"]).split(separator: "\n")
        #expect(instruments.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ":") } == ["in:donation", "in:loan_received", "out:loan"])
        let people = try Self.ledger.output(["balances", "--by", "year"])
        #expect(people.contains("2025") && people.contains("-97 500.00") && people.contains("TOTAL"))
    }

    @Test func balancesByTerritoryRollProjectsUp() throws {
        #expect(try Self.ledger.output(["balances", "--by", "territory", "--csv"]) == """
            territory,name,parent,depth,projects,requested_minor,approved_minor,committed_minor,disbursed_minor,remaining_minor,\
            repaid_minor,written_off_minor,loans_out_minor,funds,funds_cash_minor,funds_available_minor
            FR,France,,1,1,4000000,3000000,2000000,2000000,0,250000,500000,1250000,1,38250000,38250000
            FR-BRE,Bretagne,FR,2,1,4000000,3000000,2000000,2000000,0,250000,500000,1250000,1,38250000,38250000
            FR-29,Finistère,FR-BRE,3,1,4000000,3000000,2000000,2000000,0,250000,500000,1250000,0,0,0

            """, "ess-bre, earmarked for FR-BRE, holds 382 500.00 (the balances by fund): in Bretagne's row and France's")
        let people = try Self.ledger.output(["balances", "--by", "territory"])
        #expect(people.contains("\n    FR-29  Finistère"), "\(people)")
    }

    @Test func projectShowAndList() throws {
        #expect(try Self.ledger.output(["project", "show", "PRJ-29-01", "--csv"]) == """
            commitment,fund,tranche,amount_minor,disbursed_minor,pending_minor,remaining_minor
            C-2024-01,ess-bre,1,2000000,2000000,0,0
            C-2024-01,ess-bre,2,500000,0,0,0

            """)
        let people = try Self.ledger.output(["project", "show", "PRJ-29-01"])
        #expect(people.contains("organisation ORG-0001, territory FR-29, instrument loan"))
        #expect(people.contains("interests declared by P-0003"))
        #expect(people.contains("commitment C-2024-01 from fund ess-bre, made 2024-11-04 (seq 36) on decisions D-2024-01, D-2025-01, D-2025-02, D-2025-03, cancelled 2025-06-13 (seq 63)"))
        #expect(people.contains("DSB-2024-02") && people.contains("rejected 2024-12-18 (seq 41)"))
        let json = try Self.ledger.json(["project", "show", "PRJ-29-01"])
        let figures = try #require(json["figures"] as? [String: Any])
        #expect(figures["requested"] as? Int == 4_000_000 && figures["approved"] as? Int == 3_000_000 && figures["loans_out"] as? Int == 1_250_000)
        let list = try Self.ledger.output(["project", "list", "--territory", "FR-BRE", "--csv"])
        #expect(list == """
            project,organisation,territory,instrument,status,requested_minor,approved_minor,committed_minor,disbursed_minor,remaining_minor,repaid_minor,written_off_minor,loans_out_minor
            PRJ-29-01,ORG-0001,FR-29,loan,completed,4000000,3000000,2000000,2000000,0,250000,500000,1250000

            """, "its commitment was cancelled after the first tranche was paid: nothing remains")
        #expect(try Self.ledger.output(["project", "list", "--status", "completed", "--csv"]).split(separator: "\n").count == 2)
        #expect(try Self.ledger.output(["project", "list", "--status", "disbursing", "--csv"]).split(separator: "\n").count == 1)
        let wrong = try Self.ledger.run(["project", "list", "--status", "paid"])
        #expect(wrong.status == 2 && wrong.stderr.contains("applied, approved, committed, disbursing, completed, cancelled"), "\(wrong.stderr)")
    }

    @Test func partyStatements() throws {
        #expect(try Self.ledger.output(["party", "statement", "P-0001", "--csv"]) == """
            year,seq,date,movement,fund,instrument,amount_minor,ref,contribution,reason
            2024,24,2024-04-02,contribution,citoyens,donation,5000,VIR-2024-000123,,
            2024,27,2024-04-20,reversal,citoyens,donation,5000,RBT-2024-0001,VIR-2024-000123,refund

            """)
        let lender = try Self.ledger.json(["party", "statement", "FIN-01"])
        let years = try #require(lender["years"] as? [[String: Any]])
        #expect(years.map { $0["net"] as? Int } == [50_000_000, -10_000_000])
        #expect((lender["total"] as? [String: Any])?["net"] as? Int == 40_000_000)
        let people = try Self.ledger.output(["party", "statement", "FIN-01", "--year", "2025"])
        #expect(people.contains("lender repayment") && people.contains("-100 000.00") && !people.contains("2024-05-15"))
    }

    @Test func ballotsAndOneBallotMemberByMember() throws {
        let list = try Self.ledger.output(["ballots", "--csv"]).split(separator: "\n")
        #expect(list.count == 6)
        #expect(list[1] == "B-2024-01,CT-BRE,fund_project,PRJ-29-01 from ess-bre,3000000,2024-09-12,2024-09-12,3,1,2,0,0,0,1,true,true,D-2024-01,30,34")
        // A resolution's subject is its text; the dates are effective dates, the seqs come last.
        #expect(list[5] == "B-2025-04,CT-BRE,resolution,Le comité se réunit chaque trimestre,,2025-06-12,2025-06-12,3,0,2,0,0,0,0,true,true,D-2025-04,64,67")
        #expect(try Self.ledger.output(["ballots", "B-2024-01", "--csv"]) == """
            party,part,choice,proxy_holder,vote_seq
            P-0001,voted,for,,33
            P-0002,by_proxy,for,P-0001,33
            P-0003,recused,,,

            """)
        let people = try Self.ledger.output(["ballots", "B-2024-01"])
        #expect(people.contains("electorate 3, recused 1, took part 2 (1 by proxy)"))
        #expect(people.contains("quorum met, adopted, recorded by decision D-2024-01"))
        let json = try Self.ledger.json(["ballots", "B-2024-01"])
        #expect((json["rules"] as? [String: Any])?["quorum"] as? String == "1/2" && json["adopted"] as? Bool == true)
    }

    @Test func theAuditTrailOfADisbursementWithItsChainOfAuthority() throws {
        let csv = try Self.ledger.output(["audit", "DSB-2024-01", "--csv"]).split(separator: "\n").map(String.init)
        #expect(csv[0] == "seq,recorded_at,effective,actor,type,via,hash")
        #expect(csv.dropFirst().map { Int($0.split(separator: ",")[0])! } == Array(30...39))
        let log = String(decoding: try LedgerProcess.logBytes(Self.ledger.directory), as: UTF8.self).split(separator: "\n")
        for row in csv.dropFirst() {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            // The hash is the record's own, as stored in the log.
            #expect(log[Int(cells[0])!].contains(#""hash":"\#(cells[6])""#))
        }
        #expect(csv[1].contains(",OP-SECRETAIRE,ballot.opened,ballot B-2024-01,"))
        #expect(csv[6].contains(",decision.recorded,decision D-2024-01; ballot B-2024-01,"))
        #expect(csv[7].contains(",OP-TRESORIERE,commitment.made,commitment C-2024-01,"))
        #expect(csv[10].contains(",2024-12-10,OP-TRESORIERE,disbursement.executed,direct,"))
        let people = try Self.ledger.output(["audit", "DSB-2024-01"])
        #expect(people.contains("chain of authority:"))
        #expect(people.contains("decision D-2024-01: ballot B-2024-01, adopted, quorum met (for 2, against 0, abstain 0, blank 0; 1 by proxy, 1 recused)"))
        let json = try Self.ledger.json(["audit", "DSB-2024-01"])
        #expect((json["authority"] as? [[String: Any]])?.map { $0["id"] as? String } == ["C-2024-01", "D-2024-01", "B-2024-01"])
        let events = try #require(json["events"] as? [[String: Any]])
        #expect((events.last?["payload"] as? [String: Any])?["ref"] as? String == "VIR-OUT-2024-0001")
    }

    @Test func auditTrailsOfOtherEntities() throws {
        func seqs(_ arguments: [String]) throws -> [Int] {
            try Self.ledger.output(["audit"] + arguments + ["--csv"]).split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[0])! }
        }
        #expect(try seqs(["VIR-2024-000123"]) == [24, 27])
        #expect(try seqs(["P-0001"]) == [13, 19, 24, 27, 32, 33, 47, 53, 59, 65])
        let commitment = try seqs(["C-2024-01"])
        #expect(commitment.contains(36) && commitment.contains(63) && commitment.contains(46) && commitment.contains(30))
        #expect(try seqs(["OP-CAC"]) == [4, 69])
    }

    @Test func badInputHasAClearMessageAndADocumentedStatus() throws {
        let cases: [([String], Int32, String)] = [
            (["balances", "--at", "70"], 4, "--at 70: the log's last record is seq 69"),
            (["balances", "--at", "x"], 2, "--at must be a sequence number"),
            (["balances", "--as-of", "2024-02-30"], 2, "--as-of 2024-02-30 is not a day of the calendar"),
            (["balances", "--by", "galaxy"], 2, "--by \"galaxy\": one of fund, pool, instrument, year, territory"),
            (["balances", "--json", "--csv"], 2, "choose one"),
            (["project", "show", "PRJ-NOPE"], 4, "unknown project \"PRJ-NOPE\""),
            (["project", "show"], 2, "missing identifier"),
            (["project", "list", "--territory", "XX"], 4, "unknown territory \"XX\""),
            (["party", "statement", "P-0001", "extra"], 2, "unexpected argument"),
            (["party", "statement", "P-0001", "--year", "24"], 2, "--year must be a year"),
            (["ballots", "B-NOPE"], 4, "unknown ballot"),
            (["audit", "NOPE"], 4, "unknown entity \"NOPE\""),
            (["audit", "bad id!"], 2, "not an identifier"),
            (["audit", "P-0001", "--kind", "fund"], 4, "unknown fund \"P-0001\""),
            (["audit", "P-0001", "--kind", "planet"], 2, "--kind \"planet\""),
            (["export", "--format", "xml"], 2, "--format \"xml\": one of hledger, beancount, csv"),
            (["export"], 2, "missing --format"),
            (["project", "show", "PRJ-29-01", "--at", "27"], 4, "unknown project \"PRJ-29-01\" in the log cut at seq 27"),
        ]
        for (arguments, status, message) in cases {
            let result = try Self.ledger.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
        let missing = try LedgerProcess.run(["balances", "--ledger", LedgerProcess.temporaryPath()])
        #expect(missing.status == 5 && missing.stderr.contains("no log.jsonl"))
    }

    @Test func anIdentifierOfSeveralKindsNeedsAKind() throws {
        // "FR-29" is only a territory; a fund named like a party makes an ambiguity.
        let ledger = try AppendixLedger.make()
        let opened = try ledger.run(["fund", "open", "--fund", "P-0001", "--name", "Fonds P", "--pool", "citizens", "--accepts", "donation",
                                     "--uses", "grant", "--date", "2025-07-01", "--operator", "OP-FONDATEUR"])
        #expect(opened.status == 0, "\(opened.stderr)")
        let ambiguous = try ledger.run(["audit", "P-0001"])
        #expect(ambiguous.status == 2 && ambiguous.stderr.contains("names a party and a fund: choose with --kind"), "\(ambiguous.stderr)")
        #expect(try ledger.output(["audit", "P-0001", "--kind", "fund", "--csv"]).split(separator: "\n").count == 2)
    }
}
