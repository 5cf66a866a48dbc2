#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto
import LedgerJSON

/// Step 3 and 4 of verification: the version, then every envelope member's presence, type and pattern.
enum EnvelopeSchema {
    typealias Problem = RecordCodec.LineProblem

    /// The envelope's members, by name.
    enum Field: String {
        case actor, effective, hash, idem, payload, prev, recordedAt = "recorded_at", seq, signature = "sig", type
        case version = "v"

        /// The field whose key is `key` (UTF-8), or nil. The length and last byte single out
        /// the one candidate, so a key costs one byte comparison with one name; a `switch`
        /// over the `String` names compared with up to eleven of them.
        init?(key: UnsafeRawBufferPointer) {
            let candidate: Field? = switch (key.count, key.last) {
            case (5, _): .actor
            case (9, _): .effective
            case (4, UInt8(ascii: "h")?): .hash
            case (4, UInt8(ascii: "m")?): .idem
            case (7, _): .payload
            case (4, UInt8(ascii: "v")?): .prev
            case (11, _): .recordedAt
            case (3, UInt8(ascii: "q")?): .seq
            case (3, UInt8(ascii: "g")?): .signature
            case (4, UInt8(ascii: "e")?): .type
            case (1, _): .version
            default: nil
            }
            // One `memcmp` of the candidate's bytes, in place (a loop over `withUTF8Buffer`
            // took as long as the rest of the envelope's members).
            guard let candidate, memcmp(candidate.name.utf8Start, key.baseAddress!, key.count) == 0 else { return nil }
            self = candidate
        }

        /// The key, as bytes to compare with.
        var name: StaticString {
            switch self {
            case .actor: "actor"
            case .effective: "effective"
            case .hash: "hash"
            case .idem: "idem"
            case .payload: "payload"
            case .prev: "prev"
            case .recordedAt: "recorded_at"
            case .seq: "seq"
            case .signature: "sig"
            case .type: "type"
            case .version: "v"
            }
        }
    }

    /// A decoded line's members, found by field in one pass (one lookup per field would
    /// search the keys ten times per record). Positions rather than copies of the values:
    /// nothing to retain or release. Noncopyable, so passing it around never copies (retains)
    /// the members array either.
    struct Members: ~Copyable {
        let members: [CanonicalJSON.ObjectMember]
        let line: UnsafeRawBufferPointer
        let strings: StringCache?
        private var positions = (-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)
        /// The first key that is not an envelope member, if any.
        private(set) var unknown: String?

        init(_ members: [CanonicalJSON.ObjectMember], in line: UnsafeRawBufferPointer, strings: StringCache?) {
            self.members = members
            self.line = line
            self.strings = strings
            for position in members.indices {
                if let field = Field(key: Self.key(of: members[position], in: line)) {
                    self[field] = position
                } else if unknown == nil {
                    unknown = String(decoding: Self.key(of: members[position], in: line), as: UTF8.self)
                }
            }
        }

        /// The key's bytes, between the member's opening quote and the `":` before its value.
        /// A record's keys are identifiers (the decoder's key policy), never escaped: these
        /// bytes are the key. Reading them copies no String.
        static func key(of member: CanonicalJSON.ObjectMember, in line: UnsafeRawBufferPointer)
            -> UnsafeRawBufferPointer
        {
            let keyEnd = member.valueRange.lowerBound - 2
            precondition(line[keyEnd] == UInt8(ascii: "\"") && line[keyEnd + 1] == UInt8(ascii: ":"),
                         "a key's closing quote and colon precede its value")
            return UnsafeRawBufferPointer(rebasing: line[(member.range.lowerBound + 1)..<keyEnd])
        }

        func has(_ field: Field) -> Bool { self[field] != nil }

        /// The member's value; nil if the record has no such member.
        func value(_ field: Field) -> JSONValue? {
            guard let position = self[field] else { return nil }
            // A plain string the decoder left in the line is built now that it is asked for.
            if let value = members[position].value { return value }
            let text = bytesInQuotes(position)
            return .string(strings?.string(UnsafeRawBufferPointer(text)) ?? String(decoding: text, as: UTF8.self))
        }

        /// The member's string value.
        func string(_ field: Field) throws(Problem) -> String {
            guard case .string(let text)? = value(field) else { throw notAString(field) }
            return text
        }

        /// The UTF-8 between the quotes of a string member, as it lies in the line: no String
        /// is built, copied or retained to read it. For the fields read this way it *is* the
        /// text: their patterns allow no character that the canonical form escapes (controls,
        /// '"', '\\'), so a value with an escape fails on these bytes as it would on its text.
        func rawText(_ field: Field) throws(Problem) -> UnsafeBufferPointer<UInt8> {
            guard let position = self[field] else { throw notAString(field) }
            switch members[position].value {
            case nil, .string?: return bytesInQuotes(position)  // nil: a plain string left in the line
            default: throw notAString(field)
            }
        }

        private func bytesInQuotes(_ position: Int) -> UnsafeBufferPointer<UInt8> {
            let quoted = members[position].valueRange
            let text = UnsafeRawBufferPointer(rebasing: line[(quoted.lowerBound + 1)..<(quoted.upperBound - 1)])
            return text.assumingMemoryBound(to: UInt8.self)
        }

        /// The digest a `prev` or `hash` member spells.
        func digest(_ field: Field) throws(Problem) -> SHA256Digest {
            guard let digest = DigestHex.parse(try rawText(field)) else {
                throw violation("member \"\(field.rawValue)\" must be 64 lowercase hex digits")
            }
            return digest
        }

