import LedgerJSON

/// The envelope rules a draft must meet before a writer turns it into a record.
public enum DraftRules {
    public struct Problem: Sendable, Equatable {
        public let field: String
        public let reason: String
    }

    public static func problem(in draft: RecordDraft) -> Problem? {
        guard FieldRules.isEventType(draft.type) else {
            return Problem(field: "type", reason: "\"\(draft.type.prefix(80))\" is not an event type (lowercase words joined by dots)")
        }
        guard draft.type != Record.genesisType else {
            return Problem(field: "type", reason: "only `ledger init` writes the genesis record")
        }
        guard FieldRules.isIdentifier(draft.actor) else {
            return Problem(field: "actor", reason: "\"\(draft.actor.prefix(80))\" is not an identifier (letters, digits, . _ : -, at most 64)")
        }
        if let key = draft.idempotencyKey, !FieldRules.isIdempotencyKey(key) {
            return Problem(field: "idem", reason: "an idempotency key is 1 to 128 printable ASCII characters without spaces")
        }
        return nil
    }

    /// The first field in which a stored record and a retried draft differ, or nil if the draft
    /// asks for exactly what the record holds. A draft without an effective date means today's.
    public static func differingField(_ original: Record, _ draft: RecordDraft, today: CalendarDate) -> String? {
        if original.type != draft.type { return "type" }
        if original.actor != draft.actor { return "actor" }
        if original.effective != (draft.effective ?? today) { return "effective date" }
        if original.payload != draft.payload { return "payload" }
        return nil
    }

    public static func differingField(_ first: RecordDraft, _ second: RecordDraft, today: CalendarDate) -> String? {
        if first.type != second.type { return "type" }
        if first.actor != second.actor { return "actor" }
        if (first.effective ?? today) != (second.effective ?? today) { return "effective date" }
        if first.payload != second.payload { return "payload" }
        return nil
    }
}
