import Testing
@testable import LedgerDomain

/// The amount syntax for people, both ways: what a table prints, `--amount` reads back.
@Suite struct AmountTextTests {
    @Test(arguments: [
        ("50", 2, Int64(5_000)), ("50.00", 2, 5_000), ("50.5", 2, 5_050), ("0.99", 2, 99), ("0", 2, 0),
        ("1234.56", 2, 123_456), ("7", 0, 7), ("1.2345", 4, 12_345), ("90071992547409.91", 2, 9_007_199_254_740_991),
        ("1 234.56", 2, 123_456), ("12 345 678", 0, 12_345_678), ("1\u{A0}234.50", 2, 123_450), ("1\u{202F}234", 2, 123_400),
    ])
    func accepted(_ text: String, _ minorUnits: Int, _ expected: Int64) throws {
        let amount = try AmountText.parse(text, minorUnits: minorUnits).get()
        #expect(amount.minorUnits == expected)
    }

    @Test(arguments: [("1 234,56", 2, Int64(123_456)), ("20,00", 2, 2_000), ("0,5", 2, 50), ("1234", 2, 123_400)])
    func acceptedInFrench(_ text: String, _ minorUnits: Int, _ expected: Int64) throws {
        #expect(try AmountText.parse(text, minorUnits: minorUnits, style: .french).get().minorUnits == expected)
    }

    @Test(arguments: [
        ("1,234.5", 2, AmountText.Problem.separator(",", .standard)), ("50,00", 2, .separator(",", .standard)),
        ("50.001", 2, .decimals(given: 3, allowed: 2)), ("5.5", 0, .decimals(given: 1, allowed: 0)),
        ("-5", 2, .badCharacter("-")), ("+5", 2, .badCharacter("+")), ("5e3", 2, .badCharacter("e")),
        (" 5", 2, .grouping), ("1 23", 2, .grouping), ("12 3456", 2, .grouping), ("1234 567", 2, .grouping), ("5 ", 2, .grouping),
        ("20€", 2, .currencySign("€")), ("5 $", 2, .currencySign("$")), ("٥", 2, .badCharacter("٥")),
        (".5", 2, .malformedFraction), ("5.", 2, .malformedFraction), ("1.2.3", 2, .malformedFraction),
        ("007", 2, .leadingZero), ("", 2, .empty),
        ("90071992547409.92", 2, .tooLarge(minorUnits: 2)), ("99999999999999999999", 2, .tooLarge(minorUnits: 2)),
    ])
    func refused(_ text: String, _ minorUnits: Int, _ problem: AmountText.Problem) {
        #expect(throws: problem) { try AmountText.parse(text, minorUnits: minorUnits).get() }
    }

    /// In French, '.' is the other convention's separator: refused, never guessed.
    @Test func aPointIsRefusedInFrench() {
        #expect(throws: AmountText.Problem.separator(".", .french)) { try AmountText.parse("1.234,50", minorUnits: 2, style: .french).get() }
        #expect(throws: AmountText.Problem.separator(".", .french)) { try AmountText.parse("20.00", minorUnits: 2, style: .french).get() }
    }

    /// The largest amount is said at the currency's own decimals.
    @Test func tooLargeSaysTheLimitAtTheCurrencysDecimals() {
        #expect(AmountText.Problem.tooLarge(minorUnits: 2).description.contains("90 071 992 547 409.91"))
        #expect(!AmountText.Problem.tooLarge(minorUnits: 2).description.contains("4 decimals"))
    }

    @Test(arguments: [(Int64(0), 2, "0.00"), (5, 2, "0.05"), (123_456, 2, "1 234.56"), (7, 0, "7"), (10, 3, "0.010"),
                      (-123_456_789, 2, "-1 234 567.89"), (100_000, 0, "100 000")])
    func formatted(_ minorUnits: Int64, _ decimals: Int, _ expected: String) {
        #expect(AmountText.format(minorUnits, minorUnits: decimals) == expected)
    }

    @Test func frenchPutsTheCommaAndTheEuroSign() {
        #expect(AmountText.format(123_450, minorUnits: 2, style: .french) == "1 234,50")
        #expect(AmountText.format(123_450, minorUnits: 2, currency: "EUR", style: .french) == "1 234,50 €")
        #expect(AmountText.format(123_450, minorUnits: 2, currency: "CHF", style: .french) == "1 234,50 CHF")
        #expect(AmountText.format(123_450, minorUnits: 2, currency: "EUR") == "1 234.50 EUR")
    }

    @Test func formatAndParseAreInverseInBothStyles() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let value = Int64.random(in: 0...Money.max.minorUnits, using: &generator)
            let decimals = Int.random(in: 0...4, using: &generator)
            let style = AmountText.Style.allCases.randomElement(using: &generator)!
            let money = Money(minorUnits: value)!
            let text = AmountText.format(money, minorUnits: decimals, style: style)
            #expect(try AmountText.parse(text, minorUnits: decimals, style: style).get() == money, "\(text)")
            #expect(try AmountText.parse(text.replacingOccurrences(of: " ", with: ""), minorUnits: decimals, style: style).get() == money)
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
