import LedgerCore
import Testing
@testable import LedgerDomain

/// The bulk tables over a base (what a snapshot's base file holds) with recent entries on top:
/// folding on from a base gives the same state, answers and statements as folding everything
/// in memory, and a damaged base makes the rules refuse rather than answer.
@Suite struct BulkBaseTests {
    /// A base held in memory, as a `TableFile` would hold it (encoded values by table and key).
    final class MemoryBase: BulkBase, @unchecked Sendable {
        var rows: [BulkTable: [String: [UInt8]]] = [:]
        var damage: String?
        var reads = 0
        /// Reads of a key the base does not hold, by table.
        var absentReads: [BulkTable: Int] = [:]
        /// A key whose row reads as damaged bytes.
        var damagedKey: String?

        init(rules: FundState, views: Projections) {
            let add = { (table: BulkTable, key: String, value: ArraySlice<UInt8>) in self.rows[table, default: [:]][key] = Array(value) }
            for table in rules.bulkTables { rules.forEachBulkRow(of: table, add) }
            for table in views.bulkTables { views.forEachBulkRow(of: table, add) }
        }

        func value(in table: BulkTable, key: String) -> [UInt8]? {
            reads += 1
            if key == damagedKey {
                markDamaged("page of \(key)")
                return nil
            }
            guard let row = rows[table]?[key] else {
                absentReads[table, default: 0] += 1
                return nil
            }
            return row
        }

        func forEach(in table: BulkTable, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
            for (key, value) in rows[table] ?? [:] { body(Array(key.utf8)[...], value[...]) }
        }

        func rowsBound(in table: BulkTable) -> Int { rows[table]?.count ?? 0 }
        var isDamaged: Bool { damage != nil }
        func markDamaged(_ reason: String) { damage = damage ?? reason }
    }

    static func fold(_ records: some Sequence<Record>) throws -> (FundState, Projections) {
        var rules = FundState()
        var views = Projections()
        for record in records {
            try rules.apply(record)
            views.apply(record)
        }
        return (rules, views)
    }

