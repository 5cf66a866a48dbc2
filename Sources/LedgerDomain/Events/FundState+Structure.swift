import LedgerCore

/// Parties, declared interests, territories and funds.
extension FundState {
    /// Parties are pseudonymous: the payload has an identifier and a kind, and no member that
    /// could hold a name, an e-mail or an address (those live outside the log).
    mutating func applyPartyRegistered(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["kind", "party"])
        let party: PartyID = try payload.identifier("party")
        let kind: PartyKind = try payload.choice("kind")
        try Self.fresh(parties, party, event)
        try checkLookAlike(party, .parties, event)
        parties.setRecent(party, kind)
        created.parties += 1
        lookAlikes.insert(party.text, in: .parties)
    }

    mutating func applyInterestDeclared(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["party", "project"])
        let party: PartyID = try payload.identifier("party")
        let project: ProjectID = try payload.identifier("project")
        _ = try Self.known(parties, party, event)
        if try Self.known(projects, project, event).interested.contains(party) {
            throw Rules.duplicateID.violation("interest.declared: party \"\(party)\" already declared an interest in project \"\(project)\"")
        }
        projects.modify(project) { $0.interested.insert(party) }
    }

    /// A tree built top-down: the parent must exist first, so no cycle can ever form.
    mutating func applyTerritoryDefined(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["code", "name"], optional: ["parent"])
        let code: TerritoryCode = try payload.identifier("code")
        _ = try payload.text("name", bytesMax: 200)
        let parent: TerritoryCode? = try payload.optionalIdentifier("parent")
        try Self.fresh(territories, code, event)
        try checkLookAlike(code, .territories, event)
        var depth = 1
        if let parent {
            depth = try Self.known(territories, parent, event).depth + 1
            guard depth <= Self.territoryDepthMax else {
                throw Rules.territoryDepth.violation("territory.defined: \"\(code)\" under \"\(parent)\" would be at level \(depth); the tree has at most \(Self.territoryDepthMax) levels")
            }
        }
        territories[code] = TerritoryEntry(parent: parent, depth: depth)
        lookAlikes.insert(code.text, in: .territories)
    }

    /// A fund's earmarking rules: what it accepts, what it may finance, and where.
    mutating func applyFundOpened(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["accepts", "fund", "name", "pool", "uses"], optional: ["territory"])
        let fund: FundID = try payload.identifier("fund")
        let name = try payload.text("name", bytesMax: 200)
        let pool: Pool = try payload.choice("pool")
        let accepts: Set<Instrument> = try payload.choices("accepts")
        let uses: Set<ProjectInstrument> = try payload.choices("uses")
        let territory: TerritoryCode? = try payload.optionalIdentifier("territory")
        try Self.fresh(fundsByID, fund, event)
        try checkLookAlike(fund, .funds, event)
        if let territory { _ = try Self.known(territories, territory, event) }
        precondition(fundsByID.count < UInt32.max, "a fund per record: 4 billion records")
        fundsByID[fund] = FundEntry(name: name, pool: pool, accepts: accepts, uses: uses, territory: territory,
                                    number: UInt32(fundsByID.count))
        lookAlikes.insert(fund.text, in: .funds)
    }
}
