import Foundation
@testable import LedgerJSON
import Testing

/// The NFC decision rests on the standard library's NFC (the one `String ==` compares by),
/// which the reader uses so that no command loads Foundation; Foundation's
/// `precomposedStringWithCanonicalMapping` is its independent check here.
@Suite struct NormalizationTests {
    @Test(arguments: [
        ("e\u{301}", "\u{E9}"), ("\u{212B}", "\u{C5}"), ("\u{FB33}", "\u{5D3}\u{5BC}"),
        ("d\u{307}\u{323}", "\u{1E0D}\u{307}"), ("\u{958}", "\u{915}\u{93C}"),
        ("\u{1100}\u{1161}\u{11A8}", "\u{AC01}"), ("a\u{0}e\u{301}", "a\u{0}\u{E9}"),
    ])
    func readerAndFoundationNFC(input: String, nfc: String) {
        #expect(Array(Normalization.nfc(input).utf8) == Array(nfc.utf8))
        #expect(Array(input.precomposedStringWithCanonicalMapping.utf8) == Array(nfc.utf8))
    }

    /// Cross-check of the standard library's NFC (an underscored API) with Foundation's: if the
    /// two ever disagree, one of them is wrong, and the reader's must be looked at.
    @Test func foundationAgreesWithStandardLibrary() {
        var generator = ValueGenerator(seed: 0x4E4643)
        let extra: [Unicode.Scalar] = ["\u{323}", "\u{307}", "\u{1100}", "\u{1161}", "\u{11A8}",
                                       "\u{958}", "\u{212B}", "\u{F900}", "\u{2126}", "\u{1D15E}"]
        for _ in 0..<5_000 {
            var text = generator.string(maxLength: 6)
            for _ in 0..<generator.int(0...3) { text.unicodeScalars.append(extra[generator.int(0...9)]) }
            #expect(Array(text.precomposedStringWithCanonicalMapping.utf8) == text._nfcCodeUnits, "\(text.debugDescription)")
        }
    }
}
