import LedgerJSON
import Testing

/// Every limit at its boundary: the limit itself is accepted, one more is rejected with the
/// limit's own reason at the first byte beyond it.
@Suite struct LimitTests {
    func accepts(_ input: [UInt8], mode: CanonicalJSON.Mode = .canonical, keys: JSONKeyPolicy = .any,
                 limits: JSONLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: Never.self, sourceLocation: sourceLocation) {
            try CanonicalJSON.decode(input, mode: mode, keys: keys, limits: limits)
        }
    }

    @Test func defaults() {
        let limits = JSONLimits.default
        #expect(limits.inputBytesMax == 65_536)
        #expect(limits.depthMax == 16)
        #expect(limits.stringBytesMax == 16_384)
        #expect(limits.keyBytesMax == 64)
        #expect(limits.arrayCountMax == 10_000)
        #expect(limits.memberCountMax == 1_000)
        #expect(JSONKeyPolicy.identifierBytesMax == limits.keyBytesMax)
    }

    @Test(arguments: [0, 1, 2, 100])
    func inputBytes(limit: Int) {
        let limits = JSONLimits(inputBytesMax: limit)
        let fits = bytes(#"""#) + Array(repeating: UInt8(ascii: "a"), count: max(limit - 2, 0)) + bytes(#"""#)
        if limit >= 2 { accepts(fits, limits: limits) }
        expectRejected(bytes(String(repeating: "1", count: limit + 1)), limits: limits, .inputLimit, at: limit)
    }

    @Test func defaultInputBytesBoundary() {
        let limit = JSONLimits.default.inputBytesMax
        let body = String(repeating: "a", count: limit - 2)
        accepts(bytes("\"\(body)\""), limits: JSONLimits(inputBytesMax: limit, stringBytesMax: limit))
        expectRejected("\"\(body)a\"", limits: JSONLimits(stringBytesMax: limit), .inputLimit, at: limit)
    }

    static func nestedArrays(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    static func nestedObjects(_ depth: Int) -> String {
        String(repeating: #"{"a":"#, count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
    }

    @Test func depthDefault() {
        accepts(bytes(Self.nestedArrays(15)))
        accepts(bytes(Self.nestedArrays(16)))
        expectRejected(Self.nestedArrays(17), .depthLimit, at: 16)
        accepts(bytes(Self.nestedObjects(16)))
        expectRejected(Self.nestedObjects(17), .depthLimit, at: 16 * 5)
        expectRejected(Self.nestedArrays(17), mode: .lenient, .depthLimit, at: 16)
        // A deep document is rejected at the limit, long before anything could overflow.
        expectRejected(Self.nestedArrays(100_000), limits: JSONLimits(inputBytesMax: 1 << 20), .depthLimit, at: 16)
    }

    @Test(arguments: [0, 1, 2])
    func depthCustom(limit: Int) {
        let limits = JSONLimits(depthMax: limit)
        accepts(bytes("7"), limits: limits)
        if limit > 0 { accepts(bytes(Self.nestedArrays(limit)), limits: limits) }
        expectRejected(Self.nestedArrays(limit + 1), limits: limits, .depthLimit, at: limit)
    }

    @Test func stringBytes() {
        let limits = JSONLimits(stringBytesMax: 4)
        accepts(bytes(#""abc""#), limits: limits)
        accepts(bytes(#""abcd""#), limits: limits)
        expectRejected(#""abcde""#, limits: limits, .stringLimit, at: 5)
        // Bytes, not characters: é is two.
        accepts(bytes("\"ab\u{E9}\""), limits: limits)
        expectRejected("\"abc\u{E9}\"", limits: limits, .stringLimit, at: 4)
        // Decoded bytes: an escape counts once, and the error points at the escape.
        accepts(bytes(#""ab\n\"""#), limits: limits)
        expectRejected(#""abc\n\"""#, limits: limits, .stringLimit, at: 6)
        expectRejected(#""abcd\u0041""#, mode: .lenient, limits: limits, .stringLimit, at: 5)
        // Keys have their own limit.
        accepts(bytes(#"{"abcdefgh":"abcd"}"#), limits: limits)
    }

    @Test func defaultStringBytes() {
        let limit = JSONLimits.default.stringBytesMax
        accepts(bytes("\"" + String(repeating: "x", count: limit) + "\""))
        expectRejected("\"" + String(repeating: "x", count: limit + 1) + "\"", .stringLimit, at: limit + 1)
    }

    /// Lenient mode checks the NFC form too: it can be longer than the input.
    @Test func normalizationCanExceedTheStringLimit() {
        let limits = JSONLimits(stringBytesMax: 3)
        // U+0958 (3 bytes) normalizes to U+0915 U+093C (6 bytes).
        expectRejected("[\"\u{0958}\"]", mode: .lenient, limits: limits, .stringLimit, at: 1)
        accepts(bytes("[\"\u{0958}\"]"), mode: .lenient, limits: JSONLimits(stringBytesMax: 6))
    }

    @Test func keyBytes() {
        let key64 = String(repeating: "k", count: 64)
        accepts(bytes("{\"\(key64)\":1}"), keys: .identifier)
        expectRejected("{\"\(key64)k\":1}", keys: .identifier, .keyLimit, at: 66)
        expectRejected("{\"\(key64)k\":1}", .keyLimit, at: 66)
        let limits = JSONLimits(keyBytesMax: 2)
        accepts(bytes(#"{"ab":"abcdef"}"#), limits: limits)
        expectRejected(#"{"abc":1}"#, limits: limits, .keyLimit, at: 4)
        expectRejected("{\"a\u{E9}\":1}", limits: limits, .keyLimit, at: 3)
        // The identifier rule caps keys at 64 bytes even when keyBytesMax is larger.
        let wide = JSONLimits(keyBytesMax: 100)
        expectRejected("{\"\(key64)k\":1}", keys: .identifier, limits: wide, .keyNotIdentifier, at: 1)
        accepts(bytes("{\"\(key64)k\":1}"), keys: .any, limits: wide)
    }

    static func array(_ count: Int) -> String {
        "[" + Array(repeating: "0", count: count).joined(separator: ",") + "]"
    }

    @Test func arrayCount() {
        let limit = JSONLimits.default.arrayCountMax
        accepts(bytes(Self.array(limit)))
        expectRejected(Self.array(limit + 1), .arrayLimit, at: 1 + 2 * limit)
        let small = JSONLimits(arrayCountMax: 1)
        accepts(bytes("[[0],[1]]"), limits: JSONLimits(arrayCountMax: 2))
        accepts(bytes("[5]"), limits: small)
        expectRejected("[5,6]", limits: small, .arrayLimit, at: 3)
        expectRejected("[5, 6]", mode: .lenient, limits: small, .arrayLimit, at: 4)
        accepts(bytes("[]"), limits: JSONLimits(arrayCountMax: 0))
        expectRejected("[5]", limits: JSONLimits(arrayCountMax: 0), .arrayLimit, at: 1)
    }

    static func object(_ count: Int) -> String {
        let members = (0..<count).map { index in
            let digits = String(index)
            return "\"k" + String(repeating: "0", count: 5 - digits.count) + digits + "\":0"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    @Test func memberCount() {
        let limit = JSONLimits.default.memberCountMax
        accepts(bytes(Self.object(limit)), keys: .identifier)
        let tooMany = Self.object(limit + 1)
        expectRejected(tooMany, .memberLimit, at: offset(of: "\"k01000\"", in: tooMany))
        let small = JSONLimits(memberCountMax: 2)
        accepts(bytes(#"{"a":{"x":1,"y":2},"b":1}"#), limits: small)
        expectRejected(#"{"a":1,"b":2,"c":3}"#, limits: small, .memberLimit, at: 13)
        accepts(bytes("{}"), limits: JSONLimits(memberCountMax: 0))
        expectRejected(#"{"a":1}"#, limits: JSONLimits(memberCountMax: 0), .memberLimit, at: 1)
    }
}
