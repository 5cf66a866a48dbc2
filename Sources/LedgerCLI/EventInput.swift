import LedgerCore
import LedgerJSON
import LedgerStorage

/// Reads the events to append from flags, a JSON object, or JSON Lines (a batch).
enum EventInput {
    static let batchEventsMax = 1_000_000
    static let batchBytesMax = 1 << 30

    static func drafts(_ arguments: Arguments, actor: String, context: Context) throws(CLIError) -> [RecordDraft] {
        let sources = ["type", "event", "batch"].filter { arguments.value($0) != nil }
        guard sources.count == 1 else {
            throw .usage(sources.isEmpty ? "give --type, --event or --batch" : "give only one of --type, --event, --batch")
        }
        if let type = arguments.value("type") {
            return [try fromFlags(type: type, arguments, actor: actor)]
        }
        for flag in ["payload", "date", "idem"] where arguments.value(flag) != nil {
            throw .usage("--\(flag) goes with --type; inside JSON use the event's own members")
        }
        if let event = arguments.value("event") {
            return [try fromJSON(Array(event.utf8), actor: actor, place: "--event")]
        }
        let path = arguments.value("batch")!
        let bytes = path == "-" ? context.readStandardInput() : try readFile(path)
        return try fromLines(bytes, actor: actor, source: path == "-" ? "standard input" : path)
    }

    static func fromFlags(type: String, _ arguments: Arguments, actor: String) throws(CLIError) -> RecordDraft {
        var payload = JSONObject()
        if let text = arguments.value("payload") {
            guard case .object(let object) = try decode(Array(text.utf8), place: "--payload") else {
                throw .input("--payload must be a JSON object")
            }
            payload = object
        }
        return RecordDraft(type: type, effective: try Text.date(arguments.value("date"), option: "date"), actor: actor,
                           idempotencyKey: arguments.value("idem"), payload: payload)
    }

    /// One event object: "type" and "payload" required, "effective" and "idem" optional, nothing else.
    static func fromJSON(_ bytes: [UInt8], actor: String, place: String) throws(CLIError) -> RecordDraft {
        guard case .object(let object) = try decode(bytes, place: place) else {
            throw .input("\(place): an event must be a JSON object")
        }
        for key in object.keys where !["type", "payload", "effective", "idem"].contains(key) {
            throw .input("\(place): unknown member \"\(key)\" (an event has type, payload, effective, idem)")
        }
        guard case .string(let type)? = object["type"] else { throw .input("\(place): \"type\" must be a string") }
        guard case .object(let payload)? = object["payload"] else { throw .input("\(place): \"payload\" must be an object") }
        var effective: CalendarDate?
        if let value = object["effective"] {
            guard case .string(let text) = value, let date = CalendarDate(text) else {
                throw .input("\(place): \"effective\" must be a date YYYY-MM-DD")
            }
            effective = date
        }
        var idem: String?
        if let value = object["idem"] {
            guard case .string(let text) = value else { throw .input("\(place): \"idem\" must be a string") }
            idem = text
        }
        return RecordDraft(type: type, effective: effective, actor: actor, idempotencyKey: idem, payload: payload)
    }

    static func fromLines(_ bytes: [UInt8], actor: String, source: String) throws(CLIError) -> [RecordDraft] {
        guard bytes.count <= batchBytesMax else { throw .input("\(source): a batch is at most \(batchBytesMax) bytes") }
        var lines: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            guard lines.count < batchEventsMax else { throw .input("\(source): a batch is at most \(batchEventsMax) events") }
            lines.append((index + 1, line))
        }
        // Each line is parsed on its own, on every core; the first error in line order is reported.
        var parsed = [Result<RecordDraft, CLIError>](repeating: .failure(.input("not parsed")), count: lines.count)
        parsed.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            let parts = lines.count < 256 ? 1 : ParallelWork.cores
            ParallelWork.run(parts: parts) { part in
                for index in (lines.count * part / parts)..<(lines.count * (part + 1) / parts) {
                    let line = lines[index]
                    output[index] = Result { () throws(CLIError) in
                        try fromJSON(Array(line.bytes), actor: actor, place: "\(source) line \(line.number)")
                    }
                }
            }
        }
        var drafts: [RecordDraft] = []
        drafts.reserveCapacity(parsed.count)
        for result in parsed { drafts.append(try result.get()) }
        guard !drafts.isEmpty else { throw .input("\(source): no event in the batch") }
        return drafts
    }

    static func decode(_ bytes: [UInt8], place: String) throws(CLIError) -> JSONValue {
        do {
            return try CanonicalJSON.decode(bytes, mode: .lenient, keys: .identifier)
        } catch {
            throw .input("\(place): \(error)")
        }
    }
}
