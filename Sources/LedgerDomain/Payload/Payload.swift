import LedgerCore
import LedgerCrypto
import LedgerJSON

/// A payload being decoded under its event's schema: exactly the listed members, each of its
/// type and pattern. Every failure is `S.payload` naming the event, the member and the value,
/// except amounts that are integers but not positive, which are `M1.amount-positive`.
///
/// Decoding comes before the event's rules, and `S.payload` before `M1` wherever they are in
/// the payload (Specs/events.md, section 1): an amount that is not positive is noted, decoding
/// goes on with a stand-in, and `decoded()` throws it once every member is read. A handler
/// calls `decoded()` before its first rule; `FundState.dispatch` makes sure of it.
struct Payload {
    /// The event type, or `type.member` for a nested object: the place in messages.
    let place: String
    let object: JSONObject
    /// Shared by an event's payload and the objects nested in it.
    let decoding: Decoding

    /// The first amount found not positive while decoding, if any.
    final class Decoding {
        var amountViolation: RuleViolation?
    }

    /// Checks the member names in one pass over the (few, sorted) members: no lookups, no copies.
    init(_ object: JSONObject, place: String, required: [String], optional: [String] = [],
         decoding: Decoding = Decoding()) throws(RuleViolation) {
        self.place = place
        self.object = object
        self.decoding = decoding
        var requiredFound = 0
        let unknown = object.firstKey { key in
            if required.contains(where: { JSONObject.same($0, key) }) { requiredFound += 1; return false }
            return !optional.contains { JSONObject.same($0, key) }
        }
        if let unknown {
            throw Rules.payload.violation("\(place): unknown member \"\(unknown)\" (members: \((required + optional).sorted().joined(separator: ", ")))")
        }
        guard requiredFound == required.count else {
            let missing = required.first { key in object.value(exactKey: key) == nil } ?? "?"
            throw Rules.payload.violation("\(place): missing member \"\(missing)\"")
        }
    }

    /// The member's value. Payload keys are ASCII identifiers (the log's key policy), so comparing
    /// them as strings is exact; a payload has at most seven members, so a scan beats a search.
    func value(_ key: String) -> JSONValue? { object.value(exactKey: key) }

    func has(_ key: String) -> Bool { value(key) != nil }

    func schemaError(_ key: String, _ expected: String) -> RuleViolation {
        let shown = value(key).map(Self.shown) ?? "nothing"
        return Rules.payload.violation("\(place): member \"\(key)\" must be \(expected), got \(shown)")
    }

    /// A value as it appears in JSON, cut at 80 bytes so a huge value cannot flood a message.
    static func shown(_ value: JSONValue) -> String {
        let text = String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
        return text.utf8.count <= 80 ? text : String(decoding: text.utf8.prefix(77), as: UTF8.self) + "..."
    }

    /// Text of 1 to `bytesMax` bytes.
    func text(_ key: String, bytesMax: Int) throws(RuleViolation) -> String {
        guard case .string(let text)? = value(key), (1...bytesMax).contains(text.utf8.count) else {
            throw schemaError(key, "text of 1 to \(bytesMax) bytes")
        }
        return text
    }

    /// An operator's Ed25519 public key: the canonical base64 of 32 bytes that encode a point.
    func publicKey(_ key: String) throws(RuleViolation) -> Ed25519.PublicKey {
        guard case .string(let text)? = value(key), let bytes = Base64.decode(text), let publicKey = Ed25519.PublicKey(bytes: bytes),
              !publicKey.hasSmallOrder else {
            throw schemaError(key, "an Ed25519 public key: the base64 of its 32 bytes (the key of a .pub file of ledger keygen), "
                + "not of small order")
        }
        return publicKey
    }

    func identifier<Kind>(_ key: String, _ kind: Kind.Type = Kind.self) throws(RuleViolation) -> Identifier<Kind> {
        guard case .string(let text)? = value(key), let identifier = Identifier<Kind>(text) else {
            throw schemaError(key, "a \(Kind.noun) identifier (letters, digits, . _ : -, at most 64 bytes)")
        }
        return identifier
    }

