import Testing
@testable import LedgerDomain

/// The amount syntax of the command line: strict both ways.
@Suite struct AmountTextTests {
    @Test(arguments: [
        ("50", 2, Int64(5_000)), ("50.00", 2, 5_000), ("50.5", 2, 5_050), ("0.99", 2, 99), ("0", 2, 0),
        ("1234.56", 2, 123_456), ("7", 0, 7), ("1.2345", 4, 12_345), ("90071992547409.91", 2, 9_007_199_254_740_991),
    ])
    func accepted(_ text: String, _ minorUnits: Int, _ expected: Int64) throws {
        let amount = try AmountText.parse(text, minorUnits: minorUnits).get()
        #expect(amount.minorUnits == expected)
    }

    @Test(arguments: [
        ("1,234.5", 2, AmountText.Problem.grouping), ("1.234,5", 2, .grouping), ("50,00", 2, .grouping),
        ("50.001", 2, .decimals(given: 3, allowed: 2)), ("5.5", 0, .decimals(given: 1, allowed: 0)),
        ("-5", 2, .badCharacter("-")), ("+5", 2, .badCharacter("+")), ("5e3", 2, .badCharacter("e")),
        (" 5", 2, .badCharacter(" ")), ("5 €", 2, .badCharacter(" ")), (".5", 2, .malformedFraction), ("5.", 2, .malformedFraction),
        ("1.2.3", 2, .malformedFraction), ("007", 2, .leadingZero), ("", 2, .empty),
        ("90071992547409.92", 2, .tooLarge), ("99999999999999999999", 2, .tooLarge),
    ])
    func refused(_ text: String, _ minorUnits: Int, _ problem: AmountText.Problem) {
        #expect(throws: problem) { try AmountText.parse(text, minorUnits: minorUnits).get() }
    }

    @Test(arguments: [(Int64(0), 2, "0.00"), (5, 2, "0.05"), (123_456, 2, "1234.56"), (7, 0, "7"), (10, 3, "0.010")])
    func formatted(_ minorUnits: Int64, _ decimals: Int, _ expected: String) {
        #expect(AmountText.format(Money(minorUnits: minorUnits)!, minorUnits: decimals) == expected)
    }

    @Test func formatAndParseAreInverse() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let value = Int64.random(in: 0...Money.max.minorUnits, using: &generator)
            let decimals = Int.random(in: 0...4, using: &generator)
            let money = Money(minorUnits: value)!
            let text = AmountText.format(money, minorUnits: decimals)
            #expect(try AmountText.parse(text, minorUnits: decimals).get() == money, "\(text)")
        }
    }
}

/// SplitMix64: a small deterministic generator, so a failing property test can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