        private func notAString(_ field: Field) -> Problem {
            self[field] == nil ? violation("member \"\(field.rawValue)\" is missing")
                : violation("member \"\(field.rawValue)\" must be a string")
        }

        /// The position of `field`'s member, or nil if the record lacks it.
        private(set) subscript(field: Field) -> Int? {
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
                case .signature: positions.10
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
                case .signature: positions.10 = position
                }
            }
        }
    }

    /// Checks the members of `line` and builds its record; also returns the byte ranges of the
    /// `hash` and `sig` members, which the line's hash leaves out. The checks run in a fixed
    /// order (version first), so a line with several problems always reports the same one.
    static func record(from members: [CanonicalJSON.ObjectMember], in line: UnsafeRawBufferPointer, strings: StringCache? = nil)
        throws(Problem) -> (record: Record, hashMember: Range<Int>, signatureMember: Range<Int>?)
    {
        let found = Members(members, in: line, strings: strings)
        guard case .integer(let version)? = found.value(.version) else { throw violation("member \"v\" must be an integer") }
        guard Record.versions.contains(version) else {
            throw Problem(kind: .unsupportedVersion,
                          message: "format version \(version); this verifier reads versions \(Record.versions.lowerBound) to \(Record.versions.upperBound)")
        }
        if let key = found.unknown { throw violation("unknown member \"\(key)\"") }
        guard case .integer(let seq)? = found.value(.seq), seq >= 0 else {
            throw violation("member \"seq\" must be a non-negative integer")
        }
        let prev = try found.digest(.prev)
        let hash = try found.digest(.hash)
        let type = try found.string(.type)
        guard FieldRules.isEventType(utf8: try found.rawText(.type)) else {
            throw violation("member \"type\" \(quoted(type)) is not an event type")
        }
        guard let recordedAt = Timestamp(utf8: try found.rawText(.recordedAt)) else {
            throw violation("member \"recorded_at\" \(quoted(try found.string(.recordedAt))) is not YYYY-MM-DDTHH:MM:SS.ffffffZ")
        }
        guard let effective = CalendarDate.parse(try found.rawText(.effective)) else {
            throw violation("member \"effective\" \(quoted(try found.string(.effective))) is not a date YYYY-MM-DD")
        }
        let actor = try found.string(.actor)
        guard FieldRules.isIdentifier(utf8: try found.rawText(.actor)) else {
            throw violation("member \"actor\" \(quoted(actor)) is not an identifier")
        }
        var idem: String?
        if found.has(.idem) {
            // On the decoded text: an idempotency key may hold '"' or '\\', escaped in the line.
            let key = try found.string(.idem)
            guard FieldRules.isIdempotencyKey(key) else { throw violation("member \"idem\" is not 1-128 printable ASCII characters") }
            idem = key
        }
        guard case .object(let payload)? = found.value(.payload) else { throw violation("member \"payload\" must be an object") }
        let signature = try Self.signature(found, version: version)
        let record = Record(version: version, seq: UInt64(seq), prev: prev, type: type, recordedAt: recordedAt, effective: effective,
                            actor: actor, idempotencyKey: idem, payload: payload, hash: hash, signature: signature?.bytes)
        // `digest` threw if the hash member were missing.
        return (record, members[found[.hash]!].range, signature?.member)
    }

    /// A version-2 record's `sig`, if any: the canonical base64 of 64 bytes (section 4).
    private static func signature(_ found: borrowing Members, version: Int64) throws(Problem) -> (bytes: [UInt8], member: Range<Int>)? {
        guard let position = found[.signature] else { return nil }
        guard version >= 2 else { throw violation("member \"sig\" appears in version-2 records only") }
        guard case .string(let text)? = found.value(.signature), let bytes = Base64.decode(text),
              bytes.count == AppendSignature.signatureByteCount else {
            throw violation("member \"sig\" must be the base64 of a 64-byte signature")
        }
        return (bytes, found.members[position].range)
    }

    /// The genesis payload: exactly its four members in version 1, and the founder's `key`
    /// (and an optional `clock`) in version 2 (section 4).
    static func genesis(from payload: JSONObject, version: Int64) -> Result<Genesis, Problem> {
        let members: Set<String> = ["currency", "minor_units", "name", "origin"]
        var keys = Set(payload.keys)
        if version >= 2 {
            keys.remove("clock")
            guard keys == members.union(["key"]) else {
                return .failure(genesisProblem("payload must have exactly currency, key, minor_units, name, origin (and clock)"))
            }
        } else {
            guard keys == members else { return .failure(genesisProblem("payload must have exactly currency, minor_units, name, origin")) }
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
        var key: [UInt8]?
        if version >= 2 {
            guard case .string(let text)? = payload["key"], let bytes = Base64.decode(text), let publicKey = Ed25519.PublicKey(bytes: bytes),
                  !publicKey.hasSmallOrder else {
                return .failure(genesisProblem("key must be the base64 of a 32-byte Ed25519 public key, not of small order"))
            }
            key = bytes
        }
        var isSimulated = false
        if let clock = payload["clock"] {
            guard clock == .string(Genesis.simulatedClock) else { return .failure(genesisProblem("clock must be \"simulated\" when present")) }
            isSimulated = true
        }
        return .success(Genesis(origin: origin, currency: currency, minorUnits: Int(minorUnits), name: name, key: key,
                                isSimulated: isSimulated))
    }

    static func violation(_ message: String) -> Problem { Problem(kind: .schemaViolation, message: message) }
    static func genesisProblem(_ message: String) -> Problem { Problem(kind: .genesisInvalid, message: message) }
    static func quoted(_ text: String) -> String { "\"" + String(text.prefix(80)) + "\"" }
}
