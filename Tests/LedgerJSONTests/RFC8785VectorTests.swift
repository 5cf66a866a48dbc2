import Foundation
import LedgerJSON
import Testing

/// RFC 8785 (JCS) vectors from cyberphone/json-canonicalization, in Fixtures/jcs-rfc8785.
///
/// Which are inside our subset (integers only, NFC strings):
/// - arrays.json: in. Integers, UTF-16 key order of "1" < "10" < "d", empty array.
/// - french.json: in. Precomposed é/ê keys; order is by code units, not French collation.
/// - structures.json: input OUT (`56.0` is a float literal, rejected even in lenient mode);
///   its output (`56`) is in, and strict-decodes and re-encodes byte for byte.
/// - unicode.json: in. Its string U+1E0D U+0307 is called "unnormalized" but it IS already
///   NFC (U+1E0D has no composition with U+0307); its NFD twin d U+0323 U+0307 is what strict
///   mode rejects and lenient mode maps onto the vector.
/// - values.json: OUT. Floats and exponents (1E30, 4.50, 2e-3, ...) in input and output.
/// - weird.json: OUT in strict mode: key U+FB33 is a composition exclusion, so it is not NFC
///   (NFC = U+05D3 U+05BC). Lenient mode normalizes that key, which also moves the member
///   (U+05D3 sorts before U+20AC); every other byte matches the vector.
@Suite struct RFC8785VectorTests {
    static let inSubset = ["arrays", "french", "unicode"]

    @Test(arguments: inSubset)
    func lenientInputEncodesToVectorOutput(name: String) throws {
        let input = try Fixtures.load("jcs-rfc8785/input/\(name).json")
        let output = try Fixtures.load("jcs-rfc8785/output/\(name).json")
        let value = try CanonicalJSON.decode(input, mode: .lenient)
        #expect(CanonicalJSON.encode(value) == output)
    }

    @Test(arguments: inSubset + ["structures"])
    func vectorOutputIsCanonical(name: String) throws {
        let output = try Fixtures.load("jcs-rfc8785/output/\(name).json")
        let value = try CanonicalJSON.decode(output, mode: .canonical)
        #expect(CanonicalJSON.encode(value) == output)
        #expect(try CanonicalJSON.decode(output, mode: .lenient) == value)
    }

    @Test func structuresInputHasAFloat() throws {
        let input = try Fixtures.load("jcs-rfc8785/input/structures.json")
        let text = String(decoding: input, as: UTF8.self)
        expectRejected(input, mode: .lenient, .numberNotInteger, at: offset(of: "56.0", in: text) + 2)
    }

    @Test func valuesAreOutsideTheSubset() throws {
        let input = try Fixtures.load("jcs-rfc8785/input/values.json")
        let output = try Fixtures.load("jcs-rfc8785/output/values.json")
        let inputText = String(decoding: input, as: UTF8.self)
        let outputText = String(decoding: output, as: UTF8.self)
        expectRejected(input, mode: .lenient, .numberNotInteger, at: offset(of: "1E30", in: inputText) + 1)
        expectRejected(output, .numberNotInteger, at: offset(of: "1e+30", in: outputText) + 1)
    }

    @Test func weirdIsNotNFCInStrictMode() throws {
        let output = try Fixtures.load("jcs-rfc8785/output/weird.json")
        let text = String(decoding: output, as: UTF8.self)
        expectRejected(output, .nonNFCString, at: offset(of: "\u{FB33}", in: text))
    }

    @Test func weirdLenientIsTheVectorWithTheKeyInNFC() throws {
        let input = try Fixtures.load("jcs-rfc8785/input/weird.json")
        let output = String(decoding: try Fixtures.load("jcs-rfc8785/output/weird.json"), as: UTF8.self)
        let member = "\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\""
        let normalizedMember = "\"\u{05D3}\u{05BC}\":\"Hebrew Letter Dalet With Dagesh\""
        // Take the member out of the vector and put its NFC spelling in canonical place.
        var expected = output.replacingOccurrences(of: "," + member, with: "")
        expected = expected.replacingOccurrences(of: "\"\u{20AC}\"", with: normalizedMember + ",\"\u{20AC}\"")
        #expect(expected != output)
        let value = try CanonicalJSON.decode(input, mode: .lenient)
        #expect(String(decoding: CanonicalJSON.encode(value), as: UTF8.self) == expected)
        #expect(try CanonicalJSON.decode(bytes(expected), mode: .canonical) == value)
    }

    @Test func unicodeVectorIsAlreadyNFC() throws {
        let output = try Fixtures.load("jcs-rfc8785/output/unicode.json")
        let string = "\u{1E0D}\u{0307}"
        #expect(Array(string.precomposedStringWithCanonicalMapping.utf8) == Array(string.utf8))
        #expect(try CanonicalJSON.decode(output, mode: .canonical) == ["Unnormalized Unicode": .string(string)])
    }

    /// The NFD spelling (and the one with the marks swapped) of the unicode.json string.
    @Test(arguments: ["d\u{0323}\u{0307}", "d\u{0307}\u{0323}", "\u{1E0B}\u{0323}"])
    func unicodeVectorTwins(twin: String) throws {
        let output = try Fixtures.load("jcs-rfc8785/output/unicode.json")
        let document = "{\"Unnormalized Unicode\":\"\(twin)\"}"
        expectRejected(document, .nonNFCString, at: offset(of: twin, in: document))
        let value = try CanonicalJSON.decode(bytes(document), mode: .lenient)
        #expect(CanonicalJSON.encode(value) == output)
    }
}
