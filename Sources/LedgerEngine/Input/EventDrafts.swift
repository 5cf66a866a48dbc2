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

    /// Each of `lines` (with its number in the input) parsed on its own, on every core; the
    /// first error in line order is thrown.
    static func parse(_ lines: [(number: Int, bytes: ArraySlice<UInt8>)], actor: String, source: String) throws(LedgerError) -> [RecordDraft] {
        var parsed = [Result<RecordDraft, LedgerError>](repeating: .failure(.invalidInput("not parsed")), count: lines.count)
        parsed.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            let parts = lines.count < 256 ? 1 : ParallelWork.cores
            ParallelWork.run(parts: parts) { part in
                StringCache.with { strings in   // this thread's
                    for index in ParallelWork.range(of: part, parts: parts, count: lines.count) {
                        output[index] = parse(lines[index], actor: actor, source: source, strings: strings)
                    }
                }
            }
        }
        var drafts: [RecordDraft] = []
        drafts.reserveCapacity(parsed.count)
        for result in parsed { drafts.append(try result.get()) }
        return drafts
    }

    /// One line of a batch: its draft, or the error placed at its line.
    private static func parse(_ line: (number: Int, bytes: ArraySlice<UInt8>), actor: String, source: String,
                              strings: StringCache) -> Result<RecordDraft, LedgerError> {
        line.bytes.withUnsafeBytes { bytes in
            Result { () throws(LedgerError) in try fromJSON(bytes, actor: actor, place: "\(source) line \(line.number)", strings: strings) }
        }
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
