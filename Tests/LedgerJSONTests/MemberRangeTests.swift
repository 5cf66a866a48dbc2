import LedgerJSON
import Testing

@Suite struct MemberRangeTests {
    func decode(_ text: String, keys: JSONKeyPolicy = .identifier) throws(JSONError)
        -> (JSONObject, [(key: String, range: Range<Int>)])
    {
        let input = bytes(text)
        let result = input.withUnsafeBytes { raw in
            Result { () throws(JSONError) in
                try CanonicalJSON.decodeObjectWithMemberRanges(raw, keys: keys, limits: .default)
            }
        }
        return try result.get()
    }

    @Test func rangesCoverKeyToEndOfValue() throws {
        let text = #"{"amount":-5,"memo":"a,b","payload":{"x":[1,{"y":2}]},"seq":7}"#
        let (object, ranges) = try decode(text)
        #expect(object.keys == ["amount", "memo", "payload", "seq"])
        #expect(ranges.map(\.key) == object.keys)
        let pieces = ranges.map { String(decoding: bytes(text)[$0.range], as: UTF8.self) }
        #expect(pieces == [#""amount":-5"#, #""memo":"a,b""#, #""payload":{"x":[1,{"y":2}]}"#, #""seq":7"#])
        // Members and commas tile the object exactly.
        #expect("{" + pieces.joined(separator: ",") + "}" == text)
    }

    @Test func valueRangesAreTheTailOfTheMember() throws {
        let text = #"{"amount":-5,"memo":"a,\"b","payload":{"x":[1,{"y":2}]},"seq":7}"#
        let input = bytes(text)
        let members = try input.withUnsafeBytes { raw in
            try Result { () throws(JSONError) in
                try CanonicalJSON.decodeObjectMembers(raw, keys: .identifier, limits: .default)
            }.get()
        }
        let values = members.map { String(decoding: input[$0.valueRange], as: UTF8.self) }
        #expect(values == ["-5", #""a,\"b""#, #"{"x":[1,{"y":2}]}"#, "7"])
        #expect(members.allSatisfy { $0.valueRange.upperBound == $0.range.upperBound })
        #expect(members.map(\.value) == [-5, "a,\"b", ["x": [1, ["y": 2]]], 7])
    }

    func members(_ text: String, limits: JSONLimits = .default, inPlace: Bool, keysInPlace: Bool = false)
        throws(JSONError) -> [CanonicalJSON.ObjectMember]
    {
        let input = bytes(text)
        let result = input.withUnsafeBytes { raw in
            Result { () throws(JSONError) in
                try CanonicalJSON.decodeObjectMembers(raw, keys: .identifier, limits: limits,
                                                      plainStringsInPlace: inPlace, keysInPlace: keysInPlace)
            }
        }
        return try result.get()
    }

    /// Top-level keys left in the input come back empty, their bytes where the member says;
    /// nested keys are built. Order and repeats are refused exactly as when keys are built,
    /// wherever the offending key falls (the keys before it are spelled out to compare).
    @Test func keysInPlace() throws {
        let text = #"{"actor":"x","payload":{"b":1,"c":{"d":2}},"seq":3,"v":2}"#
        let found = try members(text, inPlace: true, keysInPlace: true)
        #expect(found.map(\.key) == ["", "", "", ""])
        let keys = found.map { String(decoding: bytes(text)[($0.range.lowerBound + 1)..<($0.valueRange.lowerBound - 2)], as: UTF8.self) }
        #expect(keys == ["actor", "payload", "seq", "v"])
        #expect(found[1].value == ["b": 1, "c": ["d": 2]])
        for bad in [#"{"b":1,"a":2}"#, #"{"a":1,"a":2}"#, #"{"a":1,"b":2,"c":3,"b":4}"#, #"{"a":1,"c":2,"b":3,"d":4}"#,
                    #"{"ab":1,"a":2}"#, #"{"a":1,"b":{"d":1,"c":2}}"#, #"{"a":1,"b":1,"b":{}}"#] {
            let expected = #expect(throws: JSONError.self) { try members(bad, inPlace: true) }
            let inPlace = #expect(throws: JSONError.self) { try members(bad, inPlace: true, keysInPlace: true) }
            #expect(expected == inPlace, "\(bad)")
        }
    }

    /// Only the top level's plain strings are left in the input; everything else is built.
    @Test func plainStringsInPlace() throws {
        let text = #"{"a":"plain","b":"tab\t","c":"caf\#u{E9}","d":["x"],"e":{"f":"y"},"g":7,"h":""}"#
        let found = try members(text, inPlace: true)
        #expect(found.map(\.value) == [nil, "tab\t", "caf\u{E9}", ["x"], ["f": "y"], 7, nil])
        let plain = found.filter { $0.value == nil }.map { String(decoding: bytes(text)[$0.valueRange], as: UTF8.self) }
        #expect(plain == [#""plain""#, #""""#])
        #expect(try members(text, inPlace: false).map(\.value) == ["plain", "tab\t", "caf\u{E9}", ["x"], ["f": "y"], 7, ""])
    }

    /// A string left in place is checked exactly as one that is built.
    @Test func plainStringsInPlaceAreStillChecked() {
        var limits = JSONLimits.default
        limits.stringBytesMax = 3
        for inPlace in [false, true] {
            #expect(throws: JSONError(.stringLimit, at: 9)) { try members(#"{"a":"abcd"}"#, limits: limits, inPlace: inPlace) }
            #expect(throws: JSONError(.unexpectedEnd, at: 8)) { try members(#"{"a":"ab"#, inPlace: inPlace) }
            #expect(throws: JSONError(.controlCharacterInString, at: 7)) { try members("{\"a\":\"a\u{1}\"}", inPlace: inPlace) }
            #expect(throws: JSONError(.expectedObject, at: 0)) { try members(#"["a"]"#, inPlace: inPlace) }
        }
    }

    @Test func emptyObjectHasNoRanges() throws {
        let (object, ranges) = try decode("{}")
        #expect(object.isEmpty && ranges.isEmpty)
    }

    @Test func onlyCanonicalInputIsAccepted() {
        #expect(throws: JSONError(.whitespaceNotAllowed, at: 5)) { try decode(#"{"a": 1}"#) }
        #expect(throws: JSONError(.keyNotIdentifier, at: 1, key: "A")) { try decode(#"{"A":1}"#) }
        #expect(throws: JSONError(.expectedObject, at: 0)) { try decode("[1]") }
        #expect(throws: JSONError(.expectedObject, at: 0)) { try decode("7") }
        #expect(throws: JSONError(.keyOrder, at: 7, key: "a")) { try decode(#"{"b":1,"a":2}"#) }
    }

    @Test func nonASCIIKeys() throws {
        let text = "{\"\u{E9}\":\"\u{1F600}\",\"\u{FFFF}\":[]}"
        let (_, ranges) = try decode(text, keys: .any)
        #expect(ranges.map(\.range) == [1..<12, 13..<21])
    }
}
