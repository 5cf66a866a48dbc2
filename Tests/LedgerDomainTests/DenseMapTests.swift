import Testing
@testable import LedgerDomain

/// The map a bulk table holds in memory: it answers as a dictionary would, whatever the order
/// of additions, and is coded as a dictionary was (snapshots are unchanged). Its own index
/// (open addressing over 8-byte slots, copied on write) is tested where it could go wrong:
/// growth, keys whose hashes collide, copies changed apart.
@Suite struct DenseMapTests {
    typealias Reference = Identifier<ReferenceKind>

    static func reference(_ text: String) -> Reference { Reference(text)! }

    @Test func answersAsADictionaryDoes() {
        var map = DenseMap<Reference, UInt64>()
        var model: [Reference: UInt64] = [:]
        // Additions, replacements, in-place changes and claims, in an order no test picks by hand.
        var state: UInt64 = 12345
        for step in 0..<5_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let key = Self.reference("R-\(state >> 52)")
            switch step % 4 {
            case 0:
                map[key] = UInt64(step)
                model[key] = UInt64(step)
            case 1:
                #expect(map.insertIfAbsent(key, UInt64(step)) == model[key])
                if model[key] == nil { model[key] = UInt64(step) }
            case 2:
                let changed = map.modify(key) { $0 += 1 }
                #expect(changed == (model[key] != nil))
                model[key]? += 1
            default:
                map.modify(key, default: 7) { $0 *= 2 }
                model[key, default: 7] *= 2
            }
            #expect(map[key] == model[key])
        }
        #expect(map.count == model.count)
        #expect(map.dictionary == model)
        var seen: [Reference: UInt64] = [:]
        for (key, value) in map { #expect(seen.updateValue(value, forKey: key) == nil) }
        #expect(seen == model)
        #expect(Set(map.keys) == Set(model.keys))
        #expect(map.values.reduce(0, &+) == model.values.reduce(0, &+))
    }

    /// The identifiers' own hash reads every byte, the tail after the last whole word too: keys
    /// that differ in one byte, at any place and length, hash apart.
    @Test func identifiersThatDifferInOneByteHashApart() {
        for length in 1...64 {
            var hashes = Set<Int>()
            for place in 0..<length {
                for letter in ["A", "B"] {
                    let text = String(repeating: "x", count: place) + letter + String(repeating: "x", count: length - place - 1)
                    hashes.insert(Self.reference(text)._rawHashValue(seed: 42))
                }
            }
            #expect(hashes.count == 2 * length, "length \(length): \(2 * length) texts")
        }
    }

