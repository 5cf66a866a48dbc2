/// The one text form of amounts for people, both ways: what a table or an echo prints is what
/// `--amount` reads back.
///
/// Syntax (strict, never guessed): ASCII digits without a superfluous leading zero, optionally
/// grouped by three with spaces (`1 234 567`), optionally followed by the decimal separator and 1
/// to `minorUnits` digits. The separator is `.` in the standard style (`1 234.50`) and `,` in the
/// French one (`1 234,50`); the other one is refused, never guessed (`1,234` is a thousand in one
/// convention and a fraction in the other). Refused too: `50.001` (more decimals than the
/// currency has), signs, exponents, `.5`, `5.`, `007`, groups that are not of three, and a
/// currency sign (the ledger has one currency). Zero is valid syntax; whether an event accepts it
/// is a rule of the event.
public enum AmountText {
    /// How amounts are written: `1 234.50 EUR`, or (French) `1 234,50 €`.
    public enum Style: String, Sendable, CaseIterable {
        case standard = "en"
        case french = "fr"

        var decimalSeparator: Character { self == .french ? "," : "." }
        var otherSeparator: Character { self == .french ? "." : "," }
    }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case badCharacter(Character)
        case currencySign(Character)
        /// The other convention's decimal separator, in this style.
        case separator(Character, Style)
        case grouping
        case leadingZero
        case decimals(given: Int, allowed: Int)
        case malformedFraction
        case tooLarge(minorUnits: Int)

        public var description: String {
            switch self {
            case .empty: return "an amount is required"
            case .badCharacter(let character):
                return "\"\(character)\" is not allowed (digits, spaces between groups of three, one decimal separator; no sign or exponent)"
            case .currencySign(let sign):
                return "\"\(sign)\" is not allowed: write the amount alone (the ledger has one currency)"
            case .separator(let character, let style):
                return style == .french
                    ? "'\(character)' is not allowed: in French write 1 234,50 (spaces between thousands, ',' for decimals)"
                    : "'\(character)' is not allowed: write 1234.50 or 1 234.50 ('.' for decimals; --locale fr reads 1 234,50)"
            case .grouping: return "digits are grouped by three with spaces: 1 234 567.50"
            case .leadingZero: return "no leading zero (write 7, or 0.50)"
            case .decimals(let given, let allowed):
                return allowed == 0 ? "this currency has no decimals" : "\(given) decimals, the currency has \(allowed)"
            case .malformedFraction: return "a decimal separator must have digits on both sides"
            case .tooLarge(let minorUnits):
                return "above the largest amount the ledger holds (\(AmountText.format(Money.max.minorUnits, minorUnits: minorUnits)), 2^53-1 minor units)"
            }
        }
    }

    /// Parses `text` into minor units of a currency with `minorUnits` decimals (0...4).
    public static func parse(_ text: String, minorUnits: Int, style: Style = .standard) -> Result<Money, Problem> {
        precondition((0...4).contains(minorUnits), "minor units are 0...4 (Specs/log-format.md, section 4)")
        guard !text.isEmpty else { return .failure(.empty) }
        for character in text where !(character.isASCII && (character.isNumber || character == style.decimalSeparator)) && !isGroupSpace(character) {
            if character == style.otherSeparator { return .failure(.separator(character, style)) }
            if character.isCurrencySymbol { return .failure(.currencySign(character)) }
            return .failure(.badCharacter(character))
        }
        let parts = text.split(separator: style.decimalSeparator, omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else { return .failure(.malformedFraction) }
        guard let whole = digits(ofGrouped: parts[0]) else { return .failure(.grouping) }
        let fraction = parts.count == 2 ? Array(parts[1].utf8) : []
        guard !fraction.contains(where: { !isDigit($0) }) else { return .failure(.grouping) }
        guard whole.count == 1 || whole.first != UInt8(ascii: "0") else { return .failure(.leadingZero) }
        guard fraction.count <= minorUnits else { return .failure(.decimals(given: fraction.count, allowed: minorUnits)) }
        // At most 16 digits in all: 10^16 > 2^53, so the value is checked before it can overflow Int64.
        let allDigits = whole + fraction + Array(repeating: UInt8(ascii: "0"), count: minorUnits - fraction.count)
        let significant = allDigits.drop { $0 == UInt8(ascii: "0") }
        guard significant.count <= 16 else { return .failure(.tooLarge(minorUnits: minorUnits)) }
        var value: Int64 = 0
        for digit in significant { value = value * 10 + Int64(digit - UInt8(ascii: "0")) }
        guard let money = Money(minorUnits: value) else { return .failure(.tooLarge(minorUnits: minorUnits)) }
        return .success(money)
    }

    /// The digits of a whole part written `1234` or `1 234` (groups of three after the first,
    /// of one to three), nil if it is grouped any other way.
    private static func digits(ofGrouped whole: Substring) -> [UInt8]? {
        let groups = whole.split(omittingEmptySubsequences: false, whereSeparator: isGroupSpace)
        guard groups.count == 1 || ((1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }) else { return nil }
        let bytes = groups.flatMap { Array($0.utf8) }
        return bytes.allSatisfy(isDigit) ? bytes : nil
    }

    /// A space between groups: a plain space, or the no-break spaces a spreadsheet or a French
    /// text puts there (U+00A0, U+202F).
    private static func isGroupSpace(_ character: Character) -> Bool {
        character == " " || character == "\u{A0}" || character == "\u{202F}"
    }

    /// `1 234.50` (or `1 234,50`) for 123450 minor units at 2 decimals: the form `parse` reads back.
    public static func format(_ value: Int64, minorUnits: Int, style: Style = .standard) -> String {
        precondition((0...4).contains(minorUnits), "minor units are 0...4")
        let magnitude = String(value.magnitude)
        let padded = magnitude.count > minorUnits ? magnitude : String(repeating: "0", count: minorUnits + 1 - magnitude.count) + magnitude
        let split = padded.index(padded.endIndex, offsetBy: -minorUnits)
        var text = grouped(padded[..<split])
        if minorUnits > 0 { text += String(style.decimalSeparator) + padded[split...] }
        return value < 0 ? "-" + text : text
    }

    public static func format(_ amount: Money, minorUnits: Int, style: Style = .standard) -> String {
        format(amount.minorUnits, minorUnits: minorUnits, style: style)
    }

    /// With the currency, where each style puts it: `1 234.50 EUR`, `1 234,50 €`.
    public static func format(_ value: Int64, minorUnits: Int, currency: String, style: Style = .standard) -> String {
        let amount = format(value, minorUnits: minorUnits, style: style)
        guard style == .french else { return amount + " " + currency }
        return amount + " " + (currency == "EUR" ? "€" : currency)
    }

    /// Digits in groups of three from the right, joined by spaces.
    private static func grouped(_ digits: Substring) -> String {
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(" ") }
            result.append(digit)
        }
        return result
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
