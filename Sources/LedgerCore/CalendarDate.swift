/// A Gregorian calendar date (the `effective` date of an event), years 1 to 9999.
///
/// Parsed and printed by hand as `YYYY-MM-DD`: no Foundation calendar, no locale, no time zone,
/// so two machines can never disagree on what a date string means.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil unless the three numbers name a real date in years 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        guard day >= 1, day <= CalendarDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD` (ten ASCII bytes); anything else is nil.
    public init?(_ text: some StringProtocol) {
        var string = String(text)
        guard let date = string.withUTF8({ Self.parse($0) }) else { return nil }
        self = date
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = DecimalDigits.parse(bytes, 0..<4),
              let month = DecimalDigits.parse(bytes, 5..<7),
              let day = DecimalDigits.parse(bytes, 8..<10) else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    public var description: String {
        String(unsafeUninitializedCapacity: 10) { text in
            write(into: text, at: 0)
            return 10
        }
    }

    /// `YYYY-MM-DD` into `text[at..<at+10]`: a record's line, a report and a timestamp spell
    /// dates this way, once per record, so without a String per field.
    func write(into text: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        DecimalDigits.write(year, width: 4, into: text, at: start)
        text[start + 4] = UInt8(ascii: "-")
        DecimalDigits.write(month, width: 2, into: text, at: start + 5)
        text[start + 7] = UInt8(ascii: "-")
        DecimalDigits.write(day, width: 2, into: text, at: start + 8)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01 (negative before), by the civil-from-days algorithm.
    public var daysSinceEpoch: Int {
        let yearShifted = month <= 2 ? year - 1 : year
        let era = (yearShifted >= 0 ? yearShifted : yearShifted - 399) / 400
        let yearOfEra = yearShifted - era * 400
        let monthShifted = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthShifted + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days after 1970-01-01 (the inverse of `daysSinceEpoch`).
    public init?(daysSinceEpoch days: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthShifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthShifted + 2) / 5 + 1
        let month = monthShifted < 10 ? monthShifted + 3 : monthShifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Fixed-width decimal fields, parsed and printed without Foundation.
enum DecimalDigits {
    /// The value of the ASCII digits at `range` (all of them digits, at most 18), else nil.
    /// Inlined: the callers pass constant ranges (a timestamp has seven fields), which then
    /// unroll into a few instructions instead of a call and a loop each.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18, range.upperBound <= bytes.count else { return nil }
        var value = 0
        for index in range {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// `value` in exactly `width` digits, zero-padded, at `text[start..<start+width]`.
    @inline(__always)
    static func write(_ value: Int, width: Int, into text: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        precondition(value >= 0, "written fields are never negative")
        var rest = value
        for index in stride(from: start + width - 1, through: start, by: -1) {
            text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        precondition(rest == 0, "a field that fits its width")
    }
}
