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

    /// A decoded record and where its `hash` member sits in the line.
    public struct Decoded: Sendable {
        public let record: Record
        let hashMember: Range<Int>
    }

    /// Decodes one line (without its final newline) into a record, checking steps 1-4 of
    /// Specs/log-format.md, section 8: size, JSON subset, canonical form, version and schema.
    public static func decode(line: UnsafeRawBufferPointer) throws(LineProblem) -> Decoded {
        guard line.count < lineBytesMax else {
            throw LineProblem(kind: .malformed, message: "line of \(line.count + 1) bytes exceeds \(lineBytesMax)")
        }
        let members: [CanonicalJSON.ObjectMember]
        do {
            // Plain strings stay in the line: the envelope parses prev, hash, recorded_at and
            // effective from their bytes, and builds only the strings a Record keeps.
            members = try CanonicalJSON.decodeObjectMembers(line, keys: .identifier, limits: limits,
                                                            plainStringsInPlace: true)
        } catch {
            throw classify(line: line, strictError: error)
        }
        let (record, hashMember) = try EnvelopeSchema.record(from: members, in: line)
        return Decoded(record: record, hashMember: hashMember)
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

    /// The canonical line (newline included) and hash of a record built from its parts.
    public static func encode(draft: RecordDraft, seq: UInt64, prev: SHA256Digest, recordedAt: Timestamp,
                              effective: CalendarDate) -> (line: [UInt8], record: Record) {
        var object = JSONObject([
            ("actor", .string(draft.actor)), ("effective", .string(effective.description)),
            ("payload", .object(draft.payload)), ("prev", .string(prev.hex)),
            ("recorded_at", .string(recordedAt.description)), ("seq", .integer(Int64(seq))),
            ("type", .string(draft.type)), ("v", .integer(Record.formatVersion)),
        ])
        if let key = draft.idempotencyKey { object["idem"] = .string(key) }
        var line = CanonicalJSON.encode(.object(object))
        let hash = RecordHash.compute(canonicalWithoutHash: line)
        // Keys are sorted, so the hash member goes right after `{"actor":"<actor>","effective":"<date>",`
        // (an actor is an identifier: no escapes): splice it in rather than encode twice.
        let at = 37 + draft.actor.utf8.count
        precondition(line[at - 2] == UInt8(ascii: "\"") && line[at - 1] == UInt8(ascii: ","), "the effective member ends here")
        line.insert(contentsOf: Array("\"hash\":\"\(hash.hex)\",".utf8), at: at)
        line.append(0x0A)
        let record = Record(seq: seq, prev: prev, type: draft.type, recordedAt: recordedAt, effective: effective,
                            actor: draft.actor, idempotencyKey: draft.idempotencyKey, payload: draft.payload,
                            hash: hash)
        return (line, record)
    }
}

extension RecordCodec {
    /// Decodes a line and checks its stored hash: for a writer reading back the log's tail or a
    /// record an index points at (never trust bytes read back without re-hashing them).
    public static func decodeChecked(line: [UInt8]) throws(LineProblem) -> Record {
        let result = line.withUnsafeBytes { bytes in Result { () throws(LineProblem) in try decode(line: bytes) } }
        let decoded = try result.get()
        let recomputed = line.withUnsafeBytes { RecordHash.compute(line: $0, hashMember: decoded.hashMember) }
        guard recomputed == decoded.record.hash else {
            throw LineProblem(kind: .hashMismatch, message: "stored hash \(decoded.record.hash.hex) but the record hashes to \(recomputed.hex)")
        }
        return decoded.record
    }
}
