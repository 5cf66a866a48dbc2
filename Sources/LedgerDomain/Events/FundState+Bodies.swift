import LedgerCore

/// Governing bodies, their statutes and their members.
extension FundState {
    static let membersMax = 100_000

    mutating func applyBodyConstituted(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["body", "kind", "name", "rules"], optional: ["territory"])
        let body: BodyID = try payload.identifier("body")
        let kind: BodyKind = try payload.choice("kind")
        _ = try payload.text("name", bytesMax: 200)
        let territory: TerritoryCode? = try payload.optionalIdentifier("territory")
        let rules = try bodyRules(payload.nested("rules", required: ["abstentions", "amount_max", "blanks", "majority", "proxies_max", "quorum"]))
        try fresh(bodies, body, event)
        try checkLookAlike(body, among: bodies, .bodies, event)
        if let territory { _ = try known(territories, territory, event) }
        guard (kind == .territorialCommittee) == (territory != nil) else {
            throw Rules.territoryScope.violation("body.constituted: a \(kind.rawValue) \(territory == nil ? "needs a territory" : "has no territory (only a territorial committee has one)")")
        }
        bodies[body] = BodyEntry(kind: kind, territory: territory, rules: rules, members: [])
        lookAlikes.insert(body.text, in: .bodies)
    }

    private func bodyRules(_ payload: Payload) throws(RuleViolation) -> BodyRules {
        let quorumPayload = try payload.nested("quorum", required: ["den", "num"])
        let numerator = try quorumPayload.integer("num", in: 0...Int64(Fraction.denominatorMax))
        let denominator = try quorumPayload.integer("den", in: 1...Int64(Fraction.denominatorMax))
        guard let quorum = Fraction(numerator: Int(numerator), denominator: Int(denominator)) else {
            throw Rules.bodyRules.violation("body.constituted: quorum \(numerator)/\(denominator) is more than the whole electorate")
        }
        let proxiesMax = try payload.integer("proxies_max", in: 0...Int64.max)
        guard proxiesMax <= BodyRules.proxiesLimit else {
            throw Rules.bodyRules.violation("body.constituted: proxies_max \(proxiesMax) is above \(BodyRules.proxiesLimit)")
        }
        return BodyRules(quorum: quorum, majority: try payload.choice("majority"), abstentions: try payload.choice("abstentions"),
                         blanks: try payload.choice("blanks"), proxiesMax: Int(proxiesMax), amountMax: try payload.amount("amount_max"))
    }

    // The handlers below never keep a copy of a body's entry while they change its members: a
    // live copy would make the insertion copy the whole member set (copy-on-write).
    mutating func applyMemberAdded(_ event: Event) throws(RuleViolation) {
        let (body, party) = try membership(event)
        guard !isMember(party, of: body) else {
            throw Rules.membership.violation("body.member_added: party \"\(party)\" is already a member of \"\(body)\"")
        }
        guard bodies[body]!.members.count < Self.membersMax else {
            throw Rules.membership.violation("body.member_added: body \"\(body)\" already has \(Self.membersMax) members")
        }
        bodies[body]?.members.insert(party)
    }

    mutating func applyMemberRemoved(_ event: Event) throws(RuleViolation) {
        let (body, party) = try membership(event)
        guard isMember(party, of: body) else {
            throw Rules.membership.violation("body.member_removed: party \"\(party)\" is not a member of \"\(body)\"")
        }
        bodies[body]?.members.remove(party)
    }

    private func membership(_ event: Event) throws(RuleViolation) -> (BodyID, PartyID) {
        let payload = try event.payload(required: ["body", "party"])
        let body: BodyID = try payload.identifier("body")
        let party: PartyID = try payload.identifier("party")
        guard bodies[body] != nil else { throw Rules.unknownReference.violation("\(event.name): unknown body \"\(body)\"") }
        guard parties[party] != nil else { throw Rules.unknownReference.violation("\(event.name): unknown party \"\(party)\"") }
        return (body, party)
    }

    func isMember(_ party: PartyID, of body: BodyID) -> Bool {
        bodies[body]?.members.contains(party) ?? false
    }
}