    func optionalIdentifier<Kind>(_ key: String, _ kind: Kind.Type = Kind.self) throws(RuleViolation) -> Identifier<Kind>? {
        has(key) ? try identifier(key, kind) : nil
    }

    /// A positive integer of minor units.
    func amount(_ key: String) throws(RuleViolation) -> Money {
        guard case .integer(let value)? = value(key) else {
            throw schemaError(key, "an integer amount in minor units (no fraction, no string)")
        }
        return positiveAmount(value, place: "\(place): \(key)")
    }

    /// The amount, or (not positive) a stand-in of one minor unit and the violation noted. The
    /// place is built only for a violation: every amount of the log passes through here.
    private func positiveAmount(_ value: Int64, place: @autoclosure () -> String) -> Money {
        guard value > 0, let money = Money(minorUnits: value) else {
            if decoding.amountViolation == nil {
                decoding.amountViolation = Rules.amountPositive.violation("\(place()) is \(value); an amount is a positive integer of minor units")
            }
            return Money(minorUnits: 1)!
        }
        return money
    }

    /// Throws the `M1.amount-positive` noted while decoding, if any: call it once every member
    /// is decoded, before the event's first rule.
    func decoded() throws(RuleViolation) {
        if let violation = decoding.amountViolation { throw violation }
    }

    func integer(_ key: String, in range: ClosedRange<Int64>) throws(RuleViolation) -> Int64 {
        guard case .integer(let value)? = value(key), range.contains(value) else {
            throw schemaError(key, "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func bool(_ key: String) throws(RuleViolation) -> Bool {
        guard case .bool(let value)? = value(key) else { throw schemaError(key, "true or false") }
        return value
    }

    func date(_ key: String) throws(RuleViolation) -> CalendarDate {
        guard case .string(let text)? = value(key), let date = CalendarDate(text) else {
            throw schemaError(key, "a date YYYY-MM-DD")
        }
        return date
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _ type: Choice.Type = Choice.self) throws(RuleViolation) -> Choice
    where Choice.RawValue == String {
        guard case .string(let text)? = value(key), let value = Choice(rawValue: text) else {
            throw schemaError(key, "one of " + Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        return value
    }

    /// A non-empty list of distinct choices.
    func choices<Choice: RawRepresentable & CaseIterable & Hashable>(_ key: String, _ type: Choice.Type = Choice.self) throws(RuleViolation) -> Set<Choice>
    where Choice.RawValue == String {
        let expected = "a non-empty list of distinct values among " + Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        guard case .array(let items)? = value(key), !items.isEmpty, items.count <= Choice.allCases.count else {
            throw schemaError(key, expected)
        }
        var result: Set<Choice> = []
        for item in items {
            guard case .string(let text) = item, let value = Choice(rawValue: text), result.insert(value).inserted else {
                throw schemaError(key, expected)
            }
        }
        return result
    }

    /// A list of positive amounts (how many is `I2.tranche-plan`'s, a rule checked after decoding).
    func amounts(_ key: String) throws(RuleViolation) -> [Money] {
        guard case .array(let items)? = value(key) else { throw schemaError(key, "a list of integer amounts in minor units") }
        var result: [Money] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .integer(let value) = item else {
                throw schemaError(key, "a list of integer amounts in minor units")
            }
            result.append(positiveAmount(value, place: "\(place): \(key)[\(index + 1)]"))
        }
        return result
    }

    /// A nested object decoded under its own member list.
    func nested(_ key: String, required: [String], optional: [String] = []) throws(RuleViolation) -> Payload {
        guard case .object(let inner)? = value(key) else { throw schemaError(key, "an object") }
        return try Payload(inner, place: "\(place).\(key)", required: required, optional: optional, decoding: decoding)
    }
}
