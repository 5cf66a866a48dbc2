import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerStorage

/// Events to append, as a front end receives them: one JSON object (`{"type", "payload",
/// "effective"?, "idem"?}`) or JSON Lines (a batch, read by `BatchLines`), read leniently (any
/// JSON spelling) and turned into drafts; the writer makes them canonical records.
public enum EventDrafts {
    public static let batchEventsMax = 1_000_000
    public static let batchBytesMax = 1 << 30
    /// One event's line: what the lenient reader takes (`JSONLimits`' input limit).
    public static let lineBytesMax = JSONLimits.default.inputBytesMax
    static let eventMembers = ["type", "payload", "effective", "idem"]

    /// One event object: "type" and "payload" required, "effective" and "idem" optional, nothing else.
    public static func fromJSON(_ bytes: [UInt8], actor: String, place: String) throws(LedgerError) -> RecordDraft {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(LedgerError) in try fromJSON(raw, actor: actor, place: place, strings: nil) }
        }.get()
    }

    /// `fromJSON` of bytes in place, with a decoding thread's cache of short strings; `place`
    /// (for messages) is only spelled out for an error: a batch has a million lines.
    static func fromJSON(_ bytes: UnsafeRawBufferPointer, actor: String, place: @autoclosure () -> String,
                         strings: StringCache?) throws(LedgerError) -> RecordDraft {
        guard case .object(let object) = try decode(bytes, place: place(), strings: strings) else { throw .invalidInput("\(place()): an event must be a JSON object") }
        // Keys are identifiers (the reader's key policy), ASCII: matched as they are, in place
        // (an array of the keys per line, for a batch's million lines, cost more than the check).
        if let key = object.firstKey(where: { key in !Self.eventMembers.contains { JSONObject.same($0, key) } }) {
            throw .invalidInput("\(place()): unknown member \"\(key)\" (an event has type, payload, effective, idem)")
        }
        guard case .string(let type)? = object.value(exactKey: "type") else { throw .invalidInput("\(place()): \"type\" must be a string") }
        guard case .object(let payload)? = object.value(exactKey: "payload") else {
            throw .invalidInput("\(place()): \"payload\" must be an object")
        }
        var effective: CalendarDate?
        if let value = object.value(exactKey: "effective") {
            guard case .string(let text) = value, let date = CalendarDate(text) else {
                throw .invalidInput("\(place()): \"effective\" must be a date YYYY-MM-DD")
            }
            effective = date
        }
        var idem: String?
        if let value = object.value(exactKey: "idem") {
            guard case .string(let text) = value else { throw .invalidInput("\(place()): \"idem\" must be a string") }
            idem = text
        }
        return RecordDraft(type: type, effective: effective, actor: actor, idempotencyKey: idem, payload: payload)
    }

    /// A line of a batch: its number in the input and its bytes' bounds in the block read.
    struct Line {
        let number: Int
        let start: Int
        let end: Int
    }

    /// Each of `lines` of `block` parsed on its own, on every core, each part stopping at its
    /// first error, and appended to `drafts` in order; the first error in line order is thrown
    /// (nothing appended). The drafts are moved into place, not copied: a copy retained each
    /// draft's texts, and with the results' own copy it was a fifth of a batch's parsing.
    static func parse(_ block: [UInt8], _ lines: [Line], actor: String, source: String,
                      into drafts: inout [RecordDraft]) throws(LedgerError) {
        let parts = lines.count < 256 ? 1 : ParallelWork.cores
        var parsed = [RecordDraft?](repeating: nil, count: lines.count)
        var failures = [LedgerError?](repeating: nil, count: parts)
        block.withUnsafeBytes { bytes in
            parsed.withUnsafeMutableBufferPointer { output in
                failures.withUnsafeMutableBufferPointer { failed in
                    nonisolated(unsafe) let (bytes, output, failed) = (bytes, output, failed)
                    ParallelWork.run(parts: parts) { part in
                        StringCache.with { strings in   // this thread's
                            for index in ParallelWork.range(of: part, parts: parts, count: lines.count) {
                                let line = lines[index]
                                do throws(LedgerError) {
                                    output[index] = try fromJSON(UnsafeRawBufferPointer(rebasing: bytes[line.start..<line.end]), actor: actor,
                                                                 place: "\(source) line \(line.number)", strings: strings)
                                } catch {
                                    // The parts are in line order: an earlier part's error, or this one, comes first.
                                    failed[part] = error
                                    return
                                }
                            }
                        }
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        // No reservation of the exact count: the array grows by doubling, not at every block.
        for index in parsed.indices { drafts.append(parsed[index].take()!) }
    }

    /// JSON as a front end reads it (lenient, identifier keys); an error is placed at `place`.
    public static func decode(_ bytes: [UInt8], place: String) throws(LedgerError) -> JSONValue {
        try bytes.withUnsafeBytes { raw in Result { () throws(LedgerError) in try decode(raw, place: place, strings: nil) } }.get()
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, place: @autoclosure () -> String,
                       strings: StringCache?) throws(LedgerError) -> JSONValue {
        do {
            return try CanonicalJSON.decode(bytes, mode: .lenient, keys: .identifier, strings: strings)
        } catch {
            throw .invalidInput("\(place()): \(error)")
        }
    }
}
