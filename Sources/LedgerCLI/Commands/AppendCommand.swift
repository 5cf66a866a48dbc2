import LedgerCore
import LedgerJSON
import LedgerEngine

enum AppendCommand {
    static let command = Command(
        name: "append",
        summary: "append one event (flags or JSON) or a batch of JSON Lines",
        help: """
        Usage: ledger append --type TYPE [--payload JSON] [--date YYYY-MM-DD] [--idem KEY]
               ledger append --event JSON
               ledger append --batch FILE        (FILE may be - for standard input)
               common: --ledger DIR --operator ID --key FILE [--dry-run] [--json] [--lock-timeout MS]

        Appends events to the log, signed with your key (--key FILE or LEDGER_KEY: the .key of
        `ledger keygen`, registered for your operator id; it never goes in the ledger directory).
        Each is acknowledged (exit 0) only once it is on disk (fsync).
        An event in JSON is an object with "type", "payload" (an object), and optionally
        "effective" (YYYY-MM-DD, default: today, UTC) and "idem" (an idempotency key). Amounts in
        a payload are integers of minor units ("amount":2000 is 20.00 EUR): one event is echoed
        with its amounts as people read them, so a slip shows at once.
        A batch is one such object per line; it is appended all or nothing, with one fsync.
        It is read as it comes and refused at its first bad line (at most 1,000,000 events,
        65,536 bytes a line, 1 GiB in all), which the error names.
        An idempotency key already used with the same content returns the original record and
        writes nothing; with different content the append is refused (exit 4).
        --dry-run checks everything an append checks (your key, the rules, the idempotency keys)
        and prints what would be appended, with its seq and hash, writing nothing.

        Examples:
          ledger append --type note.recorded --payload '{"text":"opening balance checked"}' --idem N-1
          ledger append --event '{"type":"note.recorded","payload":{"text":"hello"},"effective":"2026-01-05"}'
          ledger append --batch imports/2026-01.jsonl

        """,
        valued: ["type", "payload", "date", "idem", "event", "batch", "operator", "key", "lock-timeout"],
        flags: ["json", "dry-run"],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let ledger = try context.ledger(arguments, signing: true)
        let actor = try context.operatorID(arguments)
        let drafts = try EventInput.drafts(arguments, actor: actor, context: context)
        // Progress on a terminal only: scripts and pipes stay quiet.
        let progress: ((Int, Int) -> Void)? = context.errorIsTerminal
            ? { done, total in context.standardError("\rappending: \(Format.grouped(UInt64(done))) of \(Format.grouped(UInt64(total))) events") }
            : nil
        defer { if progress != nil { context.standardError("\r\u{1B}[K") } }
        let appended: Ledger.Appended
        let dryRun = arguments.has("dry-run")
        do {
            appended = try ledger.append(dryRun: dryRun, progress: progress) { _ throws(LedgerError) in drafts }
        } catch {
            throw CLIError(error)
        }
        // One event is echoed in brief, its amounts as people read them: "amount":20 in JSON is
        // 20 minor units, and the echo says 0.20 EUR at once.
        if appended.outcomes.count == 1 {
            DomainAppend.report(appended, json: arguments.has("json"), dryRun: dryRun, context: context)
        } else {
            report(appended.outcomes, json: arguments.has("json"), dryRun: dryRun, context: context)
        }
        return .success
    }

    /// One line per outcome; a dry run's say "would append" (JSON status `would_append`). The
    /// lines are printed 64 KB at a time: a batch of 100,000 spent a tenth of its main thread
    /// building and printing a String per line. They are spelled as bytes (a String per field,
    /// the hash's among them, cost most of what was left).
    static func report(_ outcomes: [AppendOutcome], json: Bool, dryRun: Bool = false, context: Context) {
        var block: [UInt8] = []
        func emit() {
            guard !block.isEmpty else { return }
            let text = String(decoding: block, as: UTF8.self)
            if json { context.printData(text) } else { context.print(text) }
            block.removeAll(keepingCapacity: true)
        }
        for outcome in outcomes {
            let status: String
            switch outcome {
            case .appended: status = dryRun ? "would_append" : "appended"
            case .existing: status = "existing"
            }
            if block.isEmpty { block.reserveCapacity(1 << 17) } else { block.append(0x0A) }
            let record = outcome.record
            if json {
                block.append(contentsOf: jsonLine(record, status: status).utf8)
            } else {
                Self.append(status == "would_append" ? "would append" : status, to: &block)
                Self.append(" seq ", to: &block)
                CanonicalJSON.encodeInteger(Int64(record.seq), into: &block)   // a seq's digits, as JSON spells them
                Self.append("  hash ", to: &block)
                record.hash.appendHex(to: &block)
                Self.append("  ", to: &block)
                Self.append(record.type, to: &block)
                Self.append("  ", to: &block)
                Self.append(record.effective.description, to: &block)
                if status == "existing" { Self.append("  (already recorded with this idempotency key; nothing written)", to: &block) }
            }
            if block.count >= 1 << 16 { emit() }
        }
        emit()
        if dryRun, !json { context.print("(a dry run: nothing written)") }
    }

    /// A text's bytes appended from its storage (the generic append of a UTF8View cost more).
    private static func append(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    static func jsonLine(_ record: Record, status: String) -> String {
        var object = JSONObject([
            ("effective", .string(record.effective.description)), ("hash", .string(record.hash.hex)),
            ("recorded_at", .string(record.recordedAt.description)), ("seq", .integer(Int64(record.seq))),
            ("status", .string(status)), ("type", .string(record.type)),
        ])
        if let key = record.idempotencyKey { object["idem"] = .string(key) }
        return String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self)
    }
}
