import Foundation
import LedgerCore
import LedgerJSON
import Testing
@testable import LedgerDomain

/// The projections over random valid histories (HistoryGenerator): they agree with the rules'
/// own balances and with an independent fold written here from Specs/events.md; every grouping
/// adds up to the same total; as-of cuts equal a fresh fold of the cut log; and a snapshot's
/// encodings read back to the same state, from which the fold continues identically.
@Suite struct ProjectionPropertyTests {
    static let seeds: [UInt64] = Array(1...12)

    static func history(_ seed: UInt64) -> [Record] {
        var generator = HistoryGenerator(seed: seed)
        for _ in 0..<900 { generator.step() }
        return generator.fold.log
    }

    static func fold(_ records: some Sequence<Record>, asOf: CalendarDate? = nil, parts: Projections.Parts = .all) -> Projections {
        var views = Projections(parts: parts)
        for record in records { views.apply(record, counted: asOf.map { record.effective <= $0 } ?? true) }
        return views
    }

    @Test(arguments: seeds)
    func theRulesAndTheProjectionsAgree(_ seed: UInt64) throws {
        let records = Self.history(seed)
        var state = FundState()
        for record in records { try state.apply(record) }
        let views = Self.fold(records)
        #expect(state.funds.count == 3)
        for fund in state.funds {
            let balance = try #require(views.balance(ofFund: fund.fund))
            let b = fund.balances
            #expect(balance.flows.received == b.received.minorUnits && balance.flows.reversed == b.reversed.minorUnits)
            #expect(balance.flows.disbursed == b.disbursed.minorUnits && balance.flows.repayments == b.repaymentsReceived.minorUnits)
            #expect(balance.flows.lendersRepaid == b.lendersRepaid.minorUnits && balance.flows.writtenOff == b.writtenOff.minorUnits)
            #expect(balance.cash == b.cash.minorUnits && balance.toPay == b.reserved.minorUnits && balance.available == b.available.minorUnits)
        }
        let report = views.balances(by: .fund)
        #expect(report.total.loansOut == state.loansOutstanding.minorUnits)
        for grouping in [BalanceGrouping.pool, .instrument, .year] { #expect(views.balances(by: grouping).total == report.total) }
        // Projects add up to the money out; territories roll them up to their roots.
        let projects = views.projectList().reduce(into: ProjectFigures()) { $0.add($1.figures) }
        #expect(projects.committed == report.total.flows.committed && projects.disbursed == report.total.flows.disbursed)
        #expect(projects.loansOutstanding == report.total.loansOut)
        #expect(views.territoryRows().first { $0.territory.text == "FR" }?.figures == projects)
        // Statements add up to the money in and back.
        let statements = views.parties.all.keys.compactMap { views.statement($0) }
        #expect(statements.reduce(0) { $0 + $1.contributed } == report.total.flows.received)
        #expect(statements.reduce(0) { $0 + $1.reversed + $1.repaidToLender } == report.total.flows.reversed + report.total.flows.lendersRepaid)
        // Recomputed tallies equal the recorded ones (the rules checked them: I6.tally).
        for ballot in views.ballotList() where ballot.recorded != nil {
            #expect(ballot.recorded?.tally == ballot.outcome.tally && ballot.recorded?.adopted == ballot.outcome.adopted)
        }
    }

    @Test(arguments: seeds)
    func anIndependentFoldGivesTheSameFlows(_ seed: UInt64) {
        let records = Self.history(seed)
        let expected = IndependentFold.flows(records)
        let views = Self.fold(records)
        #expect(!expected.isEmpty)
        var byFund: [String: [Int64]] = [:]
        var byYear: [String: [Int64]] = [:]
        var byInstrument: [String: [Int64]] = [:]
        func add(_ table: inout [String: [Int64]], _ key: String, _ flows: [Int64]) {
            table[key] = zip(table[key] ?? Array(repeating: 0, count: 7), flows).map { $0 + $1 }
        }
        for (key, flows) in expected {
            add(&byFund, key.fund, flows)
            add(&byYear, String(key.year), flows)
            add(&byInstrument, key.instrument, flows)
        }
        for (grouping, table) in [(BalanceGrouping.fund, byFund), (.year, byYear), (.instrument, byInstrument)] {
            let rows = views.balances(by: grouping).rows
            let keys = rows.map { grouping == .fund ? $0.labels[0] : $0.labels.joined(separator: ":") }
            #expect(Set(table.keys).isSubset(of: Set(keys)), "\(grouping)")
            for row in rows {
                let f = row.balance.flows
                let mine = [f.received, f.reversed, f.lendersRepaid, f.committed, f.disbursed, f.repayments, f.writtenOff]
                let key = grouping == .fund ? row.labels[0] : row.labels.joined(separator: ":")
                #expect(mine == table[key] ?? Array(repeating: 0, count: 7), "\(grouping) \(row.labels)")
            }
        }
    }

    @Test(arguments: seeds)
    func asOfADateIsAFreshFoldOfTheRecordsEffectiveByThen(_ seed: UInt64) throws {
        let records = Self.history(seed)
        // The generator's dates never go back, so the records effective by a date are a prefix:
        // the log cut there, folded afresh, must answer exactly as the as-of fold of everything.
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.effective <= $1.effective })
        let days = try #require(records.last).effective.daysSinceEpoch - records[0].effective.daysSinceEpoch
        for fraction in [0, 1, 2, 3] {
            let date = CalendarDate(daysSinceEpoch: records[0].effective.daysSinceEpoch + days * fraction / 3)!
            let cut = Self.fold(records.filter { $0.effective <= date })
            let asOf = Self.fold(records, asOf: date)
            for grouping in [BalanceGrouping.fund, .pool, .instrument, .year] {
                #expect(asOf.balances(by: grouping) == cut.balances(by: grouping), "\(date) \(grouping)")
            }
            #expect(asOf.projectList() == cut.projectList(), "\(date)")
            #expect(asOf.territoryRows() == cut.territoryRows(), "\(date)")
            #expect(asOf.ballotList() == cut.ballotList(), "\(date)")
            for party in cut.parties.all.keys.sorted() { #expect(asOf.statement(party) == cut.statement(party), "\(date) \(party)") }
            for id in cut.projects.all.keys.sorted() { #expect(asOf.project(id) == cut.project(id), "\(date) \(id)") }
        }
    }

    /// A fold that keeps no statement lines, no ballots and no decisions (what `balances` folds
    /// from the log) answers every balance as the whole fold does, and one that keeps ballots
    /// without their votes (`balances --by territory`) every territory and every project, at
    /// the head and as of past dates; neither holds a line or a vote.
    @Test(arguments: seeds)
    func aFoldOfFewerPartsAnswersWhatItKeepsAsTheWholeFold(_ seed: UInt64) throws {
        let records = Self.history(seed)
        let days = try #require(records.last).effective.daysSinceEpoch - records[0].effective.daysSinceEpoch
        for fraction in [1, 2, 4] {
            let date = fraction == 4 ? nil : CalendarDate(daysSinceEpoch: records[0].effective.daysSinceEpoch + days * fraction / 3)!
            let whole = Self.fold(records, asOf: date)
            let lean = Self.fold(records, asOf: date, parts: [])
            let governance = Self.fold(records, asOf: date, parts: [.governance])
            for grouping in [BalanceGrouping.fund, .pool, .instrument, .year] {
                #expect(lean.balances(by: grouping) == whole.balances(by: grouping), "\(String(describing: date)) \(grouping)")
            }
            #expect(governance.territoryRows() == whole.territoryRows())
            #expect(governance.projectList() == whole.projectList())
            for id in whole.projects.all.keys.sorted() { #expect(governance.project(id) == whole.project(id), "\(id)") }
            #expect(lean.statements.all.isEmpty && governance.statements.all.isEmpty && !whole.statements.all.isEmpty)
            #expect(lean.ballots.all.isEmpty && lean.decisions.all.isEmpty)
            #expect(governance.ballots.all.count == whole.ballots.all.count)
            #expect(governance.ballots.all.values.allSatisfy { $0.votes.count == 0 && $0.electorate.isEmpty && $0.recused.isEmpty })
            #expect(whole.ballots.all.values.contains { $0.votes.count > 0 })
        }
    }

    /// A part the fold did not keep is never read as empty: asking for it traps.
    @Test func readingAPartTheFoldDidNotKeepTraps() async {
        await #expect(processExitsWith: .failure) {
            let views = ProjectionPropertyTests.fold(ProjectionPropertyTests.history(1), parts: [.ballotDetail])
            _ = views.statement(PartyID("P-1")!)
        }
        await #expect(processExitsWith: .failure) {
            let views = ProjectionPropertyTests.fold(ProjectionPropertyTests.history(1), parts: [.statements])
            _ = views.ballotList()
        }
    }

