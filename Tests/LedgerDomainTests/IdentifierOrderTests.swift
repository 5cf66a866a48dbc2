import Testing
@testable import LedgerDomain

/// Identifiers sort by their bytes (reports list entities in that order): the comparison that
/// reads the bytes where they lie agrees with the UTF-8 views' order on every pair, prefixes,
/// equal texts and every character an identifier may hold included.
@Suite struct IdentifierOrderTests {
    @Test func identifiersSortByTheirBytes() {
        let alphabet = Array("0123456789ABCZabcz.-_:")
        var state: UInt64 = 2024
        var texts = ["P-1", "P-10", "P-1.", "P-2", "p-1", "A", "AB", "A0", "Z", "a"]
        for _ in 0..<300 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = 1 + Int(state >> 59)
            var text = "P"
            for shift in stride(from: 0, to: 4 * length, by: 4) { text.append(alphabet[Int((state >> UInt64(shift)) & 0xF) % alphabet.count]) }
            texts.append(text)
        }
        let ids = texts.map { Identifier<PartyKindTag>($0)! }
        for a in ids {
            for b in ids {
                #expect((a < b) == a.text.utf8.lexicographicallyPrecedes(b.text.utf8), "\(a) < \(b)")
            }
        }
    }
}
