import Foundation
import Testing
@testable import LedgerJSON

/// The fast path that skips the normalizer must never change a verdict.
@Suite struct TrivialNFCTests {
    @Test func stringsBelowCombiningMarksAreTheirOwnNFC() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let scalars = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                Unicode.Scalar(UInt32.random(in: 0x20..<0x300, using: &generator))!
            }
            let text = String(String.UnicodeScalarView(scalars))
            #expect(Normalization.isTriviallyNFC(text))
            #expect(Array(text.precomposedStringWithCanonicalMapping.utf8) == Array(text.utf8))
        }
    }

    @Test func combiningMarksAndOtherScriptsTakeTheFullPath() throws {
        #expect(!Normalization.isTriviallyNFC("e\u{301}"))
        #expect(!Normalization.isTriviallyNFC("€"))
        #expect(Normalization.isTriviallyNFC("réunion à Besançon, « œuvre »"))
        #expect(Array(Normalization.nfc("e\u{301}").utf8) == Array("\u{E9}".utf8))
        #expect(throws: JSONError.self) {
            try CanonicalJSON.decode(Array("\"e\u{301}\"".utf8), mode: .canonical)
        }
        let lenient = try CanonicalJSON.decode(Array("\"e\u{301}\"".utf8), mode: .lenient)
        #expect(lenient == .string("\u{E9}"))
    }
}
