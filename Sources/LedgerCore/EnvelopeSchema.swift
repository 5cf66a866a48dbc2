import LedgerCrypto
import LedgerJSON

/// Step 3 and 4 of verification: the version, then every envelope member's presence, type and pattern.
enum EnvelopeSchema {
    typealias Problem = RecordCodec.LineProblem

    /// The envelope's members, by name.
    enum Field: String {
        case actor, effective, hash, idem, payload, prev, recordedAt = "recorded_at", seq, type
        case version = "v"

        /// The field `key` names, or nil. The length and first byte single out the one
        /// candidate, so a known key costs one string comparison, and an equal one at that
        /// (cheap); a `switch` over the names would compare with up to ten of them.
        init?(key: String) {
            let utf8 = key.utf8
            let candidate: Field? = switch (utf8.count, utf8.first) {
            case (5, _): .actor
            case (9, _): .effective
            case (4, UInt8(ascii: "h")?): .hash
            case (4, UInt8(ascii: "i")?): .idem
            case (7, _): .payload
            case (4, UInt8(ascii: "p")?): .prev
            case (11, _): .recordedAt
            case (3, _): .seq
            case (4, UInt8(ascii: "t")?): .type
            case (1, _): .version
            default: nil
            }
            guard let candidate, key == candidate.rawValue else { return nil }
            self = candidate
        }
    }

    /// Where each envelope member sits among the record's members, gathered in one pass (one
    /// lookup per member would search the keys ten times per record). Positions rather than
    /// copies of the values: nothing to retain or release.
    struct Members {
        private var positions = (-1, -1, -1, -1, -1, -1, -1, -1, -1, -1)
        /// The first key that is not an envelope member, if any.
        private(set) var unknown: String?

        init(_ members: [CanonicalJSON.ObjectMember]) {
            for position in members.indices {
                if let field = Field(key: members[position].key) {
                    self[field] = position
                } else if unknown == nil {
                    unknown = members[position].key
                }
            }
        }

        /// The position of `field`'s member, or nil if the record lacks it.
        subscript(field: Field) -> Int? {
            get {
                let position = switch field {
                case .actor: positions.0
                case .effective: positions.1
                case .hash: positions.2
                case .idem: positions.3
                case .payload: positions.4
                case .prev: positions.5
                case .recordedAt: positions.6
                case .seq: positions.7
                case .type: positions.8
                case .version: positions.9
                }
                return position < 0 ? nil : position
            }
            set {
                let position = newValue ?? -1
                switch field {
                case .actor: positions.0 = position
                case .effective: positions.1 = position
                case .hash: positions.2 = position
                case .idem: positions.3 = position
                case .payload: positions.4 = position
                case .prev: positions.5 = position
                case .recordedAt: positions.6 = position
                case .seq: positions.7 = position
                case .type: positions.8 = position
                case .version: positions.9 = position
                }
            }
        }
    }