    @Test(arguments: [UInt64(2), 4, 8])
    func foldingOnFromABaseGivesTheWholeFold(_ seed: UInt64) throws {
        let records = ProjectionPropertyTests.history(seed)
        for cut in [records.count / 3, records.count * 2 / 3] {
            var (rules, views) = try Self.fold(records.prefix(cut))
            let base = MemoryBase(rules: rules, views: views)
            #expect(base.rowsBound(in: .references) > 0 && base.rowsBound(in: .statements) > 0)
            rules.rebaseBulk(base)
            views.rebaseBulk(base)
            #expect(rules.recentBulkEntries == 0 && views.recentBulkEntries == 0)
            for record in records.dropFirst(cut) {
                try rules.apply(record)
                views.apply(record)
            }
            let (wholeRules, wholeViews) = try Self.fold(records)
            #expect(rules == wholeRules && views == wholeViews)
            #expect(base.reads > 0, "the fold read the base")
            // The counts `fund status` prints are kept as entities are created, not read from the
            // tables (whose base may hold a key twice): they are the tables' sizes.
            let counts = rules.counts
            let sizes = [rules.parties.all.count, rules.projects.all.count, rules.ballots.all.count, rules.decisions.all.count,
                         rules.commitments.all.count, rules.disbursements.all.count]
            #expect([counts.parties, counts.projects, counts.ballots, counts.decisions, counts.commitments, counts.disbursements] == sizes)
            #expect(sizes.allSatisfy { $0 > 0 }, "\(sizes)")
            for party in wholeViews.parties.all.keys.sorted() { #expect(views.statement(party) == wholeViews.statement(party)) }
            for reference in wholeRules.contributionReferences { #expect(rules.contribution(reference) == wholeRules.contribution(reference)) }
            #expect(!rules.bulkIsDamaged && !views.bulkIsDamaged)
        }
    }

    /// The projections fold records the rules accepted, so an entity a record creates is new:
    /// looking for it in the base would cost a page for each new reference or identifier.
    @Test(arguments: [UInt64(3), 5])
    func theProjectionsLookInTheBaseOnlyForWhatItHolds(_ seed: UInt64) throws {
        let records = ProjectionPropertyTests.history(seed)
        let cut = records.count / 2
        var (rules, views) = try Self.fold(records.prefix(cut))
        let viewsBase = MemoryBase(rules: rules, views: views)
        rules.rebaseBulk(MemoryBase(rules: rules, views: views))
        views.rebaseBulk(viewsBase)
        var created = 0
        for record in records.dropFirst(cut) {
            try rules.apply(record)
            views.apply(record)
            if ["party.registered", "project.applied", "contribution.recorded", "ballot.opened", "decision.recorded",
                "commitment.made", "disbursement.requested"].contains(record.type) { created += 1 }
        }
        #expect(created > 100, "the tail creates entities of every kind")
        #expect(viewsBase.reads > 0, "the projections read the entities their records cite")
        #expect(viewsBase.absentReads.isEmpty, "\(viewsBase.absentReads)")
        #expect(views == (try Self.fold(records)).1)
    }

    @Test func aBaseWrittenFromABasePlusRecentEntriesHoldsEverything() throws {
        let records = ProjectionPropertyTests.history(6)
        let half = records.count / 2
        var (rules, views) = try Self.fold(records.prefix(half))
        let first = MemoryBase(rules: rules, views: views)
        rules.rebaseBulk(first)
        views.rebaseBulk(first)
        for record in records.dropFirst(half) {
            try rules.apply(record)
            views.apply(record)
        }
        // The rows of a second base: the first one's, combined with what came since.
        let second = MemoryBase(rules: rules, views: views)
        let (wholeRules, wholeViews) = try Self.fold(records)
        let whole = MemoryBase(rules: wholeRules, views: wholeViews)
        #expect(second.rows.mapValues { Set($0.keys) } == whole.rows.mapValues { Set($0.keys) })
        #expect(second.rows[.ballots] != nil && second.rows[.disbursementViews] != nil)
        // Values compared decoded, as a base's rows (`BulkValue.init(row:)`: a statement's lines
        // back to back): an entity's sets and tables are written in their own order.
        func same<Value: BulkValue>(_ table: BulkTable, _ type: Value.Type) throws -> Bool {
            try (second.rows[table] ?? [:]).allSatisfy { key, bytes in
                try Value(row: bytes) == Value(row: whole.rows[table]![key]!)
            }
        }
        #expect(try same(.references, ReferenceUse.self) && same(.idempotency, UInt64.self))
        #expect(try same(.contributions, ContributionView.self) && same(.statements, [StatementLine].self))
        #expect(try same(.ballots, BallotEntry.self) && same(.decisions, DecisionEntry.self))
        #expect(try same(.commitments, CommitmentEntry.self) && same(.disbursements, DisbursementEntry.self))
        #expect(try same(.ballotViews, BallotView.self) && same(.decisionViews, DecisionView.self))
        #expect(try same(.disbursementViews, DisbursementView.self) && same(.partyViews, PartyView.self))
        #expect(try same(.projectViews, ProjectView.self) && same(.commitmentViews, CommitmentView.self))
        #expect(try same(.parties, PartyKind.self) && same(.projects, ProjectEntry.self) && same(.lookAlikes, LookAlikeTexts.self))
        // Every table but the idempotency keys' (the generated history uses none) has rows.
        #expect(Set(second.rows.keys) == Set(BulkTable.allCases).subtracting([.idempotency]))
    }

    @Test func aDamagedBaseMakesTheRulesRefuseNotAnswer() throws {
        var fold = Fold.world()
        var base = MemoryBase(rules: fold.state, views: Projections())
        base.damagedKey = "VIR-NEW"
        var rules = fold.state
        rules.rebaseBulk(base)
        let record = fold.record(E.contribution("VIR-NEW"))
        #expect(throws: RuleViolation.self) { try rules.apply(record) }
        do {
            try rules.apply(record)
        } catch {
            #expect(error.rule == FundState.damagedBaseRule)
        }
        #expect(rules.bulkIsDamaged)
        // The same record on the undamaged state is accepted: the refusal came from the base.
        base = MemoryBase(rules: fold.state, views: Projections())
        rules = fold.state
        rules.rebaseBulk(base)
        try rules.apply(record)
        fold.accept(E.contribution("VIR-NEW"))
        // A reversal of a contribution the base holds reads it there and keeps the change on top.
        let reversal = E.reversal(of: "DON-1", amount: eur(100), ref: "REF-DON-1")
        try rules.apply(fold.record(reversal))
        fold.accept(reversal)
        #expect(rules == fold.state)
        #expect(rules.contribution(ExternalReference("DON-1")!)?.returned.minorUnits == 10_000)
    }

    /// A contribution's entry names its fund by number: a number no fund has (a base that does
    /// not fit the core it is read with) is the damaged-base signal, never a trap or another fund.
    @Test func aContributionNamingNoFundIsTheDamagedBaseSignal() throws {
        let fold = Fold.world()
        var rules = fold.state
        var damaged = fold.state
        damaged.references.setRecent(ExternalReference("DON-1")!, ReferenceUse(seq: 5, contribution:
            ContributionEntry(fund: UInt32(rules.fundsByID.count), instrument: .donation, amount: Money(minorUnits: 50_000)!)))
        rules.rebaseBulk(MemoryBase(rules: damaged, views: Projections()))
        let record = fold.record(E.reversal(of: "DON-1", amount: eur(1), ref: "REF-DON-1"))
        do {
            try rules.apply(record)
            Issue.record("a reversal of a contribution naming no fund was accepted")
        } catch {
            #expect(error.rule == FundState.damagedBaseRule)
        }
    }
}
