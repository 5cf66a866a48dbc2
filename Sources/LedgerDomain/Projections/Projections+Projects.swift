/// Projects, their commitments, tranches and disbursements; territories rolling projects up.
public struct ProjectFigures: Sendable, Equatable {
    public var projects = 0
    public var requested: Int64 = 0
    public var approved: Int64 = 0
    public var committed: Int64 = 0
    public var disbursed: Int64 = 0
    public var repaid: Int64 = 0
    public var writtenOff: Int64 = 0
    /// What projects still owe on loans: disbursed − repaid − written off (loans only).
    public var loansOutstanding: Int64 = 0

    public init() {}

    /// Committed and not yet paid.
    public var remaining: Int64 { committed - disbursed }

    public mutating func add(_ other: ProjectFigures) {
        projects += other.projects
        requested += other.requested
        approved += other.approved
        committed += other.committed
        disbursed += other.disbursed
        repaid += other.repaid
        writtenOff += other.writtenOff
        loansOutstanding += other.loansOutstanding
    }
}

public struct ProjectSummary: Sendable, Equatable {
    public let project: ProjectID
    public let organisation: PartyID
    public let territory: TerritoryCode
    public let instrument: ProjectInstrument
    public let figures: ProjectFigures
    public let status: ProjectStatus
}

/// Where a project's funding stands (Specs/reports.md §4.2), from its figures and commitments.
public enum ProjectStatus: String, Sendable, CaseIterable {
    /// Applied for; no funding approved yet.
    case applied
    /// A funding decision adopted; no commitment made yet.
    case approved
    /// Committed; nothing paid yet.
    case committed
    /// Part of what is committed paid.
    case disbursing
    /// Everything committed paid (the rest of a cancelled commitment included).
    case completed
    /// Every commitment made was cancelled before anything was paid.
    case cancelled

    static func of(_ figures: ProjectFigures, commitmentsMade: Int) -> ProjectStatus {
        if figures.disbursed > 0 { return figures.remaining > 0 ? .disbursing : .completed }
        if figures.committed > 0 { return .committed }
        if commitmentsMade > 0 { return .cancelled }
        return figures.approved > 0 ? .approved : .applied
    }
}

public struct TrancheReport: Sendable, Equatable {
    /// 1-based, as in payloads.
    public let number: Int
    public let amount: Int64
    public let disbursed: Int64
    /// Requested or approved, not yet executed or rejected.
    public let pending: Int64
    /// What may still be requested: amount − disbursed − pending; nothing once the commitment
    /// is cancelled.
    public let remaining: Int64
}

public struct DisbursementReport: Sendable, Equatable {
    public let disbursement: DisbursementID
    public let commitment: CommitmentID
    public let tranche: Int
    public let amount: Int64
    public let stage: DisbursementStage?
    public let requested: Stamp?
    public let approved: Stamp?
    public let executed: Stamp?
    public let rejected: Stamp?
    public let reference: ExternalReference?
}

public struct CommitmentReport: Sendable, Equatable {
    public let commitment: CommitmentID
    public let fund: FundID
    public let decisions: [DecisionID]
    public let made: Stamp?
    public let cancelled: Stamp?
    public let committed: Int64
    public let disbursed: Int64
    public let repaid: Int64
    public let writtenOff: Int64
    public let tranches: [TrancheReport]
    public let disbursements: [DisbursementReport]
}

public struct ProjectReport: Sendable, Equatable {
    public let summary: ProjectSummary
    public let applied: Bool
    public let interested: [PartyID]
    public let ballots: [BallotID]
    public let commitments: [CommitmentReport]
}

public struct TerritoryRow: Sendable, Equatable {
    public let territory: TerritoryCode
    public let name: String
    public let parent: TerritoryCode?
    /// 1 for a root.
    public let depth: Int
    /// The projects in it or below it, added up.
    public let figures: ProjectFigures
    /// The funds earmarked for it or for a territory below it (what its committee may decide
    /// on), and their cash and available money.
    public let funds: Int
    public let fundsCash: Int64
    public let fundsAvailable: Int64
}

extension Projections {
    /// Listed projects, sorted; within `territory` (or below it) when given.
    public func projectList(within territory: TerritoryCode? = nil) -> [ProjectSummary] {
        require(.governance, "the project list")
        return listedProjects(within: territory).sorted { $0.project < $1.project }
    }

    /// The listed projects' summaries in no order: what a total needs (`territoryRows`).
    func listedProjects(within territory: TerritoryCode? = nil) -> [ProjectSummary] {
        projects.all.compactMap { id, project in
            guard project.listed else { return nil }
            let summary = projectSummary(id, project)
            if let territory, !self.territory(summary.territory, isWithin: territory) { return nil }
            return summary
        }
    }

    public func projectSummary(_ id: ProjectID) -> ProjectSummary? {
        require(.governance, "a project's summary")
        return projects[id].map { projectSummary(id, $0) }
    }

