/// What the snapshot code (LedgerCLI) does with the bulk tables of the rules' state and of the
/// projections: read them from a base file, list their rows to write a new one, and learn
/// whether a base read met damaged bytes.
extension FundState {
    /// The rule id of the refusal a damaged base causes (see `BulkBase`).
    public static var damagedBaseRule: String { BulkMap<ReferenceKind, ReferenceUse>.damagedRule }

    public mutating func attachBulkBase(_ base: (any BulkBase)?) {
        references.attach(base)
        idempotencyKeys.attach(base)
        ballots.attach(base)
        decisions.attach(base)
        commitments.attach(base)
        disbursements.attach(base)
        parties.attach(base)
        projects.attach(base)
        lookAlikes.table.attach(base)
    }

    /// Room for `count` references and as many idempotency keys (a fold from the genesis: a
    /// table that grows by resizing rehashes every entry at each step).
    public mutating func reserveBulk(_ count: Int) {
        references.reserveCapacity(count)
        idempotencyKeys.reserveCapacity(count)
    }

    public mutating func rebaseBulk(_ base: any BulkBase) {
        references.rebase(base)
        idempotencyKeys.rebase(base)
        ballots.rebase(base)
        decisions.rebase(base)
        commitments.rebase(base)
        disbursements.rebase(base)
        parties.rebase(base)
        projects.rebase(base)
        lookAlikes.table.rebase(base)
    }

    public var bulkIsDamaged: Bool {
        references.isDamaged || idempotencyKeys.isDamaged || ballots.isDamaged || decisions.isDamaged
            || commitments.isDamaged || disbursements.isDamaged || parties.isDamaged || projects.isDamaged || lookAlikes.table.isDamaged
    }

    /// Entries held in memory above the base (saved with the snapshot's core).
    public var recentBulkEntries: Int {
        references.recent.count + idempotencyKeys.recent.count + ballots.recent.count + decisions.recent.count
            + commitments.recent.count + disbursements.recent.count + parties.recent.count + projects.recent.count
            + lookAlikes.table.recent.count
    }

    /// Every row of the rules' bulk tables, base and recent combined.
    public func forEachBulkRow(_ emit: (BulkTable, String, [UInt8]) -> Void) {
        references.forEachCombined { emit(.references, $0, $1) }
        idempotencyKeys.forEachCombined { emit(.idempotency, $0, $1) }
        ballots.forEachCombined { emit(.ballots, $0, $1) }
        decisions.forEachCombined { emit(.decisions, $0, $1) }
        commitments.forEachCombined { emit(.commitments, $0, $1) }
        disbursements.forEachCombined { emit(.disbursements, $0, $1) }
        parties.forEachCombined { emit(.parties, $0, $1) }
        projects.forEachCombined { emit(.projects, $0, $1) }
        lookAlikes.table.forEachCombined { emit(.lookAlikes, $0, $1) }
    }
}

extension Projections {
    public mutating func attachBulkBase(_ base: (any BulkBase)?) {
        contributions.attach(base)
        statements.attach(base)
        ballots.attach(base)
        decisions.attach(base)
        disbursements.attach(base)
        parties.attach(base)
        projects.attach(base)
        commitments.attach(base)
    }

    public mutating func reserveBulk(_ count: Int) { contributions.reserveCapacity(count) }

    public mutating func rebaseBulk(_ base: any BulkBase) {
        contributions.rebase(base)
        statements.rebase(base)
        ballots.rebase(base)
        decisions.rebase(base)
        disbursements.rebase(base)
        parties.rebase(base)
        projects.rebase(base)
        commitments.rebase(base)
    }

    public var bulkIsDamaged: Bool {
        contributions.isDamaged || statements.isDamaged || ballots.isDamaged || decisions.isDamaged || disbursements.isDamaged
            || parties.isDamaged || projects.isDamaged || commitments.isDamaged
    }

    public var recentBulkEntries: Int {
        contributions.recent.count + statements.recent.values.reduce(0) { $0 + $1.count } + ballots.recent.count
            + decisions.recent.count + disbursements.recent.count + parties.recent.count + projects.recent.count + commitments.recent.count
    }

    public func forEachBulkRow(_ emit: (BulkTable, String, [UInt8]) -> Void) {
        contributions.forEachCombined { emit(.contributions, $0, $1) }
        statements.forEachCombined { emit(.statements, $0, $1) }
        ballots.forEachCombined { emit(.ballotViews, $0, $1) }
        decisions.forEachCombined { emit(.decisionViews, $0, $1) }
        disbursements.forEachCombined { emit(.disbursementViews, $0, $1) }
        parties.forEachCombined { emit(.partyViews, $0, $1) }
        projects.forEachCombined { emit(.projectViews, $0, $1) }
        commitments.forEachCombined { emit(.commitmentViews, $0, $1) }
    }
}
