import LedgerCore

/// The genesis record, operators and their roles, notes and period closes.
extension FundState {
    /// The first record must be the genesis record; its actor becomes the founding administrator.
    mutating func applyGenesis(_ record: Record) throws(RuleViolation) {
        guard record.type == EventType.genesis.rawValue else {
            throw Rules.genesis.violation("the first record is \"\(record.type)\", not ledger.genesis")
        }
        let payload = try Payload(record.payload, place: record.type, required: ["currency", "minor_units", "name", "origin"])
        let currency = try payload.text("currency", bytesMax: 3)
        guard FieldRules.isCurrencyCode(currency) else { throw payload.schemaError("currency", "an ISO 4217 code like EUR") }
        let minorUnits = try payload.integer("minor_units", in: 0...4)
        let name = try payload.text("name", bytesMax: 200)
        let origin = try payload.text("origin", bytesMax: 255)
        guard FieldRules.isOrigin(origin) else { throw payload.schemaError("origin", "printable ASCII without space or '+'") }
        guard let founder = OperatorID(record.actor) else {
            throw Rules.operatorUnknown.violation("ledger.genesis: actor \"\(record.actor)\" is not an identifier")
        }
        genesis = Genesis(origin: origin, currency: currency, minorUnits: Int(minorUnits), name: name)
        operators[founder] = OperatorEntry(role: .admin, isActive: true)
    }

    /// The record's actor, if it is an active operator whose role may append this type.
    func authorize(_ record: Record, _ type: EventType) throws(RuleViolation) -> OperatorID {
        guard let actor = OperatorID(record.actor), let entry = operators[actor] else {
            throw Rules.operatorUnknown.violation("\(type.rawValue): actor \"\(record.actor)\" is not a registered operator (an administrator registers operators with operator.registered)")
        }
        guard entry.isActive else {
            throw Rules.operatorUnknown.violation("\(type.rawValue): operator \"\(actor)\" was revoked")
        }
        guard type.roles.allows(entry.role) else {
            let allowed = type.roles.names.joined(separator: ", ")
            let why = entry.role == .auditor ? " (auditors read and verify; they append nothing)" : ""
            throw Rules.roleForbidden.violation("\(type.rawValue): operator \"\(actor)\" has role \(entry.role.rawValue)\(why); this event needs one of the roles \(allowed)")
        }
        return actor
    }

    mutating func applyOperatorRegistered(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["operator", "role"])
        let id: OperatorID = try payload.identifier("operator")
        let role: Role = try payload.choice("role")
        if operators[id] != nil {
            throw Rules.operatorExists.violation("operator.registered: operator \"\(id)\" is already registered (an operator has one role for life; register a new identifier)")
        }
        operators[id] = OperatorEntry(role: role, isActive: true)
    }

    mutating func applyOperatorRevoked(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["operator"])
        let id: OperatorID = try payload.identifier("operator")
        guard let entry = operators[id], entry.isActive else {
            throw Rules.unknownReference.violation("operator.revoked: no active operator \"\(id)\"")
        }
        guard id != event.actor else {
            throw Rules.selfRevoke.violation("operator.revoked: administrator \"\(id)\" cannot revoke themselves (another administrator must)")
        }
        operators[id]?.isActive = false
    }

    mutating func applyNote(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["text"])
        _ = try payload.text("text", bytesMax: 4000)
    }

    /// After a close through D, nothing may be effective on or before D (checked in `apply`).
    mutating func applyPeriodClosed(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["through"])
        let through = try payload.date("through")
        if let previous = closedThrough, through <= previous {
            throw Rules.closeOrder.violation("period.closed: through \(through) is not after the previous close through \(previous)")
        }
        guard event.record.effective > through else {
            throw Rules.closeOrder.violation("period.closed: the close is effective \(event.record.effective), inside the period it closes (through \(through)); date it after the period's end")
        }
        closedThrough = through
    }
}
