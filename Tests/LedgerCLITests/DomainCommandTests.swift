import Foundation
import Testing

/// Each back-office command through the built binary: what it appends, prints and refuses.
@Suite struct DomainCommandTests {
    static let groups = ["operator", "party", "territory", "fund", "body", "contribution", "project", "ballot", "vote", "proxy",
                         "recusal", "decision", "commitment", "disbursement", "repayment", "loan", "period", "note"]

    @Test(arguments: groups)
    func everyActionHasHelpWithAnExample(_ group: String) throws {
        let help = try LedgerProcess.run(["help", group])
        #expect(help.status == 0)
        let actions = help.stdout.components(separatedBy: "\n  ledger \(group) ").count - 1
        #expect(actions >= 1)
        #expect(help.stdout.components(separatedBy: "Example: ledger \(group) ").count - 1 == actions, "\(help.stdout)")
        let inline = try LedgerProcess.run([group, "--help"])
        #expect(inline.status == 0 && inline.stdout == help.stdout)
        let overview = try LedgerProcess.run(["help"])
        #expect(overview.stdout.contains("  \(group)"))
    }

    @Test func actionsAreCheckedBeforeAnythingIsRead() throws {
        let ledger = try DomainLedger.make()
        #expect(try ledger.run(["contribution"], as: "OP-TRE").status == 2)
        #expect(try ledger.run(["contribution", "donate"], as: "OP-TRE").status == 2)
        let wrong = try ledger.run(["contribution", "record", "--reason", "refund"], as: "OP-TRE")
        #expect(wrong.status == 2 && wrong.stderr.contains("takes no --reason"))
        #expect(try ledger.run(["contribution", "record", "extra"], as: "OP-TRE").status == 2)
    }

    @Test func contributionRecordPrintsWhatItAppended() throws {
        let ledger = try DomainLedger.make()
        let result = try ledger.expectAppended(["contribution", "record", "--party", "P-2", "--amount", "50.00", "--instrument", "donation",
                                                "--fund", "citizens", "--ref", "VIR-2024-000123", "--date", "2025-04-02"], as: "OP-TRE")
        #expect(result.stdout.contains("contribution.recorded  2025-04-02"))
        #expect(result.stdout.contains("amount 50.00 EUR · fund citizens · instrument donation · party P-2 · ref VIR-2024-000123"))
        let log = String(decoding: try LedgerProcess.logBytes(ledger.directory), as: UTF8.self)
        #expect(log.contains(#""payload":{"amount":5000,"fund":"citizens","instrument":"donation","party":"P-2","ref":"VIR-2024-000123"}"#))
        #expect(log.contains(#""actor":"OP-TRE""#))
    }

