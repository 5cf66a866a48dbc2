import Testing
@testable import LedgerDomain

/// The map a bulk table holds in memory: it answers as a dictionary would, whatever the order
/// of additions, and is coded as a dictionary was (snapshots are unchanged).
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
