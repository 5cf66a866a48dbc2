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
        let statutes = try decodeStatutes(payload.nested("rules", required: ["abstentions", "amount_max", "blanks", "majority", "proxies_max", "quorum"]))
        try payload.decoded()
        let rules = try Self.bodyRules(statutes)
        try Self.fresh(bodies, body, event)
        try checkLookAlike(body, .bodies, event)
        if let territory { _ = try Self.known(territories, territory, event) }
        guard (kind == .territorialCommittee) == (territory != nil) else {
            throw Rules.territoryScope.violation("body.constituted: a \(kind.rawValue) \(territory == nil ? "needs a territory" : "has no territory (only a territorial committee has one)")")
        }
        bodies[body] = BodyEntry(kind: kind, territory: territory, rules: rules, members: [])
        lookAlikes.insert(body.text, in: .bodies)
    }

    /// A body's statutes as decoded: each member of its type and range (`S.payload`), the
    /// amount positive (`M1`); whether they hold together is `bodyRules`'.
    private struct Statutes {
        let numerator, denominator, proxiesMax: Int64
        let majority: Majority
        let abstentions, blanks: Counting
        let amountMax: Money
    }

    private func decodeStatutes(_ payload: Payload) throws(RuleViolation) -> Statutes {
        let quorum = try payload.nested("quorum", required: ["den", "num"])
        return Statutes(numerator: try quorum.integer("num", in: 0...Int64(Fraction.denominatorMax)),
                        denominator: try quorum.integer("den", in: 1...Int64(Fraction.denominatorMax)),
                        proxiesMax: try payload.integer("proxies_max", in: 0...Int64.max),
                        majority: try payload.choice("majority"), abstentions: try payload.choice("abstentions"),
                        blanks: try payload.choice("blanks"), amountMax: try payload.amount("amount_max"))
    }

    /// `I6.body-rules`: a quorum no larger than the whole, at most `BodyRules.proxiesLimit` proxies.
    private static func bodyRules(_ statutes: Statutes) throws(RuleViolation) -> BodyRules {
        guard let quorum = Fraction(numerator: Int(statutes.numerator), denominator: Int(statutes.denominator)) else {
            throw Rules.bodyRules.violation("body.constituted: quorum \(statutes.numerator)/\(statutes.denominator) is more than the whole electorate")
        }
        guard statutes.proxiesMax <= BodyRules.proxiesLimit else {
            throw Rules.bodyRules.violation("body.constituted: proxies_max \(statutes.proxiesMax) is above \(BodyRules.proxiesLimit)")
        }
        return BodyRules(quorum: quorum, majority: statutes.majority, abstentions: statutes.abstentions, blanks: statutes.blanks,
                         proxiesMax: Int(statutes.proxiesMax), amountMax: statutes.amountMax)
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
        _ = try Self.known(parties, party, event)
        return (body, party)
    }

    func isMember(_ party: PartyID, of body: BodyID) -> Bool {
        bodies[body]?.members.contains(party) ?? false
    }
}