    @Test func jsonOutputAndTheOperatorOption() throws {
        let ledger = try DomainLedger.make()
        let result = try ledger.run(["note", "add", "--text", "Rapprochement bancaire effectué", "--json", "--operator", "OP-SEC"], as: "OP-AUD")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(#"{"effective":"2026-01-01","hash":""#))
        #expect(result.stdout.contains(#""status":"appended","type":"note.recorded"}"#))
    }

    @Test func structureCommands() throws {
        let ledger = try DomainLedger.make()
        try ledger.expectAppended(["operator", "register", "--id", "OP-NEW", "--role", "clerk", "--public-key", try TestKeys.verifierFile("OP-NEW")],
                                  as: "OP-ADMIN")
        try ledger.expectAppended(["operator", "revoke", "--id", "OP-NEW"], as: "OP-ADMIN")
        try ledger.expectRefused(["note", "add", "--text", "x"], as: "OP-NEW", rule: "A1.operator-unknown")
        try ledger.expectAppended(["territory", "define", "--code", "FR-29", "--name", "Finistère", "--parent", "FR-BRE"], as: "OP-ADMIN")
        try ledger.expectAppended(["party", "register", "--party", "P-0042", "--kind", "person"], as: "OP-CLK")
        try ledger.expectAppended(["party", "declare-interest", "--party", "P-0042", "--project", "PRJ-1"], as: "OP-CLK")
        try ledger.expectAppended(["fund", "open", "--fund", "bre", "--name", "Région Bretagne", "--pool", "public", "--accepts", "subsidy",
                                   "--uses", "grant,loan", "--territory", "FR-BRE"], as: "OP-ADMIN")
        try ledger.expectAppended(["body", "constitute", "--body", "CT-BRE", "--kind", "territorial_committee", "--name", "Comité Bretagne",
                                   "--territory", "FR-BRE", "--quorum", "1/3", "--majority", "two_thirds", "--abstentions", "counted",
                                   "--blanks", "excluded", "--proxies-max", "2", "--amount-max", "150000"], as: "OP-ADMIN")
        try ledger.expectAppended(["body", "add-member", "--body", "CT-BRE", "--party", "P-0042"], as: "OP-SEC")
        try ledger.expectAppended(["body", "remove-member", "--body", "CT-BRE", "--party", "P-0042"], as: "OP-SEC")
        try ledger.expectAppended(["project", "apply", "--project", "PRJ-9", "--organisation", "ORG-1", "--territory", "FR-29",
                                   "--instrument", "grant", "--amount", "8000"], as: "OP-CLK")
        try ledger.expectRefused(["body", "constitute", "--body", "CA", "--kind", "board", "--name", "CA", "--quorum", "half",
                                  "--majority", "simple", "--abstentions", "counted", "--blanks", "excluded", "--proxies-max", "1",
                                  "--amount-max", "1000"], as: "OP-ADMIN", status: 2)
        try ledger.expectRefused(["territory", "define", "--code", "FR-X", "--name", "X", "--parent", "FR-NOPE"], as: "OP-ADMIN",
                                 rule: "I0.unknown-reference")
    }

    @Test func fundStatusShowsTheBalances() throws {
        let ledger = try DomainLedger.make()
        let text = try ledger.run(["fund", "status"], as: "OP-AUD")
        #expect(text.status == 0)
        #expect(text.stdout.contains("citizens  citizens  60 000.00"), "\(text.stdout)")
        let json = try ledger.run(["fund", "status", "--json"], as: "OP-AUD")
        #expect(json.stdout.contains(#""available":6000000,"cash":6000000"#))
        #expect(try ledger.run(["fund", "status", "--operator", "OP-AUD"], as: "OP-AUD").status == 2)
    }

    @Test func reversalsAndRepaymentsToLenders() throws {
        let ledger = try DomainLedger.make()
        try ledger.expectAppended(["contribution", "reverse", "--contribution", "DON-1", "--amount", "100", "--ref", "RBT-1",
                                   "--reason", "refund"], as: "OP-TRE")
        try ledger.expectRefused(["contribution", "reverse", "--contribution", "DON-1", "--amount", "59900.01", "--ref", "RBT-2",
                                  "--reason", "refund"], as: "OP-TRE", rule: "I9.reversal-remaining")
        try ledger.expectAppended(["contribution", "record", "--party", "STATE-1", "--amount", "500000", "--instrument", "loan_received",
                                   "--fund", "public", "--ref", "PRET-1"], as: "OP-TRE")
        try ledger.expectAppended(["repayment", "pay", "--contribution", "PRET-1", "--amount", "100000", "--ref", "RBT-3"], as: "OP-TRE")
        try ledger.expectRefused(["repayment", "pay", "--contribution", "DON-1", "--amount", "1", "--ref", "RBT-4"], as: "OP-TRE",
                                 rule: "I9.not-repayable")
    }

    @Test func periodClose() throws {
        let ledger = try DomainLedger.make()
        try ledger.expectAppended(["period", "close", "--through", "2025-06-30", "--date", "2025-07-10"], as: "OP-TRE")
        try ledger.expectRefused(["note", "add", "--text", "tard", "--date", "2025-06-30"], as: "OP-CLK", rule: "I10.closed-period")
        try ledger.expectRefused(["period", "close", "--through", "2025-13-01"], as: "OP-TRE", status: 2)
    }
}

/// Every report takes the same options, parsed once: `--at`, `--as-of`, `--json`, `--csv`.
@Suite struct ReportOptionTests {
    @Test(arguments: [["fund", "status"], ["ballot", "tally", "--ballot", "B-1"], ["balances"], ["ballots"], ["project", "list"]])
    func everyReportTakesTheCommonOptions(_ report: [String]) throws {
        let ledger = try DomainLedger.make()
        try ledger.expectAppended(["ballot", "open", "--ballot", "B-1", "--body", "AG", "--motion", "resolution", "--text",
                                   "Approbation des comptes"], as: "OP-SEC")
        let head = String(try ledger.run(["log", "--json"], as: "OP-AUD").stdout.split(separator: "\n").count - 1)
        for options in [["--at", head], ["--as-of", "2026-12-31"], ["--json"], ["--csv"], ["--at", head, "--csv"]] {
            let result = try ledger.run(report + options, as: "OP-AUD")
            #expect(result.status == 0, "\(report + options): \(result.stderr)")
            #expect(!result.stdout.isEmpty)
        }
        #expect(try ledger.run(report + ["--json", "--csv"], as: "OP-AUD").status == 2)
        #expect(try ledger.run(report + ["--at", "9999"], as: "OP-AUD").status == 4)
    }

