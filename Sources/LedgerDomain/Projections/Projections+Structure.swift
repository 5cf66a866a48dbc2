/// Operators, parties, territories, funds, bodies and projects: the directory, and whether each
/// is listed (its introducing record counted).
extension Projections {
    mutating func applyOperator(_ change: Change) {
        guard let id: OperatorID = change.fields.id("operator") else { return }
        if change.type == .operatorRegistered {
            guard operators[id] == nil, let role: Role = change.fields.choice("role") else { return }
            operators[id] = OperatorView(role: role)
            if change.counted { operators[id]!.registered = change.stamp }
        } else if change.counted {
            operators[id]?.revoked = change.stamp
        }
    }

    mutating func applyParty(_ change: Change) {
        guard let id: PartyID = change.fields.id("party"), let kind: PartyKind = change.fields.choice("kind") else { return }
        parties.setRecent(id, PartyView(kind: kind, listed: change.counted))
    }

    mutating func applyInterest(_ change: Change) {
        guard change.counted, let party: PartyID = change.fields.id("party"), let project: ProjectID = change.fields.id("project") else { return }
        projects.modifyIfPresent(project) { $0.interested.append(party) }
    }

    mutating func applyTerritory(_ change: Change) {
        guard let code: TerritoryCode = change.fields.id("code"), territories[code] == nil else { return }
        territories[code] = TerritoryView(name: change.fields.string("name") ?? "", parent: change.fields.id("parent"),
                                          listed: change.counted)
    }

    mutating func applyFund(_ change: Change) {
        guard let id: FundID = change.fields.id("fund"), let pool: Pool = change.fields.choice("pool"), funds[id] == nil else { return }
        funds[id] = FundView(name: change.fields.string("name") ?? "", pool: pool, territory: change.fields.id("territory"),
                             listed: change.counted)
    }

    mutating func applyBody(_ change: Change) {
        guard let id: BodyID = change.fields.id("body"), let kind: BodyKind = change.fields.choice("kind"), bodies[id] == nil,
              let rules = change.fields.nested("rules").flatMap(Self.bodyRules) else { return }
        bodies[id] = BodyView(kind: kind, name: change.fields.string("name") ?? "", territory: change.fields.id("territory"),
                              rules: rules, listed: change.counted)
    }

    static func bodyRules(_ fields: Fields) -> BodyRules? {
        guard let quorum = fields.nested("quorum"), let numerator = quorum.integer("num"), let denominator = quorum.integer("den"),
              let fraction = Fraction(numerator: Int(numerator), denominator: Int(denominator)),
              let majority: Majority = fields.choice("majority"), let abstentions: Counting = fields.choice("abstentions"),
              let blanks: Counting = fields.choice("blanks"), let proxiesMax = fields.integer("proxies_max"),
              (0...Int64(BodyRules.proxiesLimit)).contains(proxiesMax), let amountMax = fields.money("amount_max") else { return nil }
        return BodyRules(quorum: fraction, majority: majority, abstentions: abstentions, blanks: blanks,
                         proxiesMax: Int(proxiesMax), amountMax: amountMax)
    }

    /// Membership is directory: a ballot's electorate is the body's members in log order,
    /// whatever the as-of date.
    mutating func applyMembership(_ change: Change) {
        guard let body: BodyID = change.fields.id("body"), let party: PartyID = change.fields.id("party"),
              bodies[body] != nil else { return }
        if change.type == .memberAdded {
            bodies[body]!.members.insert(party)
        } else {
            bodies[body]!.members.remove(party)
        }
    }

    mutating func applyProject(_ change: Change) {
        let fields = change.fields
        guard let id: ProjectID = fields.id("project"), let organisation: PartyID = fields.id("organisation"),
              let territory: TerritoryCode = fields.id("territory"), let instrument: ProjectInstrument = fields.choice("instrument"),
              let requested = fields.money("amount") else { return }
        projects.setRecent(id, ProjectView(organisation: organisation, territory: territory, instrument: instrument, requested: requested,
                                           listed: change.counted))
    }
}
