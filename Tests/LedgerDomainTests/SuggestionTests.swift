import Testing
@testable import LedgerDomain

@Suite struct SuggestionTests {
    @Test func aTypoFindsTheWordMeant() {
        #expect(Suggestion.closest(to: "OP-SAISE", among: ["OP-SAISIE", "OP-SECRETAIRE", "OP-ADMIN"]) == "OP-SAISIE")
        #expect(Suggestion.closest(to: "rate", among: ["date", "idem", "ledger"]) == "date")
        #expect(Suggestion.closest(to: "recrod", among: ["record", "reverse"]) == "record")
        // Two neighbours swapped are one edit.
        #expect(Suggestion.closest(to: "jsno", among: ["json", "csv"]) == "json")
        // Case is forgiven; a word far from all is not guessed.
        #expect(Suggestion.closest(to: "op-admin", among: ["OP-ADMIN"]) == "OP-ADMIN")
        #expect(Suggestion.closest(to: "banana", among: ["date", "idem"]) == nil)
        // Too short to guess from: one letter off is half the word.
        #expect(Suggestion.closest(to: "ab", among: ["ac"]) == nil)
    }

    /// Ties go to the first in byte order: the message is the same whatever a table's order.
    @Test func aTieIsBrokenTheSameWayEveryTime() {
        #expect(Suggestion.closest(to: "P-10", among: ["P-19", "P-11", "P-12"]) == "P-11")
        #expect(Suggestion.closest(to: "P-10", among: ["P-12", "P-19", "P-11"]) == "P-11")
    }

    @Test func anUnknownIdentifierNamesTheOneMeant() {
        var fold = Fold.world()
        let message = fold.refuse("I0.unknown-reference", E.contribution("VIR-1", party: "P-7"))
        #expect(message.contains("(did you mean \"P-1\"?)"), "\(message)")
        let actor = fold.refuse("A1.operator-unknown", E.note("x").by("OP-CLX"))
        #expect(actor.contains("(did you mean \"OP-CLK\"?)"), "\(actor)")
    }
}