    @Test func fundStatusAtACutShowsTheFiguresOfThatCut() throws {
        let ledger = try DomainLedger.make()
        let last = try ledger.run(["log", "--json"], as: "OP-AUD").stdout.split(separator: "\n").count - 1
        try ledger.expectAppended(["contribution", "record", "--party", "P-2", "--amount", "250", "--instrument", "donation",
                                   "--fund", "citizens", "--ref", "DON-2", "--date", "2026-01-01"], as: "OP-TRE")
        let now = try ledger.run(["fund", "status", "--csv"], as: "OP-AUD").stdout
        let before = try ledger.run(["fund", "status", "--csv", "--at", String(last)], as: "OP-AUD").stdout
        let earlier = try ledger.run(["fund", "status", "--csv", "--as-of", "2025-12-31"], as: "OP-AUD").stdout
        #expect(now.contains("citizens,citizens,6025000,"), "\(now)")
        #expect(before.contains("citizens,citizens,6000000,"), "\(before)")
        #expect(earlier == before)
    }
}

/// `--dry-run`: every check of an append, nothing written.
@Suite struct DryRunTests {
    @Test func aDryRunSaysWhatWouldBeAppendedAndWritesNothing() throws {
        let ledger = try DomainLedger.make()
        let before = try LedgerProcess.logBytes(ledger.directory)
        let gift = ["contribution", "record", "--party", "P-2", "--amount", "25.00", "--instrument", "donation", "--fund", "citizens",
                    "--ref", "VIR-DRY-1"]
        let dry = try ledger.run(gift + ["--dry-run"], as: "OP-CLK")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("would append seq "), "\(dry.stdout)")
        #expect(dry.stdout.contains("(a dry run: nothing written)"))
        #expect(try LedgerProcess.logBytes(ledger.directory) == before)
        // The same append for real gets the seq and hash the dry run announced (the clock is fixed).
        let real = try ledger.run(gift, as: "OP-CLK")
        #expect(real.status == 0, "\(real.stderr)")
        let announced = dry.stdout.split(separator: "\n")[0].replacingOccurrences(of: "would append", with: "appended")
        #expect(real.stdout.split(separator: "\n")[0] == Substring(announced))
        // A refusal is the same as without --dry-run: exit 4, the rule named.
        let again = try ledger.run(gift + ["--dry-run"], as: "OP-CLK")
        #expect(again.status == 4 && again.stderr.contains("I14.reference-unique"), "\(again.stderr)")
        let json = try ledger.run(["note", "add", "--text", "checked", "--dry-run", "--json"], as: "OP-CLK")
        #expect(json.stdout.contains(#""status":"would_append""#), "\(json.stdout)")
    }
}

