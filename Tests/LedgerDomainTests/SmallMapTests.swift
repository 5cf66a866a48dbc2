@testable import LedgerDomain
import Testing

/// `SmallMap` (a ballot's votes in the projections) behaves as the dictionary it replaced and
/// reads the bytes a dictionary wrote, in whatever order it wrote them.
@Suite struct SmallMapTests {
    static func party(_ number: Int) -> PartyID { PartyID("P-\(number)")! }

    @Test func itAnswersAsADictionaryDoesOverRandomChanges() {
        var generator = SeededGenerator(seed: 42)
        var map: SmallMap<PartyID, Int> = [:], dictionary: [PartyID: Int] = [:]
        for step in 0..<4_000 {
            let key = Self.party(Int.random(in: 0..<40, using: &generator))
            let value: Int? = Int.random(in: 0..<5, using: &generator) == 0 ? nil : step
            map[key] = value
            dictionary[key] = value
            #expect(map[key] == dictionary[key])
        }
        #expect(map.count == dictionary.count)
        #expect(map.entries.map(\.key) == dictionary.keys.sorted(), "sorted, each key once")
        #expect(map.entries.allSatisfy { dictionary[$0.key] == $0.value })
    }

    @Test func itReadsWhatADictionaryWroteInAnyOrderAndWritesInKeyOrder() throws {
        let dictionary: [PartyID: VoteView] = [Self.party(3): VoteView(choice: .for, seq: 30),
                                               Self.party(1): VoteView(choice: .against, seq: 10),
                                               Self.party(2): VoteView(choice: .abstain, seq: 20)]
        let written = CompactCodecTests.encoded { dictionary.write(to: &$0) }
        let map = try CompactCodecTests.read(SmallMap<PartyID, VoteView>.self, written)
        #expect(map.entries.map(\.key) == [Self.party(1), Self.party(2), Self.party(3)])
        #expect(map[Self.party(3)] == VoteView(choice: .for, seq: 30))
        let rewritten = CompactCodecTests.encoded { map.write(to: &$0) }
        #expect(try CompactCodecTests.read([PartyID: VoteView].self, rewritten) == dictionary, "the same format")
        let sorted = dictionary.sorted { $0.key < $1.key }
        #expect(rewritten == CompactCodecTests.encoded { writer in
            writer.unsigned(3)
            for (key, value) in sorted { key.write(to: &writer); value.write(to: &writer) }
        })
    }

    @Test func aKeyWrittenTwiceIsRefused() {
        let bytes = CompactCodecTests.encoded { writer in
            writer.unsigned(2)
            for _ in 0..<2 { Self.party(1).write(to: &writer); VoteView(choice: .for, seq: 1).write(to: &writer) }
        }
        #expect(throws: CompactError.invalid("dictionary: duplicate keys")) {
            try CompactCodecTests.read(SmallMap<PartyID, VoteView>.self, bytes)
        }
    }
}
