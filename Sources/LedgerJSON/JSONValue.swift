/// A value of the JSON subset the ledger hashes: no floats, integers within ±(2^53−1).
///
/// Equality is "same canonical encoding": strings compare with Swift's `==` (canonical
/// equivalence), which agrees with the encoder writing every string in NFC; object keys are
/// stored in NFC and compared by code units (see `JSONObject`).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The integers every JSON reader agrees on: IEEE-754 doubles represent them exactly.
    public static let integerRange: ClosedRange<Int64> = -9_007_199_254_740_991...9_007_199_254_740_991
}

extension JSONValue {
    /// The payload of `.integer`, or nil for any other case.
    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The payload of `.string`, or nil for any other case.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The payload of `.bool`, or nil for any other case.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The payload of `.array`, or nil for any other case.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The payload of `.object`, or nil for any other case.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }
}

// Literals make fixtures and tests readable. An integer literal outside `integerRange` is
// accepted here and caught by the encoder's precondition, like any other out-of-range value.
// Deliberately not ExpressibleByNilLiteral: with it, `object["k"] == nil` and
// `object["k"] = nil` would silently mean `.null` instead of "absent"; write `.null`.
extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The canonical text, for messages and debugging. Never traps: an out-of-range integer
    /// is shown as it is (`encode` would trap on it).
    public var description: String {
        var buffer: [UInt8] = []
        Writer.write(self, into: &buffer, trapsOnOutOfRange: false)
        return String(decoding: buffer, as: UTF8.self)
    }
}
