import LedgerCrypto
import LedgerJSON

/// Turns drafts into canonical lines, and lines back into checked records.
public enum RecordCodec {
    /// A line, newline included, is at most this long (Specs/log-format.md, section 2).
    public static let lineBytesMax = 65_536
    static let limits: JSONLimits = {
        var limits = JSONLimits.default
        limits.inputBytesMax = lineBytesMax - 1
        return limits
    }()

    /// A line that failed to decode, with the kind of the failure (without a position: the caller knows it).
    public struct LineProblem: Error, Sendable, Equatable {
        public let kind: FailureKind
        public let message: String
    }

    /// A decoded record and where its `hash` and `sig` members sit in the line.
    public struct Decoded: Sendable {
        public let record: Record
        let hashMember: Range<Int>
        let signatureMember: Range<Int>?

        /// The hash recomputed from the line's bytes (Specs/log-format.md, section 5).
        func recomputedHash(_ line: UnsafeRawBufferPointer) -> SHA256Digest {
            RecordHash.compute(line: line, version: record.version, hashMember: hashMember, signatureMember: signatureMember)
        }
    }

    /// Decodes one line (without its final newline) into a record, checking steps 1-4 of
    /// Specs/log-format.md, section 8: size, JSON subset, canonical form, version and schema.
    ///
    /// `strings`: a cache of short strings a decoding thread keeps from line to line (the
    /// keys, event types, actors and names that recur in a log).
    public static func decode(line: UnsafeRawBufferPointer, strings: StringCache? = nil) throws(LineProblem) -> Decoded {
        guard line.count < lineBytesMax else {
            throw LineProblem(kind: .malformed, message: "line of \(line.count + 1) bytes exceeds \(lineBytesMax)")
        }
        let members: [CanonicalJSON.ObjectMember]
        do {
            // Plain strings stay in the line: the envelope parses prev, hash, recorded_at and
            // effective from their bytes, and builds only the strings a Record keeps. So do its
            // keys, which it matches as bytes.
            members = try CanonicalJSON.decodeObjectMembers(line, keys: .identifier, limits: limits,
                                                            plainStringsInPlace: true, keysInPlace: true, strings: strings)
        } catch {
            throw classify(line: line, strictError: error)
        }
        let (record, hashMember, signatureMember) = try EnvelopeSchema.record(from: members, in: line, strings: strings)
        return Decoded(record: record, hashMember: hashMember, signatureMember: signatureMember)
    }

    /// A strict-read failure is NON_CANONICAL if a lenient reader accepts the bytes, else MALFORMED.
    static func classify(line: UnsafeRawBufferPointer, strictError: JSONError) -> LineProblem {
        do {
            _ = try CanonicalJSON.decode(line, mode: .lenient, keys: .identifier, limits: limits)
            return LineProblem(kind: .nonCanonical, message: "not in canonical form: \(strictError)")
        } catch {
            return LineProblem(kind: .malformed, message: "not JSON of the log's subset: \(error)")
        }
    }

    /// The canonical line (newline included) and hash of a record built from its parts, in
    /// format `version`, without a signature (`signed` adds one to an append's last record).
    public static func encode(draft: RecordDraft, seq: UInt64, prev: SHA256Digest, recordedAt: Timestamp,
                              effective: CalendarDate, version: Int64 = Record.currentVersion) -> (line: [UInt8], record: Record) {
        precondition(Record.versions.contains(version), "a format version this code writes")
        var line = envelope(draft: draft, seq: seq, prev: prev, recordedAt: recordedAt, effective: effective, version: version)
        let hash = RecordHash.compute(canonicalWithoutHash: line, version: version)
        // Keys are sorted, so the hash member goes right after `{"actor":"<actor>","effective":"<date>",`
        // (an actor is an identifier: no escapes): splice it in rather than encode twice.
        let at = 37 + draft.actor.utf8.count
        precondition(line[at - 2] == UInt8(ascii: "\"") && line[at - 1] == UInt8(ascii: ","), "the effective member ends here")
        var member = Array("\"hash\":\"".utf8)
        hash.appendHex(to: &member)
        member.append(contentsOf: "\",".utf8)
        line.insert(contentsOf: member, at: at)
        line.append(0x0A)
        let record = Record(version: version, seq: seq, prev: prev, type: draft.type, recordedAt: recordedAt, effective: effective,
                            actor: draft.actor, idempotencyKey: draft.idempotencyKey, payload: draft.payload,
                            hash: hash, signature: nil)
        return (line, record)
    }