    func projectSummary(_ id: ProjectID, _ project: ProjectView) -> ProjectSummary {
        var figures = ProjectFigures()
        figures.projects = 1
        figures.requested = project.requested.minorUnits
        figures.approved = project.approved
        var made = 0
        for commitmentID in project.commitments {
            guard let commitment = commitments[commitmentID] else { continue }
            if commitment.made != nil { made += 1 }
            figures.committed += commitment.committed
            figures.disbursed += commitment.disbursed
            figures.repaid += commitment.repaid
            figures.writtenOff += commitment.writtenOff
            if commitment.instrument == .loan {
                figures.loansOutstanding += commitment.disbursed - commitment.repaid - commitment.writtenOff
            }
        }
        return ProjectSummary(project: id, organisation: project.organisation, territory: project.territory,
                              instrument: project.instrument, figures: figures, status: .of(figures, commitmentsMade: made))
    }

    /// Everything about one project, nil if the log (up to the cut) does not know it.
    public func project(_ id: ProjectID) -> ProjectReport? {
        require(.governance, "a project's report")
        guard let project = projects[id] else { return nil }
        let summary = projectSummary(id, project)
        let listed = project.commitments.compactMap { id in commitments[id].flatMap { $0.made == nil ? nil : (id, $0) } }
        return ProjectReport(summary: summary, applied: project.listed, interested: project.interested,
                             ballots: project.ballots, commitments: listed.map { commitmentReport($0.0, $0.1) })
    }

    func commitmentReport(_ id: CommitmentID, _ commitment: CommitmentView) -> CommitmentReport {
        let reports = commitment.disbursements.compactMap { id in
            disbursements[id].flatMap { $0.requested == nil ? nil : disbursementReport(id, $0) }
        }
        let tranches = commitment.tranches.enumerated().map { index, amount in
            let mine = reports.filter { $0.tranche == index + 1 }
            let disbursed = mine.filter { $0.stage == .executed }.reduce(0) { $0 + $1.amount }
            let pending = mine.filter { $0.stage == .requested || $0.stage == .approved }.reduce(0) { $0 + $1.amount }
            return TrancheReport(number: index + 1, amount: amount.minorUnits, disbursed: disbursed, pending: pending,
                                 remaining: commitment.cancelled == nil ? amount.minorUnits - disbursed - pending : 0)
        }
        return CommitmentReport(commitment: id, fund: commitment.fund, decisions: commitment.decisions, made: commitment.made,
                                cancelled: commitment.cancelled, committed: commitment.committed, disbursed: commitment.disbursed,
                                repaid: commitment.repaid, writtenOff: commitment.writtenOff, tranches: tranches,
                                disbursements: reports)
    }

    func disbursementReport(_ id: DisbursementID, _ entry: DisbursementView) -> DisbursementReport {
        DisbursementReport(disbursement: id, commitment: entry.commitment, tranche: entry.tranche + 1,
                                  amount: entry.amount.minorUnits, stage: entry.stage, requested: entry.requested,
                                  approved: entry.approved, executed: entry.executed, rejected: entry.rejected,
                                  reference: entry.reference)
    }

    /// Every listed territory, depth first (children sorted by code), with the figures of the
    /// listed projects inside it or below it.
    public func territoryRows() -> [TerritoryRow] {
        require(.governance, "the territories' rows")
        var figures: [TerritoryCode: ProjectFigures] = [:]
        for summary in listedProjects() {
            var code: TerritoryCode? = summary.territory
            var steps = 0
            while let current = code, steps < 64 {
                figures[current, default: ProjectFigures()].add(summary.figures)
                code = territories[current]?.parent
                steps += 1
            }
        }
        var earmarked: [TerritoryCode: (count: Int, cash: Int64, available: Int64)] = [:]
        let byFund = balances(by: .fund)
        for row in byFund.rows {
            guard let id = FundID(row.labels[0]), let area = funds[id]?.territory else { continue }
            var code: TerritoryCode? = area
            var steps = 0
            while let current = code, steps < 64 {
                let sum = earmarked[current] ?? (0, 0, 0)
                earmarked[current] = (sum.count + 1, sum.cash + row.balance.cash, sum.available + row.balance.available)
                code = territories[current]?.parent
                steps += 1
            }
        }
        var children: [TerritoryCode?: [TerritoryCode]] = [:]
        for (code, territory) in territories where territory.listed { children[territory.parent, default: []].append(code) }
        var rows: [TerritoryRow] = []
        var stack: [(TerritoryCode, Int)] = (children[nil] ?? []).sorted(by: >).map { ($0, 1) }
        while let (code, depth) = stack.popLast(), rows.count < territories.count {
            let territory = territories[code]!
            let money = earmarked[code] ?? (0, 0, 0)
            rows.append(TerritoryRow(territory: code, name: territory.name, parent: territory.parent, depth: depth,
                                     figures: figures[code] ?? ProjectFigures(), funds: money.count, fundsCash: money.cash,
                                     fundsAvailable: money.available))
            stack.append(contentsOf: (children[code] ?? []).sorted(by: >).map { ($0, depth + 1) })
        }
        return rows
    }

    /// Whether `code` is `area` or lies below it (the tree has at most 8 levels).
    func territory(_ code: TerritoryCode, isWithin area: TerritoryCode) -> Bool {
        var current: TerritoryCode? = code
        var steps = 0
        while let here = current, steps < 64 {
            if here == area { return true }
            current = territories[here]?.parent
            steps += 1
        }
        return false
    }

    public func isTerritory(_ code: TerritoryCode) -> Bool { territories[code] != nil }
}
