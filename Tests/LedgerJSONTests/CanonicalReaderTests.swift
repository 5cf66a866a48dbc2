import Foundation
import LedgerJSON
import Testing

/// Canonical mode accepts exactly the canonical encoding; every small deviation from a valid
/// document is rejected at the first byte where it deviates.
@Suite struct CanonicalReaderTests {
    static let document = #"{"amount":-125000,"currency":"EUR","flags":[true,false,null],"#
        + #""memo":"tab\there \"q\" \\ a/b é\u001f","payload":{"a":0,"b":[]},"#
        + #""seq":9007199254740991}"#

    @Test func documentIsCanonical() throws {
        let value = try CanonicalJSON.decode(bytes(Self.document), mode: .canonical)
        #expect(CanonicalJSON.encode(value) == bytes(Self.document))
        #expect(value.objectValue?["memo"] == .string("tab\there \"q\" \\ a/b é\u{1F}"))
        #expect(value.objectValue?["seq"] == .integer(9_007_199_254_740_991))
    }

    struct Variant: CustomTestStringConvertible, Sendable {
        let find: String
        let replace: String
        let reason: JSONError.Reason
        /// Offset of the reported byte relative to where `find` starts in the document.
        let delta: Int
        var testDescription: String { "\(find) -> \(replace)" }
    }

