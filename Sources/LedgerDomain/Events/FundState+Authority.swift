import LedgerCore
import LedgerCrypto

/// The genesis record, operators, their roles and keys, notes and period closes.
extension FundState {
    /// The first record must be the genesis record; its actor becomes the founding
    /// administrator, with the genesis key in version 2.
    mutating func applyGenesis(_ record: Record) throws(RuleViolation) {
        guard record.type == EventType.genesis.rawValue else {
            throw Rules.genesis.violation("the first record is \"\(record.type)\", not ledger.genesis")
        }
        let keyed = record.version >= 2
        let payload = try Payload(record.payload, place: record.type, required: ["currency", "minor_units", "name", "origin"] + (keyed ? ["key"] : []),
                                  optional: keyed ? ["clock"] : [])
        let currency = try payload.text("currency", bytesMax: 3)
        guard FieldRules.isCurrencyCode(currency) else { throw payload.schemaError("currency", "an ISO 4217 code like EUR") }
        let minorUnits = try payload.integer("minor_units", in: 0...4)
        let name = try payload.text("name", bytesMax: 200)
        let origin = try payload.text("origin", bytesMax: 255)
        guard FieldRules.isOrigin(origin) else { throw payload.schemaError("origin", "printable ASCII without space or '+'") }
        let key = keyed ? try payload.publicKey("key") : nil
        if payload.has("clock") {
            guard try payload.text("clock", bytesMax: 16) == Genesis.simulatedClock else { throw payload.schemaError("clock", "\"simulated\"") }
        }
        guard let founder = OperatorID(record.actor) else {
            throw Rules.operatorUnknown.violation("ledger.genesis: actor \"\(record.actor)\" is not an identifier")
        }
        genesis = Genesis(origin: origin, currency: currency, minorUnits: Int(minorUnits), name: name, key: key?.bytes,
                          isSimulated: payload.has("clock"))
        operators[founder] = OperatorEntry(role: .admin, isActive: true, key: key)
        if let key { keyOwners[Base64.encode(key.bytes)] = founder }
        lookAlikes.insert(founder.text, in: .operators)
    }

    /// The record's actor, if it is an active operator whose role may append this type.
    func authorize(_ record: Record, _ type: EventType) throws(RuleViolation) -> OperatorID {
        guard let actor = OperatorID(record.actor), let entry = operators[actor] else {
            let guess = OperatorID(record.actor).map { Self.didYouMean($0, among: operators.keys) } ?? ""
            throw Rules.operatorUnknown.violation("\(type.rawValue): actor \"\(record.actor)\" is not a registered operator\(guess) (an administrator registers operators with operator.registered)")
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

    /// A new operator, with its key in version 2.
    mutating func applyOperatorRegistered(_ event: Event) throws(RuleViolation) {
        let keyed = event.record.version >= 2
        let payload = try event.payload(required: ["operator", "role"] + (keyed ? ["key"] : []))
        let id: OperatorID = try payload.identifier("operator")
        let role: Role = try payload.choice("role")
        let key = keyed ? try payload.publicKey("key") : nil
        if operators[id] != nil {
            throw Rules.operatorExists.violation("operator.registered: operator \"\(id)\" is already registered (an operator has one role for life; register a new identifier)")
        }
        try checkLookAlike(id, .operators, event)
        if let key { try checkFresh(key, event) }
        operators[id] = OperatorEntry(role: role, isActive: true, key: key)
        if let key { keyOwners[Base64.encode(key.bytes)] = id }
        lookAlikes.insert(id.text, in: .operators)
    }

    /// An operator's key replaced (a lost or compromised key, or the first key of an operator
    /// of a version-1 log): their appends are signed by the new key from the next append on.
    mutating func applyOperatorKeyRotated(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["key", "operator"])
        let id: OperatorID = try payload.identifier("operator")
        let key = try payload.publicKey("key")
        guard let entry = operators[id], entry.isActive else {
            throw Rules.unknownReference.violation("operator.key_rotated: no active operator \"\(id)\"")
        }
        try checkFresh(key, event)
        operators[id]?.key = key
        keyOwners[Base64.encode(key.bytes)] = id
    }

    /// `A5.key-unique`: a key never registered before, to anyone.
    private func checkFresh(_ key: Ed25519.PublicKey, _ event: Event) throws(RuleViolation) {
        if let owner = keyOwners[Base64.encode(key.bytes)] {
            throw Rules.keyUnique.violation("\(event.name): this key was already registered to operator \"\(owner)\"; every operator has a key of their own (ledger keygen makes one)")
        }
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
    /// In version 2 a close is also recorded after D: a period is closed once it has ended, never
    /// in advance (a close through 9999 would freeze the fund for good).
    mutating func applyPeriodClosed(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["through"])
        let through = try payload.date("through")
        if let previous = closedThrough, through <= previous {
            throw Rules.closeOrder.violation("period.closed: through \(through) is not after the previous close through \(previous)")
        }
        guard event.record.effective > through else {
            throw Rules.closeOrder.violation("period.closed: the close is effective \(event.record.effective), inside the period it closes (through \(through)); date it after the period's end")
        }
        if event.record.version >= 2, event.record.recordedAt.date <= through {
            throw Rules.closeOrder.violation("period.closed: the period through \(through) has not ended: the close is recorded on \(event.record.recordedAt.date); close a period once it is over")
        }
        closedThrough = through
    }
}
