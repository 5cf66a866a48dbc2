import Foundation
import Testing

/// What the log holds is shown, never obeyed: escape sequences, C1 controls and bidirectional
/// overrides in names and notes reach no terminal raw, and no CSV cell becomes a formula.
@Suite struct TerminalSafetyTests {
    /// ESC [ 2 J (clear the screen), a C1 CSI, and a right-to-left override, as JSON escapes.
    static let hostile = #"Corse\u001b[2J\u009b31m\u202esinoR"#

    static func hasRawControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { TerminalTextProbe.unsafe($0) }
    }

    @Test func namesAndNotesAreShownEscaped() throws {
        let ledger = try DomainLedger.make()
        let territory = #"{"type":"territory.defined","payload":{"code":"FR-COR","name":"\#(Self.hostile)","parent":"FR"}}"#
        let defined = try ledger.run(["append", "--event", territory], as: "OP-ADMIN")
        #expect(defined.status == 0, "\(defined.stderr)")
        #expect(!Self.hasRawControls(defined.stdout), "\(defined.stdout)")
        let note = try ledger.run(["note", "add", "--text", "line one\nappended seq 999  forged\u{1B}[1A"], as: "OP-CLK")
        #expect(note.status == 0, "\(note.stderr)")
        #expect(!Self.hasRawControls(note.stdout), "\(note.stdout)")
        #expect(!note.stdout.contains("\nappended seq 999"), "a note cannot print a line of its own")
        for command in [["balances", "--by", "territory"], ["log"], ["audit", "FR-COR"]] {
            let result = try ledger.run(command, as: "OP-AUD")
            #expect(!Self.hasRawControls(result.stdout + result.stderr), "\(command): \(result.stdout)")
        }
        let territories = try ledger.run(["balances", "--by", "territory"], as: "OP-AUD")
        #expect(territories.stdout.contains(#"Corse\u{1B}[2J\u{9B}31m\u{202E}sinoR"#), "\(territories.stdout)")
        // Machine output keeps the exact text.
        let json = try ledger.run(["balances", "--by", "territory", "--json"], as: "OP-AUD")
        #expect(json.stdout.contains("\u{202E}sinoR"), "\(json.stdout)")
    }

    /// The scan that passes safe text eight bytes at a time finds a control wherever it lies in
    /// its word: an escape, a DEL, a C1 control and a bidirectional override, each after 0 to 8
    /// letters, in notes that `ledger log` then shows.
    @Test func aControlIsFoundAtEveryPlaceInAWord() throws {
        let ledger = try DomainLedger.make()
        var batch = ""
        for control in [#"\u001b[2J"#, #"\u007f"#, #"\u009b31m"#, #"\u202e"#] {
            for place in 0...8 {
                batch += #"{"type":"note.recorded","payload":{"text":"\#(String(repeating: "a", count: place))\#(control)b"}}"# + "\n"
            }
        }
        let appended = try ledger.run(["append", "--batch", "-"], as: "OP-CLK", stdin: batch)
        #expect(appended.status == 0, "\(appended.stderr)")
        let log = try ledger.run(["log"], as: "OP-AUD")
        #expect(log.status == 0, "\(log.stderr)")
        #expect(!Self.hasRawControls(log.stdout), "\(log.stdout)")
        for place in 0...8 {
            #expect(log.stdout.contains(String(repeating: "a", count: place) + #"\u{1B}[2Jb"#), "after \(place) letters")
            #expect(log.stdout.contains(String(repeating: "a", count: place) + #"\u{202E}b"#), "after \(place) letters")
        }
    }

    @Test func aCSVCellIsNeverAFormula() throws {
        let ledger = try DomainLedger.make()
        let territory = #"{"type":"territory.defined","payload":{"code":"FR-COR","name":"=HYPERLINK(\"http://x.example\")","parent":"FR"}}"#
        #expect(try ledger.run(["append", "--event", territory], as: "OP-ADMIN").status == 0)
        let csv = try ledger.run(["balances", "--by", "territory", "--csv"], as: "OP-AUD")
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains(#"'=HYPERLINK(""http://x.example"")"#), "\(csv.stdout)")
        let lines = csv.stdout.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("=") || $0.contains(",=") || $0.contains(",\"=") }, "\(csv.stdout)")
    }
}

extension TerminalSafetyTests {
    /// A sign or a quote followed by a combining mark is still that sign or quote to a
    /// spreadsheet and to a CSV reader (which read scalars, not Swift's Characters): the cell
    /// is still made text, and the quote still doubled, so the name ends its field where it ends.
    @Test func aCombiningMarkHidesNoFormulaAndNoQuote() throws {
        let ledger = try DomainLedger.make()
        for (code, name) in [("FR-COR", #"=\u0301HYPERLINK(1)"#), ("FR-PDL", #"Pays\"\u0301de Loire, 1"#)] {
            let territory = #"{"type":"territory.defined","payload":{"code":"\#(code)","name":"\#(name)","parent":"FR"}}"#
            let defined = try ledger.run(["append", "--event", territory], as: "OP-ADMIN")
            #expect(defined.status == 0, "\(code): \(defined.stderr)")
        }
        let csv = try ledger.run(["balances", "--by", "territory", "--csv"], as: "OP-AUD")
        #expect(csv.status == 0, "\(csv.stderr)")
        // Compared as bytes: Swift's String search would itself match by Characters.
        let bytes = Array(csv.stdout.utf8)
        #expect(bytes.contains(Array("\nFR-COR,'=\u{301}HYPERLINK(1),".utf8)), "\(csv.stdout.unicodeScalars.map(\.value))")
        #expect(bytes.contains(Array("\nFR-PDL,\"Pays\"\"\u{301}de Loire, 1\",".utf8)), "\(csv.stdout.unicodeScalars.map(\.value))")
    }
}

/// The same test of a scalar as the CLI's, restated here so that the test does not trust it.
enum TerminalTextProbe {
    static func unsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F...0x9F).contains(value)
            || [0x061C, 0x200E, 0x200F].contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
}