    static let variants: [Variant] = [
        Variant(find: #""amount":"#, replace: #""amount": "#, reason: .whitespaceNotAllowed, delta: 9),
        Variant(find: #","currency""#, replace: #", "currency""#, reason: .whitespaceNotAllowed, delta: 1),
        Variant(find: "[true,", replace: "[ true,", reason: .whitespaceNotAllowed, delta: 1),
        Variant(find: #""EUR""#, replace: #""\u0045UR""#, reason: .nonCanonicalEscape, delta: 1),
        Variant(find: "a/b", replace: #"a\/b"#, reason: .nonCanonicalEscape, delta: 1),
        Variant(find: #"\t"#, replace: #"\u0009"#, reason: .nonCanonicalEscape, delta: 0),
        Variant(find: #"\u001f"#, replace: #"\u001F"#, reason: .nonCanonicalEscape, delta: 0),
        Variant(find: "é", replace: #"\u00e9"#, reason: .nonCanonicalEscape, delta: 0),
        Variant(find: "é", replace: "e\u{301}", reason: .nonNFCString, delta: 0),
        Variant(find: #""a":0"#, replace: #""a":00"#, reason: .nonCanonicalNumber, delta: 5),
        Variant(find: #""a":0"#, replace: #""a":-0"#, reason: .negativeZero, delta: 4),
        Variant(find: #""a":0"#, replace: #""a":0.0"#, reason: .numberNotInteger, delta: 5),
        Variant(find: "-125000", replace: "-125000.0", reason: .numberNotInteger, delta: 7),
        Variant(find: "-125000", replace: "-1.25e5", reason: .numberNotInteger, delta: 2),
        Variant(find: "-125000", replace: "-0125000", reason: .nonCanonicalNumber, delta: 2),
        Variant(find: "9007199254740991", replace: "9007199254740992", reason: .numberOutOfRange, delta: 0),
        Variant(find: #""a":0,"b":[]"#, replace: #""b":[],"a":0"#, reason: .keyOrder, delta: 7),
        Variant(find: #""a":0,"b":[]"#, replace: #""a":0,"a":[]"#, reason: .duplicateKey, delta: 6),
        Variant(find: #""flags""#, replace: #""currency""#, reason: .duplicateKey, delta: 0),
        Variant(find: #""seq""#, replace: #""aaa""#, reason: .keyOrder, delta: 0),
        Variant(find: "true", replace: "True", reason: .unexpectedByte, delta: 0),
        Variant(find: "[]", replace: "[ ]", reason: .whitespaceNotAllowed, delta: 1),
        Variant(find: "null]", replace: "null,]", reason: .unexpectedByte, delta: 5),
    ]

    @Test(arguments: variants)
    func rejectsVariant(_ variant: Variant) {
        let start = offset(of: variant.find, in: Self.document)
        let mutated = replacingFirst(variant.find, with: variant.replace, in: Self.document)
        #expect(mutated != bytes(Self.document))
        expectRejected(mutated, variant.reason, at: start + variant.delta)
    }

    @Test(arguments: [" ", "\n", "\r\n", "\t"])
    func rejectsSurroundingWhitespace(space: String) {
        expectRejected(space + Self.document, .whitespaceNotAllowed, at: 0)
        expectRejected(Self.document + space, .whitespaceNotAllowed, at: bytes(Self.document).count)
    }

    /// Each rejected variant is fine for the lenient reader when it is still valid JSON
    /// of the subset, and then means the same as the canonical document.
    @Test func lenientAcceptsTheHarmlessVariants() throws {
        let canonical = try CanonicalJSON.decode(bytes(Self.document), mode: .canonical)
        let harmless: Set<JSONError.Reason> = [.whitespaceNotAllowed, .nonCanonicalEscape, .keyOrder, .nonNFCString]
        for variant in Self.variants where harmless.contains(variant.reason) {
            let mutated = replacingFirst(variant.find, with: variant.replace, in: Self.document)
            let value = try CanonicalJSON.decode(mutated, mode: .lenient)
            if variant.reason == .keyOrder && variant.find == #""seq""# { continue }
            #expect(value == canonical, "\(variant.testDescription)")
            #expect(CanonicalJSON.encode(value) == bytes(Self.document))
        }
    }

    @Test func integerBoundaries() throws {
        let bound = JSONValue.integerRange.upperBound
        #expect(try CanonicalJSON.decode(bytes("9007199254740991"), mode: .canonical) == .integer(bound))
        #expect(try CanonicalJSON.decode(bytes("-9007199254740991"), mode: .canonical) == .integer(-bound))
        expectRejected("9007199254740992", .numberOutOfRange, at: 0)
        expectRejected("-9007199254740992", .numberOutOfRange, at: 0)
        expectRejected("99999999999999999", .numberOutOfRange, at: 0)
        expectRejected("18446744073709551616", mode: .lenient, .numberOutOfRange, at: 0)
        for text in ["0", "1", "-1", "10", "-10", "1234567890123456"] {
            let value = try CanonicalJSON.decode(bytes(text), mode: .canonical)
            #expect(CanonicalJSON.encode(value) == bytes(text))
        }
    }

    @Test func topLevelScalarsAreValues() throws {
        #expect(try CanonicalJSON.decode(bytes("null"), mode: .canonical) == .null)
        #expect(try CanonicalJSON.decode(bytes("true"), mode: .canonical) == .bool(true))
        #expect(try CanonicalJSON.decode(bytes("false"), mode: .canonical) == .bool(false))
        #expect(try CanonicalJSON.decode(bytes(#""""#), mode: .canonical) == .string(""))
        #expect(try CanonicalJSON.decode(bytes("[]"), mode: .canonical) == .array([]))
        #expect(try CanonicalJSON.decode(bytes("{}"), mode: .canonical) == .object(JSONObject()))
    }

    /// Raw DEL, U+2028, '/' and non-ASCII are canonical as they are; escaped they are not.
    @Test func rawCharactersThatStayRaw() throws {
        let text = "\"/\u{7F}\u{80}\u{2028}\u{2029}\u{FEFF}\u{1F600}\u{10FFFF}\""
        let value = try CanonicalJSON.decode(bytes(text), mode: .canonical)
        #expect(CanonicalJSON.encode(value) == bytes(text))
        expectRejected(#""\u007f""#, .nonCanonicalEscape, at: 1)
        expectRejected(#""\u2028""#, .nonCanonicalEscape, at: 1)
    }

    @Test func theOnlyCanonicalEscapes() throws {
        let text = #""\"\\\b\t\n\f\r\u0000\u0001\u0007\u000b\u000e\u001f""#
        let value = try CanonicalJSON.decode(bytes(text), mode: .canonical)
        #expect(value == .string("\"\\\u{8}\t\n\u{C}\r\u{0}\u{1}\u{7}\u{B}\u{E}\u{1F}"))
        #expect(CanonicalJSON.encode(value) == bytes(text))
    }

    /// UTF-16 order, not byte order: U+FFFF sorts after U+1F600 (D83D DE00).
    @Test func keyOrderIsUTF16() throws {
        let text = "{\"a\":1,\"\u{E9}\":2,\"\u{1F600}\":3,\"\u{E000}\":4,\"\u{FFFF}\":5}"
        let value = try CanonicalJSON.decode(bytes(text), mode: .canonical)
        #expect(value.objectValue?.keys == ["a", "\u{E9}", "\u{1F600}", "\u{E000}", "\u{FFFF}"])
        expectRejected("{\"\u{E000}\":1,\"\u{10000}\":2}", .keyOrder, at: 9)
        expectRejected(#"{"B":1,"A":2}"#, .keyOrder, at: 7)
        expectRejected(#"{"a":1,"B":2}"#, .keyOrder, at: 7)
        expectRejected(#"{"ab":1,"a":2}"#, .keyOrder, at: 8)
    }

    /// A key with an escape is compared by its decoded code units, not its raw bytes.
    @Test func escapedKeysSortByDecodedValue() throws {
        let text = #"{"\n":1,"A":2}"#
        let value = try CanonicalJSON.decode(bytes(text), mode: .canonical)
        #expect(value.objectValue?.keys == ["\n", "A"])
        expectRejected(#"{"A":1,"\n":2}"#, .keyOrder, at: 7)
        expectRejected(#"{"\n":1,"\n":2}"#, .duplicateKey, at: 8)
    }
}

/// Replaces the first occurrence of `target` by its UTF-8 bytes. String operations would not
/// do: they match canonically equivalent text (é finds e + U+0301), the very pitfall at hand.
func replacingFirst(_ target: String, with replacement: String, in text: String) -> [UInt8] {
    let start = offset(of: target, in: text)
    var result = bytes(text)
    result.replaceSubrange(start..<(start + bytes(target).count), with: bytes(replacement))
    return result
}