    /// Checks the members of a decoded line and builds its record; also returns the byte range
    /// of the `hash` member, which the line's hash leaves out. The checks run in a fixed order
    /// (version first), so a line with several problems always reports the same one.
    static func record(from members: [CanonicalJSON.ObjectMember])
        throws(Problem) -> (record: Record, hashMember: Range<Int>)
    {
        let found = Members(members)
        func value(_ field: Field) -> JSONValue? { found[field].map { members[$0].value } }
        guard case .integer(let version)? = value(.version) else { throw violation("member \"v\" must be an integer") }
        guard version == Record.formatVersion else {
            throw Problem(kind: .unsupportedVersion, message: "format version \(version); this verifier reads version \(Record.formatVersion)")
        }
        if let key = found.unknown { throw violation("unknown member \"\(key)\"") }
        guard case .integer(let seq)? = value(.seq), seq >= 0 else {
            throw violation("member \"seq\" must be a non-negative integer")
        }
        let prev = try digest(value(.prev), "prev")
        let hash = try digest(value(.hash), "hash")
        let type = try string(value(.type), "type")
        guard FieldRules.withUTF8(type, FieldRules.isEventType(utf8:)) else {
            throw violation("member \"type\" \(quoted(type)) is not an event type")
        }
        let recordedText = try string(value(.recordedAt), "recorded_at")
        guard let recordedAt = FieldRules.withUTF8(recordedText, Timestamp.init(utf8:)) else {
            throw violation("member \"recorded_at\" \(quoted(recordedText)) is not YYYY-MM-DDTHH:MM:SS.ffffffZ")
        }
        let effectiveText = try string(value(.effective), "effective")
        guard let effective = FieldRules.withUTF8(effectiveText, CalendarDate.parse) else {
            throw violation("member \"effective\" \(quoted(effectiveText)) is not a date YYYY-MM-DD")
        }
        let actor = try string(value(.actor), "actor")
        guard FieldRules.withUTF8(actor, FieldRules.isIdentifier(utf8:)) else {
            throw violation("member \"actor\" \(quoted(actor)) is not an identifier")
        }
        var idem: String?
        if let idemValue = value(.idem) {
            let key = try string(idemValue, "idem")
            guard FieldRules.isIdempotencyKey(key) else { throw violation("member \"idem\" is not 1-128 printable ASCII characters") }
            idem = key
        }
        guard case .object(let payload)? = value(.payload) else { throw violation("member \"payload\" must be an object") }
        let record = Record(seq: UInt64(seq), prev: prev, type: type, recordedAt: recordedAt, effective: effective,
                            actor: actor, idempotencyKey: idem, payload: payload, hash: hash)
        // `digest` threw if the hash member were missing.
        return (record, members[found[.hash]!].range)
    }

    /// The genesis payload's four members, exactly (section 4).
    static func genesis(from payload: JSONObject) -> Result<Genesis, Problem> {
        guard Set(payload.keys) == ["currency", "minor_units", "name", "origin"] else {
            return .failure(genesisProblem("payload must have exactly currency, minor_units, name, origin"))
        }
        guard case .string(let currency)? = payload["currency"], FieldRules.isCurrencyCode(currency) else {
            return .failure(genesisProblem("currency must be an ISO 4217 code like EUR"))
        }
        guard case .integer(let minorUnits)? = payload["minor_units"], (0...4).contains(minorUnits) else {
            return .failure(genesisProblem("minor_units must be an integer from 0 to 4"))
        }
        guard case .string(let name)? = payload["name"], (1...200).contains(name.utf8.count) else {
            return .failure(genesisProblem("name must be 1 to 200 bytes"))
        }
        guard case .string(let origin)? = payload["origin"], FieldRules.isOrigin(origin) else {
            return .failure(genesisProblem("origin must be 1-255 printable ASCII bytes without space or '+'"))
        }
        return .success(Genesis(origin: origin, currency: currency, minorUnits: Int(minorUnits), name: name))
    }

    static func string(_ value: JSONValue?, _ key: String) throws(Problem) -> String {
        guard let value else { throw violation("member \"\(key)\" is missing") }
        guard case .string(let text) = value else { throw violation("member \"\(key)\" must be a string") }
        return text
    }

    static func digest(_ value: JSONValue?, _ key: String) throws(Problem) -> SHA256Digest {
        let text = try string(value, key)
        guard let digest = FieldRules.withUTF8(text, DigestHex.parse) else {
            throw violation("member \"\(key)\" must be 64 lowercase hex digits")
        }
        return digest
    }

    static func violation(_ message: String) -> Problem { Problem(kind: .schemaViolation, message: message) }
    static func genesisProblem(_ message: String) -> Problem { Problem(kind: .genesisInvalid, message: message) }
    static func quoted(_ text: String) -> String { "\"" + String(text.prefix(80)) + "\"" }
}
