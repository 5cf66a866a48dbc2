import Foundation
import Testing

/// `--at SEQ` answers exactly what the log cut after SEQ answers (compared with a copy of the
/// ledger whose log was truncated there), and `--as-of DATE` counts exactly the records
/// effective by then (against figures computed by hand).
@Suite struct ReportCutTests {
    static let ledger: AppendixLedger = try! AppendixLedger.make()

    /// A report's JSON without its envelope members that name the cut itself, and where its
    /// state came from (the ledger has snapshots, its truncated copy none).
    static func body(_ json: [String: Any]) -> NSDictionary {
        var json = json
        json["at"] = nil
        json["records"] = nil
        json["trusted"] = nil
        return json as NSDictionary
    }

    static let reports: [[String]] = [
        ["balances"], ["balances", "--by", "year"], ["balances", "--by", "instrument"], ["balances", "--by", "territory"],
        ["project", "list"], ["party", "statement", "FIN-01"], ["party", "statement", "P-0001"], ["ballots"],
    ]

    @Test(arguments: [13, 26, 27, 35, 39, 44, 51, 63, 68])
    func atASequenceNumberIsTheTruncatedLog(_ seq: Int) throws {
        let cut = try Self.ledger.truncatedCopy(through: seq)
        for report in Self.reports {
            let known = try cut.run(report + ["--json"])
            let asked = try Self.ledger.run(report + ["--json", "--at", String(seq)])
            #expect(asked.status == known.status, "\(report) at \(seq): \(asked.stderr) / \(known.stderr)")
            guard known.status == 0 else { continue }
            let expected = try JSONSerialization.jsonObject(with: Data(known.stdout.utf8)) as! [String: Any]
            let actual = try JSONSerialization.jsonObject(with: Data(asked.stdout.utf8)) as! [String: Any]
            #expect(Self.body(actual) == Self.body(expected), "\(report) at \(seq)")
            #expect(actual["at"] as? Int == seq && actual["records"] as? Int == seq + 1)
        }
        for report in [["audit", "C-2024-01", "--csv"], ["audit", "FIN-01", "--csv"], ["export", "--format", "hledger"],
                       ["balances", "--csv"], ["project", "show", "PRJ-29-01", "--csv"]] {
            let known = try cut.run(report)
            let asked = try Self.ledger.run(report + ["--at", String(seq)])
            #expect(asked.status == known.status && AppendixLedger.figures(asked.stdout) == AppendixLedger.figures(known.stdout), "\(report) at \(seq)")
        }
    }

    @Test func asOfTheEndOf2024() throws {
        #expect(try Self.ledger.output(["balances", "--as-of", "2024-12-31", "--csv"]) == """
            fund,pool,received_minor,reversed_minor,lenders_repaid_minor,committed_minor,disbursed_minor,repayments_minor,written_off_minor,cash_minor,to_pay_minor,available_minor,loans_in_minor,loans_out_minor
            citoyens,citizens,3005000,5000,0,0,0,0,0,3000000,0,3000000,0,0
            ess-bre,financial,50000000,0,0,3000000,2000000,0,0,48000000,1000000,47000000,50000000,2000000

            """)
        // The same as the year 2024 of the report by year.
        let year = try Self.ledger.output(["balances", "--by", "year", "--csv"]).split(separator: "\n")[1]
        let asOf = try Self.ledger.output(["balances", "--by", "year", "--as-of", "2024-12-31", "--csv"]).split(separator: "\n")
        #expect(asOf.count == 2 && asOf[1] == year)
        // The tranche plan was 20,000 + 10,000 then; the second tranche's request was rejected.
        #expect(try Self.ledger.output(["project", "show", "PRJ-29-01", "--as-of", "2024-12-31", "--csv"]) == """
            commitment,fund,tranche,amount_minor,disbursed_minor,pending_minor,remaining_minor
            C-2024-01,ess-bre,1,2000000,2000000,0,0
            C-2024-01,ess-bre,2,1000000,0,0,1000000

            """)
        let json = try Self.ledger.json(["balances", "--as-of", "2024-12-31"])
        #expect(json["as_of"] as? String == "2024-12-31" && json["records"] as? Int == 70)
    }

    @Test func asOfADateBeforeARecordedRefund() throws {
        // Record 27 refunds P-0001's 50 € effective 2024-04-20, recorded after the loan of 2024-05-15.
        let before = try Self.ledger.output(["party", "statement", "P-0001", "--as-of", "2024-04-19", "--csv"])
        #expect(before.split(separator: "\n").count == 2)
        let citoyens = try Self.ledger.output(["balances", "--as-of", "2024-04-19", "--csv"]).split(separator: "\n")[1]
        #expect(citoyens == "citoyens,citizens,3005000,0,0,0,0,0,0,3005000,0,3005000,0,0")
        // Before the project applied, it is unknown; before the ballot opened, so is the ballot.
        #expect(try Self.ledger.run(["project", "show", "PRJ-29-01", "--as-of", "2024-06-02"]).status == 4)
        #expect(try Self.ledger.run(["ballots", "B-2024-01", "--as-of", "2024-09-11"]).status == 4)
        #expect(try Self.ledger.output(["ballots", "--as-of", "2024-09-12", "--csv"]).split(separator: "\n").count == 2)
    }

    @Test func atAndAsOfTogether() throws {
        // Records 0-26, of which those effective by 2024-04-02: only P-0001's 50 € (record 25 is effective 04-03).
        let rows = try Self.ledger.output(["balances", "--at", "26", "--as-of", "2024-04-02", "--csv"]).split(separator: "\n")
        #expect(rows[1] == "citoyens,citizens,5000,0,0,0,0,0,0,5000,0,5000,0,0")
        #expect(rows[2] == "ess-bre,financial,0,0,0,0,0,0,0,0,0,0,0,0")
        // An audit trail as of a date lists only the records effective by then.
        let trail = try Self.ledger.output(["audit", "DSB-2024-01", "--as-of", "2024-12-04", "--csv"]).split(separator: "\n")
        #expect(trail.dropFirst().map { Int($0.split(separator: ",")[0])! } == Array(30...38))
    }
}
