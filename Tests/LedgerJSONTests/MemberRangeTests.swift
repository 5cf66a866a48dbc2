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
