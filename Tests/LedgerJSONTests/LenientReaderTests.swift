import LedgerJSON
import Testing

/// Lenient mode: for user input. Flexible in form, as strict as canonical mode in meaning.
@Suite struct LenientReaderTests {
    func lenient(_ text: String, keys: JSONKeyPolicy = .any) throws -> JSONValue {
        try CanonicalJSON.decode(bytes(text), mode: .lenient, keys: keys)
    }

    func canonical(_ text: String) throws -> String {
        String(decoding: CanonicalJSON.encode(try lenient(text)), as: UTF8.self)
    }

    @Test func whitespaceAnywhereBetweenTokens() throws {
        let text = " \t\r\n{ \"b\" :\n[ 1 ,\t2 ] , \"a\" : { } , \"c\":[ ] }\r\n "
        #expect(try canonical(text) == #"{"a":{},"b":[1,2],"c":[]}"#)
    }

    @Test func anyMemberOrder() throws {
        #expect(try canonical(#"{"z":1,"y":{"b":2,"a":1},"x":3}"#) == #"{"x":3,"y":{"a":1,"b":2},"z":1}"#)
        #expect(try canonical(#"{"aa":1,"b":2,"a":3,"ab":4}"#) == #"{"a":3,"aa":1,"ab":4,"b":2}"#)
    }

    @Test func everyEscape() throws {
        let text = #""\"\\\/\b\f\n\r\t\u0041\u00e9\u00E9\u20AC\ud83d\ude02\uD83D\uDE02\u0000""#
        let expected = "\"\\/\u{8}\u{C}\n\r\tA\u{E9}\u{E9}\u{20AC}\u{1F602}\u{1F602}\u{0}"
        #expect(try lenient(text) == .string(expected))
        #expect(try canonical(text) == #""\"\\/\b\f\n\r\tAéé€😂😂\u0000""#)
    }

    @Test func normalizesStringsToNFC() throws {
        let value = try lenient("[\"e\u{301}\", \"\\u0065\\u0301\", \"\u{212B}\", \"\u{FB33}\"]")
        let strings = try #require(value.arrayValue).compactMap(\.stringValue).map { Array($0.utf8) }
        #expect(strings == [[0xC3, 0xA9], [0xC3, 0xA9], [0xC3, 0x85], [0xD7, 0x93, 0xD6, 0xBC]])
    }

    /// NFC/NFD twins are different code units, so as raw keys they are not duplicates; but
    /// strict mode rejects the non-NFC one, and lenient mode normalizes both, which makes them
    /// duplicates.
    @Test func nfcAndNfdTwinKeys() throws {
        let nfcFirst = "{\"caf\u{E9}\":1,\"cafe\u{301}\":2}"
        let nfdFirst = "{\"cafe\u{301}\":1,\"caf\u{E9}\":2}"
        expectRejected(nfcFirst, mode: .lenient, .duplicateKey, at: offset(of: "\"cafe\u{301}", in: nfcFirst), key: "caf\u{E9}")
        expectRejected(nfdFirst, mode: .lenient, .duplicateKey, at: offset(of: "\"caf\u{E9}", in: nfdFirst), key: "caf\u{E9}")
        expectRejected(nfcFirst, .nonNFCString, at: offset(of: "e\u{301}", in: nfcFirst))
        expectRejected(nfdFirst, .nonNFCString, at: offset(of: "e\u{301}", in: nfdFirst))
        // An escaped spelling of the same key is a duplicate too.
        expectRejected(#"{"caf\u00e9":1,"café":2}"#, mode: .lenient, .duplicateKey, at: 15)
    }

    @Test func duplicatesAreCaughtWhereTheyOccur() {
        expectRejected(#"{"a":1,"b":{"a":1,"a":2}}"#, mode: .lenient, .duplicateKey, at: 18)
        // The duplicate comes before a later syntax error, so it is what is reported.
        expectRejected(#"{"b":1,"a":2,"b":3,}"#, mode: .lenient, .duplicateKey, at: 13)
        expectRejected(#"{"a":1,"b":2,"c":3,"b":4}"#, mode: .lenient, .duplicateKey, at: 19)
    }

    @Test func identifierPolicyAppliesToDecodedKeys() throws {
        #expect(try lenient(#"{"\u0061b_1":1}"#, keys: .identifier) == ["ab_1": 1])
        expectRejected(#"{"a b":1}"#, mode: .lenient, keys: .identifier, .keyNotIdentifier, at: 1)
        expectRejected("{\"\u{E9}\":1}", mode: .lenient, keys: .identifier, .keyNotIdentifier, at: 1)
    }

    @Test func stillRejectsWhatIsNotInTheSubset() {
        expectRejected("[1.5]", mode: .lenient, .numberNotInteger, at: 2)
        expectRejected("[1e2]", mode: .lenient, .numberNotInteger, at: 2)
        expectRejected("[-0]", mode: .lenient, .negativeZero, at: 1)
        expectRejected("[9007199254740992]", mode: .lenient, .numberOutOfRange, at: 1)
        expectRejected("[1] x", mode: .lenient, .trailingBytes, at: 4)
        expectRejected("[1]\0", mode: .lenient, .trailingBytes, at: 3)
        expectRejected("[NaN]", mode: .lenient, .unexpectedByte, at: 1)
        expectRejected("[-Infinity]", mode: .lenient, .unexpectedByte, at: 2)
        expectRejected("[1,/*x*/2]", mode: .lenient, .unexpectedByte, at: 3)
        expectRejected("{'a':1}", mode: .lenient, .unexpectedByte, at: 1)
        expectRejected("[\u{A0}1]", mode: .lenient, .unexpectedByte, at: 1)
        expectRejected("\u{FEFF}[1]", mode: .lenient, .byteOrderMark, at: 0)
        expectRejected(#""\ud800""#, mode: .lenient, .loneSurrogate, at: 1)
        expectRejected([0x22, 0xED, 0xA0, 0x80, 0x22], mode: .lenient, .invalidUTF8, at: 2)
        expectRejected("\"a\nb\"", mode: .lenient, .controlCharacterInString, at: 2)
        expectRejected("", mode: .lenient, .unexpectedEnd, at: 0)
        expectRejected("   ", mode: .lenient, .unexpectedEnd, at: 3)
    }

    @Test func trailingWhitespaceOnly() throws {
        #expect(try lenient("  [1]  \n") == [1])
    }

    /// Property: any valid rendering (random whitespace, member order, escapes, including
    /// \u for any BMP scalar in either case and surrogate pairs) means the same value.
    @Test(arguments: 0..<8 as Range<UInt64>)
    func noisyRenderingsMeanTheSame(seed: UInt64) throws {
        var generator = ValueGenerator(seed: 0xA11CE + seed)
        var writer = NoisyWriter(generator: ValueGenerator(seed: 0xB0B + seed))
        let limits = JSONLimits(inputBytesMax: 1 << 20, arrayCountMax: 100_000)
        for _ in 0..<250 {
            let value = generator.value(depth: 4)
            let noisy = writer.write(value)
            let decoded = try CanonicalJSON.decode(noisy, mode: .lenient, limits: limits)
            #expect(decoded == value, "\(render(noisy))")
            #expect(CanonicalJSON.encode(decoded) == CanonicalJSON.encode(value))
        }
    }
}
