import LedgerJSON
import Testing

/// The string scanner reads eight bytes at a time; a special byte must be found at every
/// position of a word and across word boundaries.
@Suite struct StringScanTests {
    static let specials: [String] = ["\"", "\\", "\u{1}", "\u{1F}", "\u{7F}", "\u{E9}", "\u{20AC}", "\u{1F600}", " ", "~"]

    @Test(arguments: specials)
    func specialAtEveryPosition(special: String) throws {
        for length in 0..<20 {
            for position in 0...length {
                var text = String(repeating: "a", count: length)
                text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                let encoded = CanonicalJSON.encode(.string(text))
                #expect(try CanonicalJSON.decode(encoded, mode: .canonical) == .string(text))
                #expect(try CanonicalJSON.decode(encoded, mode: .lenient) == .string(text))
            }
        }
    }

    @Test func rawControlAtEveryPosition() {
        for length in 0..<20 {
            for position in 0...length {
                var input = bytes("\"" + String(repeating: "a", count: length) + "\"")
                input.insert(0x0A, at: 1 + position)
                expectRejected(input, .controlCharacterInString, at: 1 + position)
                input[1 + position] = 0xFF
                expectRejected(input, mode: .lenient, .invalidUTF8, at: 1 + position)
            }
        }
    }

    @Test func unterminatedAtEveryLength() {
        for length in 0..<20 {
            expectRejected("\"" + String(repeating: "a", count: length), .unexpectedEnd, at: 1 + length)
        }
    }

    @Test func hugeDepthLimitIsHarmless() throws {
        let limits = JSONLimits(depthMax: .max)
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let value = try CanonicalJSON.decode(bytes(deep), mode: .canonical, limits: limits)
        #expect(CanonicalJSON.encode(value) == bytes(deep))
        var inner = value
        while case .array(let elements) = inner, let first = elements.first { inner = first }
    }
}
