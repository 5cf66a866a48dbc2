import Foundation
import LedgerJSON
import Testing

/// Foundation's JSONSerialization as an oracle of meaning (never of bytes) on ASCII,
/// integer-only documents: whatever we accept, it accepts with the same meaning.
@Suite struct DifferentialTests {
    /// True when Foundation's parse `theirs` means the same as our `ours`.
    static func same(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let flag):
            guard let number = theirs as? NSNumber, isBoolean(number) else { return false }
            return number.boolValue == flag
        case .integer(let value):
            guard let number = theirs as? NSNumber, !isBoolean(number) else { return false }
            return number.int64Value == value
        case .string(let text):
            // We normalize to NFC, Foundation does not: damage can turn \u0000 into \u2000,
            // whose NFC is U+2002. Compare with the NFC of Foundation's string, byte for byte.
            guard let other = theirs as? String else { return false }
            return Array(other.precomposedStringWithCanonicalMapping.utf8) == Array(text.utf8)
        case .array(let elements):
            guard let list = theirs as? [Any], list.count == elements.count else { return false }
            return zip(elements, list).allSatisfy { same($0, $1) }
        case .object(let object):
            guard let dictionary = theirs as? [String: Any], dictionary.count == object.count else {
                return false
            }
            return object.allSatisfy { member in dictionary[member.key].map { same(member.value, $0) } ?? false }
        }
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c" || type(of: number) != type(of: NSNumber(value: 1))
    }

    static func foundationParse(_ input: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])
    }

    @Test func oracleSeesBooleansAsBooleans() throws {
        let parsed = try #require(Self.foundationParse(bytes("[true,1,0,false]")))
        #expect(Self.same([true, 1, 0, false], parsed))
        #expect(!Self.same([1, true, false, 0], parsed))
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func randomASCIIDocuments(seed: UInt64) throws {
        var generator = ValueGenerator(seed: 0xD1FF + seed, asciiOnly: true)
        var writer = NoisyWriter(generator: ValueGenerator(seed: 0xFACE + seed, asciiOnly: true))
        for _ in 0..<300 {
            let value = generator.value(depth: 4)
            for document in [CanonicalJSON.encode(value), writer.write(value)] {
                let ours = try CanonicalJSON.decode(document, mode: .lenient)
                let theirs = try #require(Self.foundationParse(document), "\(render(document))")
                #expect(Self.same(ours, theirs), "\(render(document))")
            }
        }
    }

    /// Random one-byte damage: if we still accept the document, Foundation must too, and
    /// both must agree on its meaning. (Foundation accepts more: floats, duplicates.)
    @Test func damagedDocuments() throws {
        var generator = ValueGenerator(seed: 0xBAD, asciiOnly: true)
        var random = SplitMix64(seed: 0xDA4A6E)
        let alphabet = Array(#" ",:[]{}0123456789-+.eEtrufalsn\/"#.utf8) + [0x09, 0x0A, 0x00, 0x7F]
        var stillAccepted = 0
        for _ in 0..<3_000 {
            var document = CanonicalJSON.encode(generator.value(depth: 3))
            let index = Int.random(in: 0..<document.count, using: &random)
            switch Int.random(in: 0...2, using: &random) {
            case 0: document[index] = alphabet.randomElement(using: &random) ?? 0x20
            case 1: document.insert(alphabet.randomElement(using: &random) ?? 0x20, at: index)
            default: document.remove(at: index)
            }
            guard let ours = try? CanonicalJSON.decode(document, mode: .lenient) else { continue }
            stillAccepted += 1
            let theirs = try #require(Self.foundationParse(document), "we accept \(render(document))")
            #expect(Self.same(ours, theirs), "\(render(document))")
        }
        #expect(stillAccepted > 100)
    }
}
