import Foundation
import Testing

/// `ledger export`: a double-entry journal of every money event, each with its record's
/// sequence number and hash, whose account balances are those of `ledger balances`.
/// (scripts/check_hledger.sh also runs hledger itself over it, on the demo and a large ledger.)
@Suite struct ReportExportTests {
    static let ledger: AppendixLedger = try! AppendixLedger.make()
    static let moneyTypes = ["contribution.recorded", "contribution.reversed", "lender.repaid", "disbursement.executed",
                             "repayment.received", "loan.written_off"]

    /// The log's lines, by sequence number.
    static let log: [String] = String(decoding: try! LedgerProcess.logBytes(ledger.directory), as: UTF8.self)
        .split(separator: "\n").map(String.init)

    @Test func hledgerJournal() throws {
        let journal = try Self.ledger.output(["export", "--format", "hledger"])
        let hash = try #require(Self.log[39].range(of: #""hash":""#).map { String(Self.log[39][$0.upperBound...].prefix(64)) })
        #expect(journal.contains("""
            2024-12-10 disbursement.executed DSB-2024-01 VIR-OUT-2024-0001
                ; seq: 39
                ; hash: \(hash)
                assets:loans:ess-bre  20000.00 EUR
                assets:cash:ess-bre  -20000.00 EUR

            """), "\(journal)")
        #expect(journal.contains("2024-04-20 contribution.reversed VIR-2024-000123 RBT-2024-0001\n    ; seq: 27\n"))
        // One transaction per money event, in log order.
        let seqs = journal.split(separator: "\n").filter { $0.hasPrefix("    ; seq: ") }.map { Int($0.dropFirst(11))! }
        let expected = Self.log.enumerated().filter { line in Self.moneyTypes.contains { line.element.contains(#""type":"\#($0)""#) } }.map(\.offset)
        #expect(seqs == expected && seqs.count == 8)
        // The accounts add up to the balance report.
        var accounts: [String: Int] = [:]
        for line in journal.split(separator: "\n") where line.hasPrefix("    ") && !line.hasPrefix("    ;") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            accounts[String(parts[0]), default: 0] += Int(parts[1].replacingOccurrences(of: ".", with: ""))!
        }
        #expect(accounts.values.reduce(0, +) == 0)
        let rows = try #require(try Self.ledger.json(["balances"])["rows"] as? [[String: Any]])
        for row in rows {
            let fund = row["fund"] as! String
            #expect(accounts["assets:cash:\(fund)", default: 0] == row["cash"] as! Int, "\(fund)")
            #expect(accounts["assets:loans:\(fund)", default: 0] == row["loans_out"] as! Int, "\(fund)")
            #expect(-accounts["liabilities:lenders:\(fund)", default: 0] == row["loans_in"] as! Int, "\(fund)")
        }
        #expect(accounts["income:donation:citoyens"] == -3_000_000 && accounts["expenses:written-off:ess-bre"] == 500_000)
    }

    @Test func beancountJournal() throws {
        let journal = try Self.ledger.output(["export", "--format", "beancount"])
        let lines = journal.split(separator: "\n").map(String.init)
        #expect(lines.contains("option \"title\" \"Opération Milliard\"") && lines.contains("option \"operating_currency\" \"EUR\""))
        let opens = lines.filter { $0.contains(" open ") }
        #expect(opens == ["2024-01-01 open Assets:Cash:Citoyens EUR", "2024-01-01 open Assets:Cash:Ess-bre EUR",
                          "2024-01-01 open Assets:Loans:Ess-bre EUR", "2024-01-01 open Expenses:Written-off:Ess-bre EUR",
                          "2024-01-01 open Income:Donation:Citoyens EUR", "2024-01-01 open Liabilities:Lenders:Ess-bre EUR"])
        #expect(journal.contains("2024-04-02 * \"contribution.recorded\" \"P-0001 VIR-2024-000123\"\n  seq: 24\n  hash: \""))
        #expect(journal.contains("  Assets:Cash:Citoyens  50.00 EUR\n  Income:Donation:Citoyens  -50.00 EUR\n"))
        #expect(lines.filter { $0.hasPrefix("  seq: ") }.count == 8)
    }

    /// A journal's strings are escaped scalar by scalar: a backslash or a quote followed by a
    /// combining mark is still escaped, so that the title ends where the fund's name does.
    @Test func aJournalEscapesAQuoteBeforeACombiningMark() throws {
        let directory = LedgerProcess.temporaryPath()
        let environment = ["LEDGER_NOW": DomainLedger.now, "LEDGER_OPERATOR": "OP-ADMIN"]
        let created = try LedgerProcess.run(["init", "--ledger", directory, "--origin", "test.example/fund", "--name", "Fonds \\\u{301} \"\u{301}",
                                             "--operator", "OP-ADMIN", "--date", "2025-01-01", "--simulated-clock"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        let journal = try LedgerProcess.run(["export", "--format", "beancount", "--ledger", directory], environment: environment)
        #expect(journal.status == 0, "\(journal.stderr)")
        #expect(Array(journal.stdout.utf8).contains(Array("option \"title\" \"Fonds \\\\\u{301} \\\"\u{301}\"\n".utf8)),
                "\(journal.stdout.unicodeScalars.map(\.value))")
    }

    @Test func csvPostings() throws {
        let csv = try Self.ledger.output(["export", "--format", "csv"]).split(separator: "\n")
        #expect(csv[0] == "seq,hash,date,type,account,amount,amount_minor,currency")
        #expect(csv.count == 1 + 16)
        #expect(csv[1].hasPrefix("24,") && csv[1].hasSuffix(",2024-04-02,contribution.recorded,assets:cash:citoyens,50.00,5000,EUR"))
        #expect(csv[2].hasSuffix(",income:donation:citoyens,-50.00,-5000,EUR"))
    }

    @Test func exportsCutLikeReports() throws {
        // As of 2024: no 2025 transaction, and the cash is 2024's.
        let journal = try Self.ledger.output(["export", "--format", "csv", "--as-of", "2024-12-31"]).split(separator: "\n")
        #expect(journal.dropFirst().allSatisfy { $0.split(separator: ",")[2].hasPrefix("2024-") })
        #expect(journal.count == 1 + 2 * 5)
    }
}
