import LedgerCrypto
import Testing

private typealias Support = SHA256TestSupport

@Suite struct SHA256DigestTests {
    static let abcHex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test func hexAndBytesRoundTrip() throws {
        var generator = Support.SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let bytes = Support.randomBytes(count: 32, using: &generator)
            let digest = SHA256Digest(bytes: bytes)
            #expect(digest.bytes == bytes)
            #expect(digest.hex == Hex.encode(bytes))
            #expect(digest.description == digest.hex)
            #expect(try #require(SHA256Digest(hex: digest.hex)) == digest)
            #expect(digest.withUnsafeBytes { Array($0) } == bytes)
        }
    }

    @Test func knownDigestLayout() throws {
        let digest = SHA256.hash(Array("abc".utf8))
        #expect(digest.hex == Self.abcHex)
        #expect(digest.bytes.first == 0xBA && digest.bytes.last == 0xAD)
        #expect(SHA256Digest.byteCount == 32 && digest.bytes.count == 32)
        let padded = "  " + Self.abcHex + "  "
        let fromSubstring = try #require(SHA256Digest(hex: padded.dropFirst(2).dropLast(2)))
        #expect(fromSubstring == digest)
        // A collection that is not an array (a reversed view of a reversed array).
        #expect(SHA256Digest(bytes: digest.bytes.reversed().reversed()) == digest)
    }

    @Test func zeroIsThirtyTwoZeroBytes() {
        #expect(SHA256Digest.zero.bytes == [UInt8](repeating: 0, count: 32))
        #expect(SHA256Digest.zero.hex == String(repeating: "0", count: 64))
        #expect(SHA256Digest(hex: String(repeating: "0", count: 64)) == .zero)
    }

    static let malformedHex: [String] = [
        abcHex.uppercased(),  // Uppercase everywhere.
        "B" + String(abcHex.dropFirst()),  // One uppercase digit.
        String(abcHex.dropLast()),  // 63 characters.
        abcHex + "0",  // 65 characters.
        String(abcHex.dropLast(2)),  // 62 characters (31 bytes).
        "",
        "g" + String(abcHex.dropFirst()),  // Not a hex digit.
        " " + String(abcHex.dropFirst()),  // Whitespace.
        "0x" + String(abcHex.dropFirst(2)),  // A prefix.
        "\u{E9}" + String(abcHex.dropFirst(2)),  // 64 UTF-8 bytes, 63 characters.
    ]

    @Test(arguments: malformedHex)
    func hexRejectsAnythingButLowercase64(text: String) {
        #expect(SHA256Digest(hex: text) == nil)
    }

    @Test func orderIsLexicographicByByte() {
        // On little-endian hosts a naive word comparison gets these two backwards.
        let low = SHA256Digest(bytes: [0x00, 0xFF] + [UInt8](repeating: 0, count: 30))
        let high = SHA256Digest(bytes: [0x01, 0x00] + [UInt8](repeating: 0, count: 30))
        #expect(low < high && !(high < low) && !(low < low))
        let lastByte = SHA256Digest(bytes: [UInt8](repeating: 0, count: 31) + [1])
        #expect(SHA256Digest.zero < lastByte)
        var generator = Support.SeededGenerator(seed: 11)
        let digests = (0..<300).map { _ in
            // Few distinct byte values, so many digests share long prefixes.
            SHA256Digest(bytes: (0..<32).map { _ in
                UInt8.random(in: 0...2, using: &generator) * 0x7F
            })
        }
        #expect(digests.sorted().map(\.hex) == digests.map(\.hex).sorted())
        #expect(digests.sorted().map(\.bytes)
            == digests.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func hashableMatchesEquality() {
        let one = SHA256.hash(Array("one".utf8)), two = SHA256.hash(Array("two".utf8))
        #expect(Set([one, two, SHA256Digest(bytes: one.bytes)]).count == 2)
        #expect(one != two)
    }

    @Test func wrongByteCountTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = SHA256Digest(bytes: [UInt8](repeating: 0, count: 31))
        }
    }
}

@Suite struct HexTests {
    @Test func encodesLowercase() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x00, 0x0F, 0xF0, 0xFF, 0xAB, 0x09]) == "000ff0ffab09")
        #expect(Hex.encode([UInt8](0...255)[250...]) == "fafbfcfdfeff")
    }

    @Test func everyByteRoundTrips() {
        let all = [UInt8](0...255)
        let text = Hex.encode(all)
        #expect(text.count == 512 && text == text.lowercased())
        #expect(Hex.decode(text) == all)
    }

    @Test func decodesValid() {
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("00ff7a") == [0x00, 0xFF, 0x7A])
        #expect(Hex.decode("xx0aff".dropFirst(2)) == [0x0A, 0xFF])
    }

    static let malformedEvenAndOddHex: [String] = [
        "0", "abc", "AB", "aB", "0G", "zz", " 00", "00 ", "0x00", "é0", "-1", "\u{0}0",
    ]

    @Test(arguments: malformedEvenAndOddHex)
    func decodeRejects(text: String) {
        #expect(Hex.decode(text) == nil)
    }
}
