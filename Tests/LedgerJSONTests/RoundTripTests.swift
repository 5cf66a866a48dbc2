import Foundation
import LedgerJSON
import Testing

@Suite struct RoundTripTests {
    static let canonicalDocuments = [
        "null", "true", "0", "-9007199254740991", #""""#, "[]", "{}",
        #"[56,{"1":[],"10":null,"d":true}]"#,
        #"{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}"#,
        #"{"a":"\u0000\u001f\b\t\n\f\r\"\\/","b":[[[[]]]],"c":{"d":{"e":{}}}}"#,
        "{\"\u{80}\":\"\u{7F}\",\"\u{F6}\":\"\u{2028}\",\"\u{20AC}\":1,\"\u{1F602}\":2,\"\u{FFFF}\":3}",
        #"{"amount":125000,"prev":"3f9a0c7e3f9a0c7e3f9a0c7e3f9a0c7e3f9a0c7e3f9a0c7e3f9a0c7e3f9a0c7e","seq":1}"#,
    ]

    @Test(arguments: canonicalDocuments)
    func encodeOfDecodeIsIdentity(document: String) throws {
        let value = try CanonicalJSON.decode(bytes(document), mode: .canonical)
        #expect(CanonicalJSON.encode(value) == bytes(document))
        #expect(try CanonicalJSON.decode(bytes(document), mode: .lenient) == value)
    }

    /// Random trees: encode, strict decode, equal, re-encode identical. The generator mixes in
    /// controls, quotes, combining marks (NFD input), U+FB33, U+E000..U+FFFF and astral keys.
    @Test(arguments: 0..<8 as Range<UInt64>)
    func randomTrees(seed: UInt64) throws {
        var generator = ValueGenerator(seed: 0xC0FFEE + seed)
        let limits = JSONLimits(inputBytesMax: 1 << 20)
        for _ in 0..<400 {
            let value = generator.value(depth: 5)
            let encoded = CanonicalJSON.encode(value)
            let decoded = try CanonicalJSON.decode(encoded, mode: .canonical, limits: limits)
            #expect(decoded == value)
            #expect(CanonicalJSON.encode(decoded) == encoded)
            #expect(try CanonicalJSON.encodeVerified(decoded, keys: .any, limits: limits) == encoded)
        }
    }

    /// Decoded strings are NFC byte for byte (not just == to NFC, which String == would say
    /// of the NFD form as well).
    @Test func decodedStringsAreNFCBytes() throws {
        var generator = ValueGenerator(seed: 42)
        for _ in 0..<2_000 {
            let text = generator.string(maxLength: 8)
            let decoded = try CanonicalJSON.decode(CanonicalJSON.encode(.string(text)), mode: .canonical)
            let decodedBytes = decoded.stringValue.map { Array($0.utf8) }
            #expect(decodedBytes == Array(text.precomposedStringWithCanonicalMapping.utf8))
        }
    }
}
