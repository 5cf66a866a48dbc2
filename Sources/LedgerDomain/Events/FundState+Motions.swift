import LedgerCore

/// What a ballot may propose, and whether its body may decide it (competence) and its fund may
/// pay for it (earmarking). Checked when the ballot opens, against the rules it freezes.
extension FundState {
    static let resolutionBytesMax = 2000

    func decodeMotion(_ payload: Payload) throws(RuleViolation) -> Motion {
        let kindOnly = try payload.nested("motion", required: ["kind"], optional: ["amount", "commitment", "fund", "project", "text"])
        let kind: MotionKind = try kindOnly.choice("kind")
        switch kind {
        case .fundProject:
            let motion = try payload.nested("motion", required: ["amount", "fund", "kind", "project"])
            return .fundProject(project: try motion.identifier("project"), fund: try motion.identifier("fund"), amount: try motion.amount("amount"))
        case .amendCommitment:
            let motion = try payload.nested("motion", required: ["amount", "commitment", "kind"])
            return .amendCommitment(commitment: try motion.identifier("commitment"), amount: try motion.amount("amount"))
        case .cancelCommitment:
            let motion = try payload.nested("motion", required: ["commitment", "kind"])
            return .cancelCommitment(commitment: try motion.identifier("commitment"))
        case .writeOff:
            let motion = try payload.nested("motion", required: ["amount", "commitment", "kind"])
            return .writeOff(commitment: try motion.identifier("commitment"), amount: try motion.amount("amount"))
        case .resolution:
            let motion = try payload.nested("motion", required: ["kind", "text"])
            _ = try motion.text("text", bytesMax: Self.resolutionBytesMax)
            return .resolution
        }
    }

    /// Checks the motion's references, earmark and the body's competence; returns the project it
    /// concerns (whose interested parties must be recused), if any.
    func checkMotion(_ motion: Motion, body: BodyID, _ event: Event) throws(RuleViolation) -> ProjectID? {
        switch motion {
        case .fundProject(let projectID, let fundID, let amount):
            let project = try Self.known(projects, projectID, event)
            let fund = try Self.known(fundsByID, fundID, event)
            try checkEarmark(fund, fundID, project, projectID)
            guard amount <= project.requested else {
                throw Rules.decisionAmount.violation("ballot.opened: \(shown(amount)) for project \"\(projectID)\" is above the \(shown(project.requested)) it applied for")
            }
            try checkCompetence(body, amount: amount, territory: project.territory, subject: "project \"\(projectID)\"")
            return projectID
        case .amendCommitment(let commitmentID, let amount), .writeOff(let commitmentID, let amount):
            let commitment = try Self.known(commitments, commitmentID, event)
            if case .amendCommitment = motion, commitment.isCancelled {
                throw Rules.commitmentState.violation("ballot.opened: commitment \"\(commitmentID)\" is cancelled")
            }
            if case .writeOff = motion, commitment.instrument != .loan {
                throw Rules.notALoan.violation("ballot.opened: commitment \"\(commitmentID)\" is a \(commitment.instrument.rawValue), not a loan")
            }
            try checkCompetence(body, amount: amount, territory: try Self.known(projects, commitment.project, event).territory,
                                 subject: "commitment \"\(commitmentID)\"")
            return commitment.project
        case .cancelCommitment(let commitmentID):
            let commitment = try Self.known(commitments, commitmentID, event)
            guard !commitment.isCancelled else {
                throw Rules.commitmentState.violation("ballot.opened: commitment \"\(commitmentID)\" is already cancelled")
            }
            try checkCompetence(body, amount: commitment.amount, territory: try Self.known(projects, commitment.project, event).territory,
                                 subject: "commitment \"\(commitmentID)\"")
            return commitment.project
        case .resolution:
            return nil
        }
    }

    private func checkEarmark(_ fund: FundEntry, _ fundID: FundID, _ project: ProjectEntry, _ projectID: ProjectID) throws(RuleViolation) {
        guard fund.uses.contains(project.instrument) else {
            let uses = fund.uses.map(\.rawValue).sorted().joined(separator: ", ")
            throw Rules.earmarkUse.violation("ballot.opened: fund \"\(fundID)\" may finance by \(uses), not by \(project.instrument.rawValue) (project \"\(projectID)\")")
        }
        if let area = fund.territory, !territory(project.territory, isWithin: area) {
            throw Rules.earmarkTerritory.violation("ballot.opened: fund \"\(fundID)\" is earmarked for territory \"\(area)\"; project \"\(projectID)\" is in \"\(project.territory)\"")
        }
    }

    private func checkCompetence(_ bodyID: BodyID, amount: Money, territory projectTerritory: TerritoryCode, subject: String) throws(RuleViolation) {
        let body = bodies[bodyID]!
        guard amount <= body.rules.amountMax else {
            throw Rules.competenceAmount.violation("ballot.opened: body \"\(bodyID)\" decides up to \(shown(body.rules.amountMax)); \(subject) needs \(shown(amount))")
        }
        if let area = body.territory, !territory(projectTerritory, isWithin: area) {
            throw Rules.competenceTerritory.violation("ballot.opened: committee \"\(bodyID)\" decides for territory \"\(area)\"; \(subject) is in \"\(projectTerritory)\"")
        }
    }
}
