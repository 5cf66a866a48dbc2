import LedgerJSON
import Testing

@Suite struct JSONObjectTests {
    @Test func keepsCanonicalOrder() {
        var object = JSONObject([("b", 2), ("a", 1)])
        #expect(object.keys == ["a", "b"])
        object["\u{FFFF}"] = 3
        object["\u{1F600}"] = 4
        object["B"] = 5
        #expect(object.keys == ["B", "a", "b", "\u{1F600}", "\u{FFFF}"])
        #expect(object.count == 5)
        #expect(Array(object).map(\.key) == object.keys)
        #expect(object.values == [5, 1, 2, 4, 3])
    }

    /// The rules read payload members by exact key, in place; a key must match code unit for
    /// code unit (no normalization: payload keys are ASCII).
    @Test func valueByExactKeyAndFirstKey() {
        let object: JSONObject = ["amount": 10, "fund": "citoyens", "ref": "VIR-1"]
        #expect(object.value(exactKey: "fund") == "citoyens")
        #expect(object.value(exactKey: "ref") == "VIR-1")
        #expect(object.value(exactKey: "Fund") == nil)
        #expect(object.value(exactKey: "") == nil)
        #expect(JSONObject().value(exactKey: "a") == nil)
        #expect(object.firstKey { $0.hasPrefix("f") || $0.hasPrefix("r") } == "fund", "in canonical order")
        #expect(object.firstKey { $0 == "missing" } == nil)
        var visited: [String] = []
        _ = object.firstKey { visited.append($0); return false }
        #expect(visited == object.keys)
    }

    @Test func subscriptGetSetRemove() {
        var object: JSONObject = ["amount": 10, "memo": "x"]
        #expect(object["amount"] == 10)
        #expect(object["missing"] == nil)
        object["amount"] = 11
        #expect(object["amount"] == 11)
        object["memo"] = nil
        #expect(object.keys == ["amount"])
        object["missing"] = nil
        #expect(object.count == 1)
        object["amount"] = .null
        #expect(object["amount"] == .null, "a null value is a member, not an absence")
    }

    /// Keys are stored in NFC, so the NFD spelling reaches the same member, and two
    /// canonically equivalent keys can never both be present.
    @Test func keysAreNFC() {
        var object = JSONObject()
        object["cafe\u{301}"] = 1
        #expect(object.keys.map { Array($0.utf8) } == [Array("caf\u{E9}".utf8)])
        #expect(object["caf\u{E9}"] == 1)
        #expect(object["cafe\u{301}"] == 1)
        object["caf\u{E9}"] = 2
        #expect(object.count == 1)
        #expect(object["cafe\u{301}"] == 2)
    }

    /// Lookups compare code units: keys that differ only in ways String == ignores do not
    /// collide (there are none left after NFC), and keys that differ in case do not either.
    @Test func lookupIsByCodeUnits() {
        let object: JSONObject = ["a": 1, "A": 2, "\u{212B}x": 3]
        #expect(object["a"] == 1)
        #expect(object["A"] == 2)
        #expect(object["\u{C5}x"] == 3)  // U+212B ANGSTROM SIGN normalizes to U+00C5
        #expect(object.count == 3)
    }

    @Test func equalityIsCanonicalEncodingEquality() {
        let left: JSONObject = ["k": "caf\u{E9}"]
        let right: JSONObject = ["k": .string("cafe\u{301}")]
        #expect(left == right)
        #expect(CanonicalJSON.encode(.object(left)) == CanonicalJSON.encode(.object(right)))
        let one: JSONObject = ["a": 1]
        #expect(one != ["a": 2])
        #expect(one != ["b": 1])
        #expect(one != ["a": 1, "b": 1])
    }

    @Test func duplicateKeysAreAProgrammerError() async {
        await #expect(processExitsWith: .failure) {
            _ = JSONObject([("caf\u{E9}", 1), ("cafe\u{301}", 2)])
        }
    }

    @Test func accessors() {
        let value: JSONValue = ["s": "x", "i": 1, "b": true, "a": [], "o": [:]]
        let object = value.objectValue
        #expect(object?["s"]?.stringValue == "x")
        #expect(object?["i"]?.integerValue == 1)
        #expect(object?["b"]?.boolValue == true)
        #expect(object?["a"]?.arrayValue == [])
        #expect(object?["o"]?.objectValue == JSONObject())
        #expect(object?["s"]?.integerValue == nil)
    }
}
