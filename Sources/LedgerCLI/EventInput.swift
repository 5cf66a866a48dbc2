import LedgerCore
import LedgerEngine
import LedgerJSON

/// Reads the events to append from flags, a JSON object, or JSON Lines (a batch).
enum EventInput {
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
            do { return [try EventDrafts.fromJSON(Array(event.utf8), actor: actor, place: "--event")] } catch { throw CLIError(error) }
        }
        let path = arguments.value("batch")!
        var lines = BatchLines(actor: actor, source: path == "-" ? "standard input" : path)
        do {
            try readChunks(path, context: context) { chunk throws(LedgerError) in try lines.take(chunk) }
            return try lines.finish()
        } catch {
            throw CLIError(error)
        }
    }

    static func fromFlags(type: String, _ arguments: Arguments, actor: String) throws(CLIError) -> RecordDraft {
        var payload = JSONObject()
        if let text = arguments.value("payload") {
            let value: JSONValue
            do { value = try EventDrafts.decode(Array(text.utf8), place: "--payload") } catch { throw CLIError(error) }
            guard case .object(let object) = value else {
                throw .input("--payload must be a JSON object")
            }
            payload = object
        }
        return RecordDraft(type: type, effective: try Text.date(arguments.value("date"), option: "date"), actor: actor,
                           idempotencyKey: arguments.value("idem"), payload: payload)
    }
}