    @Test(arguments: [UInt64(3), 7, 11])
    func snapshotsReadBackAndTheFoldContinues(_ seed: UInt64) throws {
        let records = Self.history(seed)
        let middle = records.count / 2
        var rules = FundState()
        for record in records.prefix(middle) { try rules.apply(record) }
        let views = Self.fold(records.prefix(middle))
        // The compact encoding (snapshots).
        var writer = CompactWriter()
        writer.write(rules)
        writer.write(views)
        var reader = CompactReader(bytes: writer.bytes)
        var rulesBack: FundState = try reader.read()
        var viewsBack: Projections = try reader.read()
        #expect(reader.isAtEnd)
        #expect(rulesBack == rules && viewsBack == views)
        // Folding on from the decoded states gives the same as folding everything.
        var full = rules
        var fullViews = views
        for record in records.dropFirst(middle) {
            try rulesBack.apply(record)
            viewsBack.apply(record)
            try full.apply(record)
            fullViews.apply(record)
        }
        #expect(rulesBack == full && viewsBack == fullViews && fullViews == Self.fold(records))
    }

    @Test func aDamagedSnapshotNeverTraps() throws {
        let records = Self.history(5)
        var rules = FundState()
        for record in records { try rules.apply(record) }
        var writer = CompactWriter()
        writer.write(rules)
        writer.write(Self.fold(records))
        let bytes = writer.bytes
        var random = SeededGenerator(seed: 99)
        for _ in 0..<300 {
            var damaged = bytes
            if Bool.random(using: &random) {
                damaged.removeLast(Int.random(in: 1..<bytes.count, using: &random))
            } else {
                damaged[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
            var reader = CompactReader(bytes: damaged)
            // Either it throws or it decodes to some state; it never traps.
            _ = try? (reader.read(FundState.self), reader.read(Projections.self))
        }
    }
}

/// A second fold of the money flows, written from Specs/events.md without the projections'
/// code: per fund, effective year and instrument, the seven flows in the balance report's order.
enum IndependentFold {
    struct Key: Hashable { let fund: String; let year: Int; let instrument: String }

    static func flows(_ records: [Record]) -> [Key: [Int64]] {
        var contributions: [String: (fund: String, instrument: String)] = [:]
        var commitments: [String: (fund: String, instrument: String, amount: Int64, paid: Int64)] = [:]
        var projects: [String: String] = [:]
        var disbursements: [String: (commitment: String, amount: Int64)] = [:]
        var flows: [Key: [Int64]] = [:]
        func add(_ fund: String, _ year: Int, _ instrument: String, _ column: Int, _ amount: Int64) {
            flows[Key(fund: fund, year: year, instrument: instrument), default: Array(repeating: 0, count: 7)][column] += amount
        }
        for record in records {
            let p = record.payload
            let year = record.effective.year
            func text(_ key: String) -> String { p[key]?.stringValue ?? "" }
            let amount = p["amount"]?.integerValue ?? 0
            switch record.type {
            case "contribution.recorded":
                contributions[text("ref")] = (text("fund"), "in:" + text("instrument"))
                add(text("fund"), year, "in:" + text("instrument"), 0, amount)
            case "contribution.reversed", "lender.repaid":
                let original = contributions[text("contribution")]!
                add(original.fund, year, original.instrument, record.type == "lender.repaid" ? 2 : 1, amount)
            case "project.applied":
                projects[text("project")] = "out:" + text("instrument")
            case "commitment.made":
                commitments[text("commitment")] = (text("fund"), projects[text("project")]!, amount, 0)
                add(text("fund"), year, projects[text("project")]!, 3, amount)
            case "commitment.amended":
                let c = commitments[text("commitment")]!
                add(c.fund, year, c.instrument, 3, amount - c.amount)
                commitments[text("commitment")]!.amount = amount
            case "commitment.cancelled":
                let c = commitments[text("commitment")]!
                add(c.fund, year, c.instrument, 3, c.paid - c.amount)
            case "disbursement.requested":
                disbursements[text("disbursement")] = (text("commitment"), amount)
            case "disbursement.executed":
                let d = disbursements[text("disbursement")]!
                let c = commitments[d.commitment]!
                commitments[d.commitment]!.paid += d.amount
                add(c.fund, year, c.instrument, 4, d.amount)
            case "repayment.received", "loan.written_off":
                let c = commitments[text("commitment")]!
                add(c.fund, year, c.instrument, record.type == "repayment.received" ? 5 : 6, amount)
            default:
                break
            }
        }
        return flows
    }
}
