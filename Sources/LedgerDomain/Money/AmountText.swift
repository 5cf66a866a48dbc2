/// The one text form of amounts for people and the command line, both ways.
///
/// Syntax (strict, never guessed): one or more ASCII digits without a superfluous leading zero,
/// optionally followed by `.` and 1 to `minorUnits` digits. `50`, `50.5`, `50.05`, `0.99` are
/// amounts in EUR; `1,234.50` (grouping), `1.234,5` (a decimal comma), `50.001` (more decimals than
/// the currency has), `+5`, `-5`, `5e3`, `.5`, `5.`, `007` and spaces are refused. Zero is valid
/// syntax; whether an event accepts it is a rule of the event.
public enum AmountText {
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case badCharacter(Character)
        case grouping
        case leadingZero
        case decimals(given: Int, allowed: Int)
        case malformedFraction
        case tooLarge

        public var description: String {
            switch self {
            case .empty: return "an amount is required"
            case .badCharacter(let character):
                return "\"\(character)\" is not allowed (digits and one '.', no sign, exponent or spaces)"
            case .grouping: return "',' is not allowed: write 1234.50, without grouping and with '.' for decimals"
            case .leadingZero: return "no leading zero (write 7, or 0.50)"
            case .decimals(let given, let allowed):
                return allowed == 0 ? "this currency has no decimals" : "\(given) decimals, the currency has \(allowed)"
            case .malformedFraction: return "a '.' must have digits on both sides"
            case .tooLarge: return "above the largest amount the ledger holds (\(AmountText.format(Money.max, minorUnits: 4)) at 4 decimals, 2^53-1 minor units)"
            }
        }
    }

    /// Parses `text` into minor units of a currency with `minorUnits` decimals (0...4).
    public static func parse(_ text: String, minorUnits: Int) -> Result<Money, Problem> {
        precondition((0...4).contains(minorUnits), "minor units are 0...4 (Specs/log-format.md, section 4)")
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return .failure(.empty) }
        if bytes.contains(UInt8(ascii: ",")) { return .failure(.grouping) }
        for byte in bytes where !(byte == UInt8(ascii: ".") || isDigit(byte)) {
            return .failure(.badCharacter(Character(Unicode.Scalar(byte))))
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else { return .failure(.malformedFraction) }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : []
        guard whole.count == 1 || whole.first != UInt8(ascii: "0") else { return .failure(.leadingZero) }
        guard fraction.count <= minorUnits else { return .failure(.decimals(given: fraction.count, allowed: minorUnits)) }
        // At most 16 digits in all: 10^16 > 2^53, so the value is checked before it can overflow Int64.
        let digits = Array(whole) + Array(fraction) + Array(repeating: UInt8(ascii: "0"), count: minorUnits - fraction.count)
        let significant = digits.drop { $0 == UInt8(ascii: "0") }
        guard significant.count <= 16 else { return .failure(.tooLarge) }
        var value: Int64 = 0
        for digit in significant { value = value * 10 + Int64(digit - UInt8(ascii: "0")) }
        guard let money = Money(minorUnits: value) else { return .failure(.tooLarge) }
        return .success(money)
    }

    /// `1234.50` for 123450 minor units at 2 decimals: the form `parse` reads back.
    public static func format(_ amount: Money, minorUnits: Int) -> String {
        precondition((0...4).contains(minorUnits), "minor units are 0...4")
        let digits = String(amount.minorUnits)
        guard minorUnits > 0 else { return digits }
        let padded = digits.count > minorUnits ? digits : String(repeating: "0", count: minorUnits + 1 - digits.count) + digits
        let split = padded.index(padded.endIndex, offsetBy: -minorUnits)
        return padded[..<split] + "." + padded[split...]
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