/// A mistyped command, action or option is named with the one meant and the ones there are.
@Suite struct TypoTests {
    @Test func aMistypedOptionSuggestsTheOneMeant() throws {
        let ledger = try DomainLedger.make()
        let option = try ledger.run(["contribution", "record", "--party", "P-1", "--amount", "5", "--instrument", "donation",
                                     "--fund", "citizens", "--ref", "V-1", "--rate", "2026-01-02"], as: "OP-CLK")
        #expect(option.status == 2)
        #expect(option.stderr.contains("--rate (did you mean --date?); the options are"), "\(option.stderr)")
        #expect(option.stderr.contains("--amount"))
        let action = try ledger.run(["contribution", "recrod"], as: "OP-CLK")
        #expect(action.stderr.contains("(did you mean record?)"), "\(action.stderr)")
        let command = try ledger.run(["balanse"], as: "OP-CLK")
        #expect(command.stderr.contains("(did you mean balances?)"), "\(command.stderr)")
        let day = try ledger.run(["note", "add", "--text", "x", "--date", "2026-02-30"], as: "OP-CLK")
        #expect(day.status == 2 && day.stderr.contains("--date 2026-02-30 is not a day of the calendar"), "\(day.stderr)")
        let shape = try ledger.run(["note", "add", "--text", "x", "--date", "30/02/2026"], as: "OP-CLK")
        #expect(shape.status == 2 && shape.stderr.contains("must be a date YYYY-MM-DD"), "\(shape.stderr)")
        let report = try ledger.run(["balances", "--by", "fund", "--jsno"], as: "OP-CLK")
        #expect(report.stderr.contains("(did you mean --json?)"), "\(report.stderr)")
    }
}

/// Every action that appends says who may run it: the roles of its event type.
@Suite struct RoleHelpTests {
    @Test(arguments: [("contribution", "Who: treasurer or clerk (appends contribution.recorded"),
                      ("disbursement", "Who: treasurer (appends disbursement.executed"),
                      ("body", "Who: secretary (appends body.member_added"),
                      ("operator", "Who: admin (appends operator.registered")])
    func theHelpNamesTheRoles(_ group: String, _ line: String) throws {
        let help = try LedgerProcess.run(["help", group])
        #expect(help.status == 0)
        #expect(help.stdout.contains(line), "\(help.stdout)")
    }
}

/// An identifier goes as the second word or as its option, wherever one of them works.
@Suite struct IdentifierSpellingTests {
    @Test func bothSpellingsWork() throws {
        let ledger = try DomainLedger.make()
        let positional = try ledger.run(["party", "statement", "P-1", "--csv"], as: "OP-AUD")
        let named = try ledger.run(["party", "statement", "--party", "P-1", "--csv"], as: "OP-AUD")
        #expect(positional.status == 0 && named.status == 0, "\(positional.stderr) \(named.stderr)")
        #expect(positional.stdout == named.stdout && positional.stdout.contains("DON-1"))
        let twice = try ledger.run(["party", "statement", "P-1", "--party", "P-2"], as: "OP-AUD")
        #expect(twice.status == 2 && twice.stderr.contains("given twice"), "\(twice.stderr)")
        let extra = try ledger.run(["fund", "status", "extra"], as: "OP-AUD")
        #expect(extra.status == 2 && extra.stderr.contains("unexpected argument"), "\(extra.stderr)")
    }
}

/// A generic append of one event echoes its payload as people read it: cents show as such.
@Suite struct AppendEchoTests {
    @Test func oneEventIsEchoedWithItsAmount() throws {
        let ledger = try DomainLedger.make()
        let event = #"{"type":"contribution.recorded","payload":{"amount":20,"fund":"citizens","instrument":"donation","party":"P-1","ref":"VIR-C"}}"#
        let result = try ledger.run(["append", "--event", event], as: "OP-CLK")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("amount 0.20 EUR"), "\(result.stdout)")
    }
}

/// The log's table writes amounts as people do (issue 13, defect 1); `--json` keeps the cents.
@Suite struct LogAmountTests {
    @Test func theLogTableShowsAmountsInTheAmountSyntax() throws {
        let ledger = try DomainLedger.make()
        try ledger.expectAppended(["contribution", "record", "--party", "P-2", "--amount", "1234.5", "--instrument", "donation",
                                   "--fund", "citizens", "--ref", "DON-LOG", "--date", "2026-01-01"], as: "OP-TRE")
        let table = try ledger.run(["log", "--type", "contribution.recorded"], as: "OP-AUD")
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("amount 1 234.50 EUR · fund citizens"), "\(table.stdout)")
        #expect(!table.stdout.contains("123450"), "\(table.stdout)")
        let french = try ledger.run(["log", "--type", "contribution.recorded", "--locale", "fr"], as: "OP-AUD")
        #expect(french.stdout.contains("amount 1 234,50 €"), "\(french.stdout)")
        let lines = try ledger.run(["log", "--type", "contribution.recorded", "--json"], as: "OP-AUD")
        #expect(lines.stdout.contains(#""amount":123450"#), "\(lines.stdout)")
    }
}
