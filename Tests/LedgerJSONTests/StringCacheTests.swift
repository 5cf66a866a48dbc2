import Testing
@testable import LedgerJSON

/// A cached String is always the text of the bytes asked for: texts that share a slot, differ
/// in one byte or in length only (zero padding), or are too long to be cached all come back
/// as themselves; and a decoder with a cache gives what one without gives.
@Suite struct StringCacheTests {
    static func text(_ bytes: [UInt8], in cache: StringCache) -> String {
        bytes.withUnsafeBytes { cache.string($0) }
    }

    @Test func everyTextComesBackAsItself() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789_.-".utf8)
        // Few distinct texts of many lengths, asked many times: hits, misses, evictions.
        let texts = (0..<3 * StringCache.slots).map { index in
            (0..<(index % (StringCache.bytesMax + 9))).map { _ in alphabet.randomElement(using: &generator)! }
        }
        StringCache.with { cache in
            for _ in 0..<4 {
                for bytes in texts.shuffled(using: &generator) {
                    #expect(Array(Self.text(bytes, in: cache).utf8) == bytes)
                }
            }
        }
    }

    @Test func textsThatDifferOnlyInLengthOrALastByteAreKeptApart() {
        StringCache.with { cache in
            // "a", "a\0", "a\0\0": the same zero-padded words, told apart by their length.
            let texts: [[UInt8]] = [[0x61], [0x61, 0], [0x61, 0, 0], [], [0], Array("ab".utf8), Array("ac".utf8),
                                    Array(repeating: 0x78, count: 32), Array(repeating: 0x78, count: 31) + [0x79],
                                    Array(repeating: 0x78, count: 33)]
            for _ in 0..<3 {
                for bytes in texts { #expect(Array(Self.text(bytes, in: cache).utf8) == bytes) }
            }
        }
    }

    static func members(_ document: String, strings: StringCache?) throws -> [CanonicalJSON.ObjectMember] {
        try Array(document.utf8).withUnsafeBytes { try CanonicalJSON.decodeObjectMembers($0, keys: .identifier, limits: .default, strings: strings) }
    }

    @Test func aDecoderWithACacheGivesWhatOneWithoutGives() throws {
        let documents = [
            #"{"actor":"OP-1","payload":{"amount":5000,"fund":"citoyens-IDF","ref":"VIR-1"},"type":"contribution.recorded"}"#,
            #"{"actor":"OP-2","payload":{"amount":7,"fund":"citoyens-ARA","ref":"VIR-2"},"type":"contribution.recorded"}"#,
            #"{"actor":"OP-1","payload":{"choice":"for","tally":{"against":1,"for":8}},"type":"vote.cast"}"#,
        ]
        let cached = StringCache.with { cache in
            (0..<3).flatMap { _ in documents.map { document in Result { try Self.members(document, strings: cache) } } }
        }
        for (index, result) in cached.enumerated() {
            let plain = try Self.members(documents[index % documents.count], strings: nil)
            let members = try result.get()
            #expect(plain.map(\.key) == members.map(\.key))
            #expect(plain.map(\.value) == members.map(\.value))
            #expect(plain.map(\.range) == members.map(\.range))
        }
    }
}
