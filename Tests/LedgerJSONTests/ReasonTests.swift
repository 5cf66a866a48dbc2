import LedgerJSON
import Testing

/// Every `JSONError.Reason` triggered at least once, with its exact byte offset.
@Suite struct ReasonTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let input: [UInt8]
        let mode: CanonicalJSON.Mode
        let keys: JSONKeyPolicy
        let limits: JSONLimits
        let reason: JSONError.Reason
        let offset: Int

        init(_ text: String, _ mode: CanonicalJSON.Mode, keys: JSONKeyPolicy = .any,
             limits: JSONLimits = .default, _ reason: JSONError.Reason, at offset: Int) {
            self.init(bytes: Array(text.utf8), mode, keys: keys, limits: limits, reason, at: offset)
        }

        init(_ text: String, keys: JSONKeyPolicy = .any, limits: JSONLimits = .default,
             _ reason: JSONError.Reason, at offset: Int) {
            self.init(bytes: Array(text.utf8), .canonical, keys: keys, limits: limits, reason,
                      at: offset)
        }

        init(bytes: [UInt8], _ reason: JSONError.Reason, at offset: Int) {
            self.init(bytes: bytes, .canonical, reason, at: offset)
        }

        init(bytes: [UInt8], _ mode: CanonicalJSON.Mode, keys: JSONKeyPolicy = .any,
             limits: JSONLimits = .default, _ reason: JSONError.Reason, at offset: Int) {
            self.input = bytes
            self.mode = mode
            self.keys = keys
            self.limits = limits
            self.reason = reason
            self.offset = offset
        }

        var testDescription: String { "\(reason) at \(offset): \(render(input)) \(mode)" }
    }

    static let cases: [Case] = [
        Case("", .unexpectedEnd, at: 0),
        Case(#"{"a":1"#, .unexpectedEnd, at: 6),
        Case(#""abc"#, .unexpectedEnd, at: 4),
        Case("[1,", .unexpectedEnd, at: 3),
        Case("tru", .unexpectedEnd, at: 3),
        Case("-", .unexpectedEnd, at: 1),
        Case(#""\u00"#, .lenient, .unexpectedEnd, at: 5),
        Case("[1,]", .unexpectedByte, at: 3),
        Case(#"{"a"1}"#, .unexpectedByte, at: 4),
        Case("{1:2}", .unexpectedByte, at: 1),
        Case("+1", .unexpectedByte, at: 0),
        Case("NaN", .lenient, .unexpectedByte, at: 0),
        Case("[Infinity]", .lenient, .unexpectedByte, at: 1),
        Case("-x", .unexpectedByte, at: 1),
        Case("tRue", .unexpectedByte, at: 1),
        Case("[1 2]", .lenient, .unexpectedByte, at: 3),
        Case(#"{"a":1 /* c */}"#, .lenient, .unexpectedByte, at: 7),
        Case("// c\n1", .lenient, .unexpectedByte, at: 0),
        Case("[1\u{C}]", .lenient, .unexpectedByte, at: 2),
        Case("{}x", .trailingBytes, at: 2),
        Case("1 2", .lenient, .trailingBytes, at: 2),
        Case("{}{}", .trailingBytes, at: 2),
        Case("[1]]", .trailingBytes, at: 3),
        Case("0x1F", .trailingBytes, at: 1),
        Case(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8), .byteOrderMark, at: 0),
        Case(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8), .lenient, .byteOrderMark, at: 0),
        Case(#"{"a": 1}"#, .whitespaceNotAllowed, at: 5),
        Case(" {}", .whitespaceNotAllowed, at: 0),
        Case("{}\n", .whitespaceNotAllowed, at: 2),
        Case("[1 ]", .whitespaceNotAllowed, at: 2),
        Case("{ }", .whitespaceNotAllowed, at: 1),
        Case(bytes: [0x22, 0xC0, 0x80, 0x22], .invalidUTF8, at: 1),
        Case(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, at: 2),
        Case(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, at: 2),
        Case(bytes: [0x22, 0xE2, 0x82, 0x22], .invalidUTF8, at: 3),
        Case(bytes: [0x22, 0xE2, 0x82], .unexpectedEnd, at: 3),
        Case(bytes: [0x22, 0x61, 0xFF, 0x22], .lenient, .invalidUTF8, at: 2),
        Case(bytes: [0x22, 0x80, 0x22], .invalidUTF8, at: 1),
        Case(bytes: [0x22, 0xE0, 0x80, 0x80, 0x22], .invalidUTF8, at: 2),
        Case(bytes: [0x22, 0xF0, 0x80, 0x80, 0x80, 0x22], .invalidUTF8, at: 2),
        Case(bytes: [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),
        Case(bytes: [0x22, 0x61, 0x00, 0x62, 0x22], .controlCharacterInString, at: 2),
        Case(bytes: [0x22, 0x1F, 0x22], .lenient, .controlCharacterInString, at: 1),
        Case("\"a\tb\"", .controlCharacterInString, at: 2),
        Case(#""\x""#, .lenient, .invalidEscape, at: 2),
        Case(#""\'""#, .invalidEscape, at: 2),
        Case(#""\U0041""#, .lenient, .invalidEscape, at: 2),
        Case(#""\u12G4""#, .lenient, .invalidEscape, at: 5),
        Case(#""ab\/""#, .nonCanonicalEscape, at: 3),
        Case(#""\u0041""#, .nonCanonicalEscape, at: 1),
        Case(#""\u001F""#, .nonCanonicalEscape, at: 1),
        Case(#""\u000a""#, .nonCanonicalEscape, at: 1),
        Case(#""\u00e9""#, .nonCanonicalEscape, at: 1),
        Case(#""\ud83d\ude02""#, .nonCanonicalEscape, at: 1),
        Case(#""\ud800""#, .lenient, .loneSurrogate, at: 1),
        Case(#""\udc00\ud800""#, .lenient, .loneSurrogate, at: 1),
        Case(#""a\ud83dx""#, .lenient, .loneSurrogate, at: 2),
        Case(#""\ud83d\u0041""#, .lenient, .loneSurrogate, at: 1),
        Case(#""\ud83d\ud83d""#, .lenient, .loneSurrogate, at: 1),
        Case("\"e\u{301}\"", .nonNFCString, at: 1),
        Case("\"ab\u{FB33}\"", .nonNFCString, at: 3),
        Case("{\"xe\u{301}\":1}", .nonNFCString, at: 3),
        Case("\"\\n\u{212B}\"", .nonNFCString, at: 3),
        Case("1.0", .numberNotInteger, at: 1),
        Case("1e3", .lenient, .numberNotInteger, at: 1),
        Case("1E2", .numberNotInteger, at: 1),
        Case("[-1.5]", .numberNotInteger, at: 3),
        Case("-0.0", .lenient, .numberNotInteger, at: 2),
        Case("1.", .numberNotInteger, at: 1),
        Case("9007199254740992", .numberOutOfRange, at: 0),
        Case("[-9007199254740992]", .numberOutOfRange, at: 1),
        Case("123456789012345678901234567890", .lenient, .numberOutOfRange, at: 0),
        Case("01", .nonCanonicalNumber, at: 1),
        Case("[-01]", .lenient, .nonCanonicalNumber, at: 3),
        Case("00", .nonCanonicalNumber, at: 1),
        Case("-0", .negativeZero, at: 0),
        Case("[1,-0]", .lenient, .negativeZero, at: 3),
        Case(#"{"a":1,"a":2}"#, .duplicateKey, at: 7),
        Case(#"{"b":1,"a":2,"b":3}"#, .lenient, .duplicateKey, at: 13),
        Case(#"{"b":1,"a":2}"#, .keyOrder, at: 7),
        Case("{\"\u{FFFF}\":1,\"\u{1F600}\":2}", .keyOrder, at: 9),
        Case(#"{"Amount":1}"#, keys: .identifier, .keyNotIdentifier, at: 1),
        Case(#"{"":1}"#, keys: .identifier, .keyNotIdentifier, at: 1),
        Case(#"{"a":1,"a-b":2}"#, keys: .identifier, .keyNotIdentifier, at: 7),
        Case(#"{"1a":1}"#, .lenient, keys: .identifier, .keyNotIdentifier, at: 1),
        Case(#"{"a\u0041":1}"#, .lenient, keys: .identifier, .keyNotIdentifier, at: 1),
        Case("[1,2,3,4,5]", limits: JSONLimits(inputBytesMax: 10), .inputLimit, at: 10),
        Case(String(repeating: "[", count: 17) + String(repeating: "]", count: 17),
             .depthLimit, at: 16),
        Case(#"["abcd"]"#, limits: JSONLimits(stringBytesMax: 3), .stringLimit, at: 5),
        Case(#"["a\nbc"]"#, limits: JSONLimits(stringBytesMax: 3), .stringLimit, at: 6),
        Case("{\"" + String(repeating: "k", count: 65) + "\":1}", .keyLimit, at: 66),
        Case("[1,2,3]", limits: JSONLimits(arrayCountMax: 2), .arrayLimit, at: 5),
        Case(#"{"a":1,"b":2}"#, limits: JSONLimits(memberCountMax: 1), .memberLimit, at: 7),
    ]

    @Test(arguments: cases)
    func rejects(_ example: Case) {
        expectRejected(example.input, mode: example.mode, keys: example.keys,
                       limits: example.limits, example.reason, at: example.offset)
    }

    @Test func expectedObjectFromMemberRanges() {
        let input = bytes("[1]")
        let result = input.withUnsafeBytes { raw in
            Result { () throws(JSONError) in
                try CanonicalJSON.decodeObjectWithMemberRanges(raw, keys: .any, limits: .default)
            }
        }
        #expect(throws: JSONError(.expectedObject, at: 0)) { try result.get() }
    }

    /// The table above plus `expectedObject` cover the whole closed set.
    @Test func everyReasonIsCovered() {
        let covered = Set(Self.cases.map(\.reason)).union([.expectedObject])
        for reason in JSONError.Reason.allCases {
            #expect(covered.contains(reason), "no test triggers \(reason)")
        }
    }

    @Test func descriptionsRenderTheValues() {
        #expect(JSONError(.duplicateKey, at: 17, key: "amount").description
                == #"byte 17: duplicate key "amount""#)
        #expect(JSONError(.keyOrder, at: 3, key: "a\"\n").description
                == #"byte 3: key out of canonical order "a\"\n""#)
        #expect(JSONError(.unexpectedEnd, at: 0).description == "byte 0: unexpected end of input")
        let summaries = JSONError.Reason.allCases.map(\.summary)
        #expect(Set(summaries).count == summaries.count, "each reason reads differently")
    }

    @Test func keyErrorsCarryTheKey() {
        expectRejected(#"{"a":1,"a":2}"#, .duplicateKey, at: 7, key: "a")
        expectRejected(#"{"b":1,"a":2}"#, .keyOrder, at: 7, key: "a")
        expectRejected(#"{"Amount":1}"#, keys: .identifier, .keyNotIdentifier, at: 1, key: "Amount")
    }
}
