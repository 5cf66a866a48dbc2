/// A UTC instant with microsecond precision: the `recorded_at` of a record.
///
/// Its text form has a fixed width (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, 27 bytes), so comparing two
/// texts byte by byte orders them in time; the verifier relies on that.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microsecondsSinceEpoch: Int64

    static let microsecondsPerDay: Int64 = 86_400_000_000
    static let textByteCount = 27

    /// The days of years 1 to 9999, counted from the epoch; computed once (the verifier makes
    /// a timestamp per record).
    static let representableDays: ClosedRange<Int64> =
        Int64(CalendarDate(year: 1, month: 1, day: 1)!.daysSinceEpoch)...Int64(CalendarDate(year: 9999, month: 12, day: 31)!.daysSinceEpoch)

    public init?(microsecondsSinceEpoch: Int64) {
        let day = Self.floorDivide(microsecondsSinceEpoch, Self.microsecondsPerDay)
        guard Self.representableDays.contains(day) else { return nil }
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// Parses exactly the 27-byte form; anything else (another width, a time zone offset,
    /// a leap second, a missing fraction) is nil.
    public init?(_ text: some StringProtocol) {
        var string = String(text)
        guard let timestamp = string.withUTF8({ Self(utf8: $0) }) else { return nil }
        self = timestamp
    }

    /// As `init?(_:)`, reading UTF-8 in place.
    init?(utf8: UnsafeBufferPointer<UInt8>) {
        guard let micros = Self.parse(utf8) else { return nil }
        self.init(microsecondsSinceEpoch: micros)
    }

    /// Microseconds since the epoch of the exact 27-byte form, read in place (the verifier parses
    /// one per record: no intermediate arrays or strings).
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == textByteCount,
              b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              b[19] == UInt8(ascii: "."), b[26] == UInt8(ascii: "Z"),
              let date = CalendarDate.parse(UnsafeBufferPointer(rebasing: b[0..<10])),
              let hour = DecimalDigits.parse(b, 11..<13), hour < 24,
              let minute = DecimalDigits.parse(b, 14..<16), minute < 60,
              let second = DecimalDigits.parse(b, 17..<19), second < 60,
              let micros = DecimalDigits.parse(b, 20..<26) else { return nil }
        let secondsOfDay = Int64(hour * 3600 + minute * 60 + second)
        return Int64(date.daysSinceEpoch) * microsecondsPerDay + secondsOfDay * 1_000_000 + Int64(micros)
    }

    public var date: CalendarDate {
        let day = Self.floorDivide(microsecondsSinceEpoch, Self.microsecondsPerDay)
        return CalendarDate(daysSinceEpoch: Int(day))!
    }

    public var description: String {
        let day = Self.floorDivide(microsecondsSinceEpoch, Self.microsecondsPerDay)
        let ofDay = microsecondsSinceEpoch - day * Self.microsecondsPerDay
        let seconds = Int(ofDay / 1_000_000)
        let micros = Int(ofDay % 1_000_000)
        // `YYYY-MM-DDTHH:MM:SS.ffffffZ`, written in place (once per record a writer encodes).
        return String(unsafeUninitializedCapacity: 27) { text in
            date.write(into: text, at: 0)
            (text[10], text[13], text[16]) = (UInt8(ascii: "T"), UInt8(ascii: ":"), UInt8(ascii: ":"))
            (text[19], text[26]) = (UInt8(ascii: "."), UInt8(ascii: "Z"))
            DecimalDigits.write(seconds / 3600, width: 2, into: text, at: 11)
            DecimalDigits.write(seconds / 60 % 60, width: 2, into: text, at: 14)
            DecimalDigits.write(seconds % 60, width: 2, into: text, at: 17)
            DecimalDigits.write(micros, width: 6, into: text, at: 20)
            return 27
        }
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }
}

/// Where the writer gets "now". Injected so tests (and the `LEDGER_NOW` override) are deterministic.
public protocol Clock: Sendable {
    func now() -> Timestamp
}
