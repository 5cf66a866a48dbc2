import LedgerCore

/// Resolving the identifiers an event cites, and claiming the ones it introduces.
///
/// `known` and `fresh` are static: an instance method given one of the state's own tables made
/// the compiler copy the whole state (two dozen tables retained and released) at each call.
extension FundState {
    /// The entity `id` names in `table`, or `I0.unknown-reference`.
    static func known<Kind, Value>(_ table: [Identifier<Kind>: Value], _ id: Identifier<Kind>, _ event: Event) throws(RuleViolation) -> Value {
        try Self.known(table, id, place: event.name)
    }

    static func known<Kind, Value>(_ table: [Identifier<Kind>: Value], _ id: Identifier<Kind>, place: String) throws(RuleViolation) -> Value {
        guard let value = table[id] else {
            throw Rules.unknownReference.violation("\(place): unknown \(Kind.noun) \"\(id)\"\(Self.didYouMean(id, among: table.keys))")
        }
        return value
    }

    /// The entity `id` names in a bulk table, or `I0.unknown-reference`; the damaged-base signal
    /// when the base could not be read (the answer is then not trusted: see `BulkBase`).
    static func known<Kind, Value>(_ table: BulkMap<Kind, Value>, _ id: Identifier<Kind>, _ event: Event) throws(RuleViolation) -> Value {
        try Self.known(table, id, place: event.name)
    }

    static func known<Kind, Value>(_ table: BulkMap<Kind, Value>, _ id: Identifier<Kind>, place: String) throws(RuleViolation) -> Value {
        let value = table[id]
        if table.isDamaged { throw Self.damagedBase }
        guard let value else {
            // A suggestion only where the table is small enough to scan (a refusal, not the append path).
            let suggestion = table.countBound <= 10_000 ? Self.didYouMean(id, among: table.all.keys) : ""
            throw Rules.unknownReference.violation("\(place): unknown \(Kind.noun) \"\(id)\"\(suggestion)")
        }
        return value
    }

    /// `body` applied to the entity `id` names in a bulk table, or the errors of `known`: an
    /// entity held in memory is read where it lies, not copied (the votes of an open ballot).
    static func known<Kind, Value, Result>(_ table: BulkMap<Kind, Value>, _ id: Identifier<Kind>, _ event: Event,
                                           _ body: (borrowing Value) throws(RuleViolation) -> Result) throws(RuleViolation) -> Result {
        if let result = try table.readRecent(id, body) { return result }
        return try body(try Self.known(table, id, place: event.name))
    }

    /// `I0.duplicate-id` when `id` already names an entity of a bulk table.
    static func fresh<Kind, Value>(_ table: BulkMap<Kind, Value>, _ id: Identifier<Kind>, _ event: Event) throws(RuleViolation) {
        let existing = table[id]
        if table.isDamaged { throw Self.damagedBase }
        if existing != nil { throw Rules.duplicateID.violation("\(event.name): \(Kind.noun) \"\(id)\" already exists") }
    }

    /// ` (did you mean "P-0042"?)` when a known identifier is one or two keystrokes away. Only
    /// on a refusal, and only among tables small enough to scan (operators, funds, bodies...).
    static func didYouMean<Kind, Keys: Collection<Identifier<Kind>>>(_ id: Identifier<Kind>, among keys: Keys) -> String {
        guard keys.count <= 10_000, let guess = Suggestion.closest(to: id.text, among: keys.lazy.map(\.text)) else { return "" }
        return " (did you mean \"\(guess)\"?)"
    }

    /// `I0.duplicate-id` when `id` already names an entity of `table`.
    static func fresh<Kind, Value>(_ table: [Identifier<Kind>: Value], _ id: Identifier<Kind>, _ event: Event) throws(RuleViolation) {
        if table[id] != nil {
            throw Rules.duplicateID.violation("\(event.name): \(Kind.noun) \"\(id)\" already exists")
        }
    }

    /// Claims a bank or external reference for this record, or throws `I14.reference-unique` if
    /// it was used before. Handlers call it after every other check and before any other change,
    /// so a refusal leaves the state as it was (a reference in use is not replaced).
    mutating func claim(_ reference: ExternalReference, _ event: Event, contribution: ContributionEntry? = nil) throws(RuleViolation) {
        let earlier = references.insertIfAbsent(reference, ReferenceUse(seq: event.record.seq, contribution: contribution))
        if references.isDamaged { throw Self.damagedBase }
        if let earlier {
            throw Rules.referenceUnique.violation("\(event.name): reference \"\(reference)\" was already used by the record at seq \(earlier.seq)")
        }
    }

    static let damagedBase = RuleViolation(rule: damagedBaseRule, message: "the state snapshot's base file is damaged")

    /// The record that used `reference`, if any. Throws `BulkMap.damagedRule` when the snapshot's
    /// base file turns out damaged: the answer cannot be trusted, so nothing is appended on it.
    func use(of reference: ExternalReference) throws(RuleViolation) -> ReferenceUse? {
        let use = references[reference]
        if references.isDamaged { throw Self.damagedBase }
        return use
    }

    /// Amounts in messages: `1 234.50 EUR` (the form `--amount` reads back).
    func shown(_ amount: Money) -> String {
        guard let genesis else { return "\(amount.minorUnits) minor units" }
        return AmountText.format(amount, minorUnits: genesis.minorUnits) + " " + genesis.currency
    }

    /// True when `code` is `ancestor` or lies below it. Bounded by the tree's depth limit.
    func territory(_ code: TerritoryCode, isWithin ancestor: TerritoryCode) -> Bool {
        var current: TerritoryCode? = code
        for _ in 0..<Self.territoryDepthMax {
            guard let here = current else { return false }
            if here == ancestor { return true }
            current = territories[here]?.parent
        }
        return false
    }

    static let territoryDepthMax = 8

    /// The balances of a fund the rules know: read from its entry where it lies, where
    /// `fundsByID[fund]!.balances` copied the whole entry (its name, territory and sets retained)
    /// at every movement of money.
    func balances(of fund: FundID) -> FundBalances {
        guard let index = fundsByID.index(forKey: fund) else { preconditionFailure("fund \(fund) is known") }
        return fundsByID.values[index].balances
    }

    /// Whether fund `fund` accepts `instrument`, and its number; nil for an unknown fund. Read
    /// where the entry lies.
    func fund(_ fund: FundID, accepts instrument: Instrument) -> (accepts: Bool, number: UInt32)? {
        guard let index = fundsByID.index(forKey: fund) else { return nil }
        // Field by field: a copy of the entry retained its texts and sets.
        return (fundsByID.values[index].accepts.contains(instrument), fundsByID.values[index].number)
    }

    /// The fund a contribution's entry names by number; the damaged-base signal for a number no
    /// fund has (an entry read from a snapshot's base that does not fit the core). A search of
    /// the funds, a handful: only reversals and repayments to lenders ask.
    func fund(of contribution: ContributionEntry) throws(RuleViolation) -> FundID {
        guard let fund = fundsByID.first(where: { $0.value.number == contribution.fund })?.key else { throw Self.damagedBase }
        return fund
    }
}
