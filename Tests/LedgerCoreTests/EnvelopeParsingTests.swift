import LedgerCrypto
import Testing
@testable import LedgerCore

/// The verifier's in-place readers must agree with the general-purpose ones they stand in for.
@Suite struct EnvelopeParsingTests {
    func digest(_ text: String) -> SHA256Digest? {
        FieldRules.withUTF8(text) { DigestHex.parse($0) }
    }

    @Test func digestHexAgreesWithSHA256DigestHex() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let hex = Hex.encode(bytes)
            #expect(digest(hex) == SHA256Digest(hex: hex))
            #expect(digest(hex) == SHA256Digest(bytes: bytes))
        }
    }

    /// Every byte in every position: only 0-9 and a-f are digits (the neighbours of both
    /// ranges, uppercase and non-ASCII included, are not).
    @Test func digestHexRejectsEveryNonDigit() {
        let valid = String(repeating: "0123456789abcdef", count: 4)
        for position in [0, 1, 31, 62, 63] {
            for byte in UInt8(0)...UInt8(255) {
                var utf8 = Array(valid.utf8)
                utf8[position] = byte
                let parsed = utf8.withUnsafeBufferPointer { DigestHex.parse($0) }
                let isDigit = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                #expect((parsed != nil) == isDigit, "byte \(byte) at \(position)")
            }
        }
    }

    @Test(arguments: ["", "0", String(repeating: "a", count: 63), String(repeating: "a", count: 65),
                      String(repeating: "A", count: 64), String(repeating: "é", count: 32)])
    func digestHexRejectsWrongLengthsAndCase(text: String) {
        #expect(digest(text) == nil)
        #expect(SHA256Digest(hex: text) == nil)
    }

    func field(_ key: String) -> EnvelopeSchema.Field? {
        Array(key.utf8).withUnsafeBytes { EnvelopeSchema.Field(key: $0) }
    }

    @Test func everyEnvelopeFieldIsFoundByItsKey() {
        let keys = ["actor", "effective", "hash", "idem", "payload", "prev", "recorded_at", "seq", "sig", "type", "v"]
        for key in keys {
            #expect(field(key)?.rawValue == key)
            #expect(field(key).map { "\($0.name)" } == key)
        }
    }

    /// Same length and first byte as a field, or a prefix of one: still unknown.
    @Test(arguments: ["actos", "effectivf", "hasH", "idea", "payloads", "pre", "prevs", "recorded_as",
                      "sea", "typo", "w", "", "recordedAt", "version", "x",
                      // a byte off in the middle, in the second word, or after a name's bytes
                      "acXor", "effeXtive", "recorXed_at", "recorded_aT", "sif", "v\u{0}", "actor\u{0}", "hash\u{0}\u{0}",
                      "recorded_at_", "effectivee", "rrecorded_at"])
    func nearMissesAreUnknown(key: String) {
        #expect(field(key) == nil)
    }

    @Test(arguments: ["2026-11-28T05:46:14.180861Z", "0001-01-01T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z"])
    func timestampsReadInPlaceRoundTrip(text: String) {
        #expect(FieldRules.withUTF8(text) { Timestamp(utf8: $0) }?.description == text)
    }

    @Test(arguments: ["2026-11-28T24:00:00.000000Z", "2026-11-28T05:46:14.180861", "2026-02-29T00:00:00.000000Z",
                      "0000-12-31T23:59:59.999999Z", ""])
    func badTimestampsAreRejectedInPlace(text: String) {
        #expect(FieldRules.withUTF8(text) { Timestamp(utf8: $0) } == nil)
    }
}
