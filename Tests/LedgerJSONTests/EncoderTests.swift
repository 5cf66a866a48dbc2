import LedgerJSON
import Testing

@Suite struct EncoderTests {
    func text(_ value: JSONValue) -> String {
        String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
    }

    @Test func scalars() {
        #expect(text(.null) == "null")
        #expect(text(true) == "true")
        #expect(text(false) == "false")
        #expect(text(0) == "0")
        #expect(text(-1) == "-1")
        #expect(text(.integer(JSONValue.integerRange.upperBound)) == "9007199254740991")
        #expect(text(.integer(JSONValue.integerRange.lowerBound)) == "-9007199254740991")
        #expect(text("") == #""""#)
        #expect(text([]) == "[]")
        #expect(text(.object(JSONObject())) == "{}")
    }

    /// ECMAScript JSON.stringify escaping for every byte below 0x20, plus '"' and '\'.
    @Test(arguments: 0..<0x20 as Range<UInt32>)
    func controlCharacters(code: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(code))
        let short: [UInt32: String] = [0x08: #"\b"#, 0x09: #"\t"#, 0x0A: #"\n"#, 0x0C: #"\f"#, 0x0D: #"\r"#]
        let hex = String(code, radix: 16)
        let expected = short[code] ?? "\\u00" + (hex.count == 1 ? "0" + hex : hex)
        #expect(text(.string(String(scalar))) == "\"\(expected)\"")
        #expect(expected == expected.lowercased())
    }

    @Test func quoteBackslashAndRawCharacters() {
        #expect(text(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(text("/\u{7F}\u{80}\u{2028}\u{2029}\u{FFFF}\u{1F600}") == "\"/\u{7F}\u{80}\u{2028}\u{2029}\u{FFFF}\u{1F600}\"")
        #expect(text("\0") == #""\u0000""#)
    }

    @Test func membersInUTF16Order() {
        let object = JSONObject([("\u{FFFF}", 1), ("\u{1F600}", 2), ("b", 3), ("B", 4), ("", 5), ("\u{E9}", 6)])
        #expect(text(.object(object)) == "{\"\":5,\"B\":4,\"b\":3,\"\u{E9}\":6,\"\u{1F600}\":2,\"\u{FFFF}\":1}")
    }

    @Test func nestedStructure() {
        let value: JSONValue = ["b": [1, [2, ["c": .null]], []], "a": ["y": "z", "x": [:]]]
        #expect(text(value) == #"{"a":{"x":{},"y":"z"},"b":[1,[2,{"c":null}],[]]}"#)
    }

    /// The writer puts every string in NFC, so its output always passes the strict reader.
    @Test func writesNFC() throws {
        let nfd = "cafe\u{301}"
        let bytesOut = CanonicalJSON.encode(["k\u{FB33}": .string(nfd)])
        #expect(bytesOut == bytes("{\"k\u{05D3}\u{05BC}\":\"caf\u{E9}\"}"))
        #expect(try CanonicalJSON.decode(bytesOut, mode: .canonical) == ["k\u{FB33}": .string(nfd)])
    }

    @Test func encodeIntoAppends() {
        var buffer = bytes("prefix:")
        CanonicalJSON.encode([1, "x"], into: &buffer)
        #expect(buffer == bytes(#"prefix:[1,"x"]"#))
    }

    @Test func encodeVerifiedChecksPolicyRangeAndLimits() throws {
        #expect(try CanonicalJSON.encodeVerified(["seq": 1], keys: .identifier) == bytes(#"{"seq":1}"#))
        #expect(throws: JSONError(.keyNotIdentifier, at: 1, key: "Seq")) {
            try CanonicalJSON.encodeVerified(["Seq": 1], keys: .identifier)
        }
        #expect(throws: JSONError(.numberOutOfRange, at: 7)) {
            try CanonicalJSON.encodeVerified(["seq": .integer(1 << 53)], keys: .identifier)
        }
        #expect(throws: JSONError(.numberOutOfRange, at: 1)) {
            try CanonicalJSON.encodeVerified([.integer(.min)], keys: .any)
        }
        #expect(throws: JSONError(.depthLimit, at: 1)) {
            try CanonicalJSON.encodeVerified([[]], keys: .any, limits: JSONLimits(depthMax: 1))
        }
    }

    @Test func deepValuesDoNotRecurse() {
        var value: JSONValue = 0
        for _ in 0..<100_000 { value = [value] }
        let encoded = CanonicalJSON.encode(value)
        #expect(encoded.count == 200_001)
        #expect(encoded.prefix(3) == [0x5B, 0x5B, 0x5B])
        // Let go of the chain one level at a time: the enum's own destructor recurses.
        while case .array(let inner) = value, let first = inner.first { value = first }
    }

    @Test func outOfRangeIntegerIsAProgrammerError() async {
        await #expect(processExitsWith: .failure) {
            _ = CanonicalJSON.encode(.integer(9_007_199_254_740_992))
        }
    }

    @Test func descriptionIsCanonicalText() {
        let value: JSONValue = ["b": [1, "two"], "a": .null]
        #expect(value.description == #"{"a":null,"b":[1,"two"]}"#)
        #expect(JSONValue.integer(.max).description == "9223372036854775807")
    }
}
