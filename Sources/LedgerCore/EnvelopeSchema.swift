import LedgerCrypto
import LedgerJSON

/// Step 3 and 4 of verification: the version, then every envelope member's presence, type and pattern.
enum EnvelopeSchema {
    typealias Problem = RecordCodec.LineProblem

    /// The members of a record, gathered in one pass over the object (one lookup per member
    /// would normalize and search the key ten times per record: a third of verify's time).
    struct Members {
        var version: JSONValue?, seq: JSONValue?, prev: JSONValue?, hash: JSONValue?, type: JSONValue?
        var recordedAt: JSONValue?, effective: JSONValue?, actor: JSONValue?, idem: JSONValue?, payload: JSONValue?
        var unknown: String?

        init(_ object: JSONObject) {
            for (key, value) in object {
                switch key {
                case "actor": actor = value
                case "effective": effective = value
                case "hash": hash = value
                case "idem": idem = value
                case "payload": payload = value
                case "prev": prev = value
                case "recorded_at": recordedAt = value
                case "seq": seq = value
                case "type": type = value
                case "v": version = value
                default: if unknown == nil { unknown = key }
                }
            }
        }
    }

    static func record(from object: JSONObject) throws(Problem) -> Record {
        let members = Members(object)
        guard case .integer(let version)? = members.version else { throw violation("member \"v\" must be an integer") }
        guard version == Record.formatVersion else {
            throw Problem(kind: .unsupportedVersion, message: "format version \(version); this verifier reads version \(Record.formatVersion)")
        }
        if let key = members.unknown { throw violation("unknown member \"\(key)\"") }
        guard case .integer(let seq)? = members.seq, seq >= 0 else {
            throw violation("member \"seq\" must be a non-negative integer")
        }
        let prev = try digest(members.prev, "prev")
        let hash = try digest(members.hash, "hash")
        let type = try string(members.type, "type")
        guard FieldRules.isEventType(type) else { throw violation("member \"type\" \(quoted(type)) is not an event type") }
        let recordedText = try string(members.recordedAt, "recorded_at")
        guard let recordedAt = Timestamp(recordedText) else {
            throw violation("member \"recorded_at\" \(quoted(recordedText)) is not YYYY-MM-DDTHH:MM:SS.ffffffZ")
        }
        let effectiveText = try string(members.effective, "effective")
        guard let effective = CalendarDate(effectiveText) else {
            throw violation("member \"effective\" \(quoted(effectiveText)) is not a date YYYY-MM-DD")
        }
        let actor = try string(members.actor, "actor")
        guard FieldRules.isIdentifier(actor) else { throw violation("member \"actor\" \(quoted(actor)) is not an identifier") }
        var idem: String?
        if members.idem != nil {
            let key = try string(members.idem, "idem")
            guard FieldRules.isIdempotencyKey(key) else { throw violation("member \"idem\" is not 1-128 printable ASCII characters") }
            idem = key
        }
        guard case .object(let payload)? = members.payload else { throw violation("member \"payload\" must be an object") }
        return Record(seq: UInt64(seq), prev: prev, type: type, recordedAt: recordedAt, effective: effective,
                      actor: actor, idempotencyKey: idem, payload: payload, hash: hash)
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
        guard let digest = SHA256Digest(hex: text) else {
            throw violation("member \"\(key)\" must be 64 lowercase hex digits")
        }
        return digest
    }

    static func violation(_ message: String) -> Problem { Problem(kind: .schemaViolation, message: message) }
    static func genesisProblem(_ message: String) -> Problem { Problem(kind: .genesisInvalid, message: message) }
    static func quoted(_ text: String) -> String { "\"" + String(text.prefix(80)) + "\"" }
}
