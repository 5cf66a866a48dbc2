import LedgerCore

/// Project applications: what an organisation asks for, where and how.
extension FundState {
    mutating func applyProjectApplied(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["amount", "instrument", "organisation", "project", "territory"])
        let project: ProjectID = try payload.identifier("project")
        let organisation: PartyID = try payload.identifier("organisation")
        let territory: TerritoryCode = try payload.identifier("territory")
        let instrument: ProjectInstrument = try payload.choice("instrument")
        let amount = try payload.amount("amount")
        try payload.decoded()
        try Self.fresh(projects, project, event)
        try checkLookAlike(project, .projects, event)
        _ = try Self.known(parties, organisation, event)
        _ = try Self.known(territories, territory, event)
        projects.setRecent(project, ProjectEntry(organisation: organisation, territory: territory, instrument: instrument, requested: amount))
        created.projects += 1
        lookAlikes.insert(project.text, in: .projects)
    }
}
