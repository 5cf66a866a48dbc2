import LedgerJSON
import Testing

/// Damaged and random inputs: never a crash, offsets inside the input, and the defining
/// property of canonical mode: it accepts a document only if re-encoding gives it back.
@Suite struct FuzzTests {
    static let alphabet: [UInt8] = Array(#" ",:[]{}0123456789-.eEtrufalsnu\/abAF"#.utf8)
        + [0x09, 0x0A, 0x0D, 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xA9, 0xCC, 0x81, 0xE2, 0x82, 0xAC,
           0xED, 0xA0, 0xEF, 0xBB, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0xFF]

    func check(_ input: [UInt8], strictAccepted: inout Int) {
        for mode in [CanonicalJSON.Mode.canonical, .lenient] {
            let result = Result { () throws(JSONError) in try CanonicalJSON.decode(input, mode: mode) }
            switch result {
            case .success(let value):
                let encoded = CanonicalJSON.encode(value)
                if mode == .canonical {
                    strictAccepted += 1
                    #expect(encoded == input, "strict accepted non-canonical \(render(input))")
                }
                let reread = Result { () throws(JSONError) in
                    try CanonicalJSON.decode(encoded, mode: .canonical)
                }
                #expect((try? reread.get()) == value, "\(render(input))")
            case .failure(let error):
                #expect(error.offset >= 0 && error.offset <= input.count, "\(render(input)): \(error)")
            }
        }
    }

    @Test(arguments: 0..<4 as Range<UInt64>)
    func damagedCanonicalDocuments(seed: UInt64) {
        var generator = ValueGenerator(seed: 0xF022 + seed)
        var random = SplitMix64(seed: 0xDEAD + seed)
        var strictAccepted = 0
        for _ in 0..<2_500 {
            var document = CanonicalJSON.encode(generator.value(depth: 3))
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                let index = Int.random(in: 0..<max(document.count, 1), using: &random)
                let byte = Self.alphabet.randomElement(using: &random) ?? 0x20
                switch Int.random(in: 0...2, using: &random) {
                case 0 where index < document.count: document[index] = byte
                case 1: document.insert(byte, at: min(index, document.count))
                default: if index < document.count { document.remove(at: index) }
                }
            }
            check(document, strictAccepted: &strictAccepted)
        }
        #expect(strictAccepted > 100)
    }

    @Test func randomBytes() {
        var random = SplitMix64(seed: 0x0B17E5)
        var strictAccepted = 0
        for _ in 0..<20_000 {
            let input = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                Self.alphabet.randomElement(using: &random) ?? 0x20
            }
            check(input, strictAccepted: &strictAccepted)
        }
        #expect(strictAccepted > 50)
    }
}