    /// 200,000 keys, added one by one through a dozen doublings of the index, all found, and
    /// keys never added not found; room reserved up front answers the same.
    @Test func aTableThatGrowsFindsEveryKeyAndNoOther() {
        for reserved in [0, 200_000] {
            var map = DenseMap<Reference, UInt64>()
            map.reserveCapacity(reserved)
            for index in 0..<200_000 { #expect(map.insertIfAbsent(Self.reference("G-\(index)"), UInt64(index)) == nil) }
            #expect(map.count == 200_000)
            var wrong = 0
            for index in stride(from: 0, to: 200_000, by: 7) where map[Self.reference("G-\(index)")] != UInt64(index) { wrong += 1 }
            for index in 200_000..<201_000 where map[Self.reference("G-\(index)")] != nil { wrong += 1 }
            #expect(wrong == 0, "room reserved for \(reserved)")
        }
    }

    /// Room for more entries than expected: the index is sized for the entries expected (its
    /// pages are touched as it fills), the entries' array for the room, so the entries past the
    /// estimate are added where the first ones lie, never copied into a new array; without that
    /// room, they are.
    @Test func entriesPastTheEstimateStayWhereTheFirstOnesLie() {
        var roomy = DenseMap<Reference, UInt64>()
        var tight = DenseMap<Reference, UInt64>()
        roomy.reserveCapacity(1_000, entries: 4_000)
        tight.reserveCapacity(1_000)
        #expect(roomy.indexSlots == SlotIndex.slots(for: 1_000) && tight.indexSlots == roomy.indexSlots)
        func storage(_ map: DenseMap<Reference, UInt64>) -> UnsafeRawPointer? { map.entries.withUnsafeBytes { $0.baseAddress } }
        let (roomyStart, tightStart) = (storage(roomy), storage(tight))
        for index in 0..<3_000 {
            #expect(roomy.insertIfAbsent(Self.reference("E-\(index)"), UInt64(index)) == nil)
            #expect(tight.insertIfAbsent(Self.reference("E-\(index)"), UInt64(index)) == nil)
        }
        #expect(storage(roomy) == roomyStart, "the entries stayed in their room")
        #expect(storage(tight) != tightStart, "the entries outgrew their room and were copied")
        #expect(roomy.indexSlots > SlotIndex.slots(for: 1_000), "the index grew past the estimate")
        #expect((0..<3_000).allSatisfy { roomy[Self.reference("E-\($0)")] == UInt64($0) })
        #expect(roomy.dictionary == tight.dictionary)
    }

    /// Keys whose hashes are all equal share one home slot and the same upper bits: each is
    /// told apart by its key, the probing walks past the others, and the table still grows.
    @Test func keysWhoseHashesCollideAreToldApartByTheirKeys() {
        struct Colliding: Hashable, Sendable {
            let number: Int
            func hash(into hasher: inout Hasher) { hasher.combine(0) }
        }
        var map = DenseMap<Colliding, Int>()
        for number in 0..<300 { #expect(map.insertIfAbsent(Colliding(number: number), number * 2) == nil) }
        #expect(map.insertIfAbsent(Colliding(number: 150), 0) == 300)
        #expect((0..<300).allSatisfy { map[Colliding(number: $0)] == $0 * 2 })
        #expect(map[Colliding(number: 300)] == nil)
        #expect(map.modify(Colliding(number: 299)) { $0 = -1 })
        #expect(map[Colliding(number: 299)] == -1 && map.count == 300)
    }

    /// A map copied and then changed (a dry run's state) leaves the original as it was, index
    /// and entries, whether the change grows the index or not.
    @Test func aCopyChangedApartLeavesTheOriginal() {
        var original = DenseMap<Reference, UInt64>()
        for index in 0..<10 { original[Self.reference("C-\(index)")] = UInt64(index) }
        var changed = original
        changed[Self.reference("C-3")] = 300
        #expect(changed.insertIfAbsent(Self.reference("C-10"), 10) == nil)
        var grown = original
        for index in 11..<1_000 { grown[Self.reference("C-\(index)")] = UInt64(index) }
        #expect(original.count == 10 && original[Self.reference("C-3")] == 3)
        #expect(original[Self.reference("C-10")] == nil && original[Self.reference("C-500")] == nil)
        #expect(changed.count == 11 && changed[Self.reference("C-3")] == 300 && changed[Self.reference("C-500")] == nil)
        #expect(grown.count == 999 && grown[Self.reference("C-500")] == 500 && grown[Self.reference("C-10")] == nil)
    }

    /// Entries come out in the order they were added, whatever the process's hash seed: what a
    /// snapshot's core writes does not depend on the run.
    @Test func entriesComeOutInTheOrderTheyWereAdded() {
        let keys = (0..<500).map { Self.reference("O-\(($0 * 7_919) % 500)") }
        var map = DenseMap<Reference, UInt64>()
        for (index, key) in keys.enumerated() { map[key] = UInt64(index) }
        map[keys[10]] = 9_999   // a change keeps the entry's place
        #expect(map.map(\.key) == keys)
        #expect(Array(map.keys) == keys)
        #expect(map.map(\.value)[10] == 9_999)
    }

    @Test func aClaimedKeyKeepsItsFirstValue() {
        var map: DenseMap<Reference, UInt64> = [Self.reference("VIR-1"): 1]
        #expect(map.insertIfAbsent(Self.reference("VIR-1"), 2) == 1)
        #expect(map[Self.reference("VIR-1")] == 1)
        #expect(map.insertIfAbsent(Self.reference("VIR-2"), 3) == nil)
        #expect(map[Self.reference("VIR-2")] == 3)
        #expect(map.count == 2)
        #expect(!map.modify(Self.reference("VIR-3")) { $0 = 9 })
        #expect(map[Self.reference("VIR-3")] == nil)
    }

    /// A value read where it lies: the closure's answer for a key held, nil for one not held,
    /// and the closure's error passed on.
    @Test func aValueIsReadInPlace() {
        struct Refused: Error {}
        let map: DenseMap<Reference, [UInt64]> = [Self.reference("B-1"): [1, 2, 3]]
        #expect(map.read(Self.reference("B-1")) { $0.reduce(0, +) } == 6)
        #expect(map.read(Self.reference("B-2")) { $0.count } == nil)
        #expect(throws: Refused.self) { try map.read(Self.reference("B-1")) { (_) throws(Refused) in throw Refused() } }
        #expect(throws: Never.self) { try map.read(Self.reference("B-2")) { (_) throws(Refused) in throw Refused() } }
    }

    @Test func equalityIgnoresTheOrderOfAdditions() {
        let keys = (0..<100).map { Self.reference("K-\($0)") }
        var forward = DenseMap<Reference, UInt64>(), backward = DenseMap<Reference, UInt64>()
        for (index, key) in keys.enumerated() { forward[key] = UInt64(index) }
        for (index, key) in keys.enumerated().reversed() { backward[key] = UInt64(index) }
        #expect(forward == backward)
        backward[keys[50]] = 1_000
        #expect(forward != backward)
        var fewer = DenseMap<Reference, UInt64>()
        for key in keys.dropLast() { fewer[key] = forward[key] }
        #expect(fewer != forward)
    }

    @Test func isCodedAsADictionaryIs() throws {
        var map = DenseMap<Reference, UInt64>()
        var dictionary: [Reference: UInt64] = [:]
        for index in 0..<50 {
            map[Self.reference("D-\(index)")] = UInt64(index * 3)
            dictionary[Self.reference("D-\(index)")] = UInt64(index * 3)
        }
        var writer = CompactWriter()
        writer.write(map)
        var reader = CompactReader(bytes: writer.bytes)
        // A dictionary reads what the map wrote, and the map reads what a dictionary wrote.
        #expect(try reader.read([Reference: UInt64].self) == dictionary)
        var dictionaryWriter = CompactWriter()
        dictionaryWriter.write(dictionary)
        var mapReader = CompactReader(bytes: dictionaryWriter.bytes)
        #expect(try mapReader.read(DenseMap<Reference, UInt64>.self) == map)
    }

    @Test func aDuplicateKeyInTheBytesIsRefused() {
        var writer = CompactWriter()
        writer.unsigned(2)
        for value: UInt64 in [1, 2] {
            writer.write(Self.reference("VIR-1"))
            writer.write(value)
        }
        var reader = CompactReader(bytes: writer.bytes)
        #expect(throws: CompactError.invalid("dictionary: duplicate keys")) {
            try reader.read(DenseMap<Reference, UInt64>.self)
        }
    }
}