    /// The canonical bytes of a record without its hash and signature, written member by member
    /// in their canonical order (actor, effective, idem, payload, prev, recorded_at, seq, type,
    /// v): the bytes `CanonicalJSON.encode` gives the same object, without building it (sorting
    /// its keys and normalizing them cost a quarter of the encoding, once per record).
    static func envelope(draft: RecordDraft, seq: UInt64, prev: SHA256Digest, recordedAt: Timestamp,
                         effective: CalendarDate, version: Int64) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(512)
        func key(_ name: StaticString) { name.withUTF8Buffer { line.append(contentsOf: $0) } }
        key("{\"actor\":")
        CanonicalJSON.encodeString(draft.actor, into: &line)
        key(",\"effective\":")
        CanonicalJSON.encodeString(effective.description, into: &line)
        if let idempotencyKey = draft.idempotencyKey {
            key(",\"idem\":")
            CanonicalJSON.encodeString(idempotencyKey, into: &line)
        }
        key(",\"payload\":")
        CanonicalJSON.encode(.object(draft.payload), into: &line)
        key(",\"prev\":\"")
        prev.appendHex(to: &line)   // hex needs no escape: the string's bytes are its JSON
        key("\"")
        key(",\"recorded_at\":")
        CanonicalJSON.encodeString(recordedAt.description, into: &line)
        key(",\"seq\":")
        CanonicalJSON.encodeInteger(Int64(seq), into: &line)
        key(",\"type\":")
        CanonicalJSON.encodeString(draft.type, into: &line)
        key(",\"v\":")
        CanonicalJSON.encodeInteger(version, into: &line)
        key("}")
        return line
    }

    /// The line of `record` with its append's signature (newline included). The signature is
    /// not part of the hash, so only the `sig` member is added: `"sig":"<base64>",` goes before
    /// the envelope's `"type":` member, the last but one of the line.
    public static func line(of record: Record) -> [UInt8] {
        var object = JSONObject([
            ("actor", .string(record.actor)), ("effective", .string(record.effective.description)),
            ("hash", .string(record.hash.hex)), ("payload", .object(record.payload)), ("prev", .string(record.prev.hex)),
            ("recorded_at", .string(record.recordedAt.description)), ("seq", .integer(Int64(record.seq))),
            ("type", .string(record.type)), ("v", .integer(record.version)),
        ])
        if let key = record.idempotencyKey { object["idem"] = .string(key) }
        if let signature = record.signature { object["sig"] = .string(Base64.encode(signature)) }
        return CanonicalJSON.encode(.object(object)) + [0x0A]
    }
}

extension RecordCodec {
    /// Decodes a line and checks its stored hash: for a writer reading back the log's tail or a
    /// record an index points at (never trust bytes read back without re-hashing them).
    public static func decodeChecked(line: [UInt8]) throws(LineProblem) -> Record {
        try line.withUnsafeBytes { bytes in Result { () throws(LineProblem) in try decodeChecked(line: bytes) } }.get()
    }

    /// `decodeChecked` of bytes in place (a writer reading back a batch's lines: no copy of each).
    public static func decodeChecked(line: UnsafeRawBufferPointer, strings: StringCache? = nil) throws(LineProblem) -> Record {
        let decoded = try decode(line: line, strings: strings)
        let recomputed = decoded.recomputedHash(line)
        guard recomputed == decoded.record.hash else {
            throw LineProblem(kind: .hashMismatch, message: "stored hash \(decoded.record.hash.hex) but the record hashes to \(recomputed.hex)")
        }
        return decoded.record
    }
}
