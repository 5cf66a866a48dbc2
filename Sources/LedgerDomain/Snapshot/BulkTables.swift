/// The tables that grow with every contribution rather than with the fund's entities: the
/// references the rules keep unique, the contributions, and the contributors' statements. A
/// snapshot stores them apart from the rest ("core"), so that a report that needs none of them
/// (balances, projects, ballots) loads a state the size of the fund's entities, not of its
/// history (Specs/reports.md, section 7).
public struct BulkTables: Sendable, Equatable {
    var references: [ExternalReference: ReferenceUse] = [:]
    var contributions: [ContributionEntry] = []
    var viewContributions: [ExternalReference: ContributionView] = [:]
    var statements: [PartyID: [StatementLine]] = [:]

    public init() {}

    /// How many entries the tables hold (the snapshot policy weighs a state by it).
    public var entryCount: Int {
        references.count + contributions.count + viewContributions.count + statements.count
    }

    /// Moves the tables out of the states, leaving them empty there.
    public static func detach(rules: inout FundState, views: inout Projections) -> BulkTables {
        var bulk = BulkTables()
        swap(&bulk.references, &rules.references)
        swap(&bulk.contributions, &rules.contributions)
        swap(&bulk.viewContributions, &views.contributions)
        swap(&bulk.statements, &views.statements)
        return bulk
    }

    /// Moves the tables back into states that hold none (as `detach` left them).
    public static func attach(_ bulk: BulkTables, rules: inout FundState, views: inout Projections) throws(CompactError) {
        precondition(rules.references.isEmpty && rules.contributions.isEmpty && views.contributions.isEmpty && views.statements.isEmpty,
                     "bulk tables are attached to a state without them")
        for use in bulk.references.values {
            if let index = use.contribution, index >= bulk.contributions.count { throw .invalid("contribution index") }
        }
        rules.references = bulk.references
        rules.contributions = bulk.contributions
        views.contributions = bulk.viewContributions
        views.statements = bulk.statements
    }
}

extension BulkTables: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(references)
        writer.write(contributions)
        writer.write(viewContributions)
        writer.write(statements)
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        references = try reader.read()
        contributions = try reader.read()
        viewContributions = try reader.read()
        statements = try reader.read()
    }
}

extension BulkTables {
    /// Whether folding a record of `type` reads or writes the bulk tables: the events that
    /// claim a bank reference (I14.reference-unique) or name a contribution. Every other record
    /// folds onto a core alone, and the bulk tables saved with that core still fit it after.
    public static func isNeeded(byType type: String) -> Bool {
        switch EventType(type: type) {
        case .contributionRecorded, .contributionReversed, .lenderRepaid, .disbursementExecuted, .repaymentReceived: return true
        default: return false
        }
    }
}
