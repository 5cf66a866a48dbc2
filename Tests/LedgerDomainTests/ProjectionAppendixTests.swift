import LedgerCore
import LedgerJSON
import Testing
@testable import LedgerDomain

/// The projections of Specs/events.md's Appendix A, against figures computed by hand from its
/// lines (record N is line N of the appendix; the genesis is record 0). The story, in euros:
/// citoyens receives 50 + 30,000 and refunds the 50; ess-bre borrows 500,000 (loan_received),
/// commits 30,000 to PRJ-29-01 in two tranches, pays the first (20,000), the second is
/// rejected; in 2025 it is repaid 2,500, repays its lender 100,000, amends the commitment to
/// 25,000, writes off 5,000 and cancels the rest.
@Suite struct ProjectionAppendixTests {
    static let records: [Record] = {
        var fold = Fold()
        let lines = [CatalogueTests.blocks("json").first!] + CatalogueTests.blocks("jsonl")
        for line in lines {
            let effective = String(line[line.range(of: #""effective":""#)!.upperBound...].prefix(10))
            fold.accept(try! CatalogueTests.event(line), on: effective)
        }
        return fold.log
    }()

    static func views(at: Int? = nil, asOf: String? = nil) -> Projections {
        var views = Projections()
        for record in records.prefix((at ?? records.count - 1) + 1) {
            views.apply(record, counted: asOf.map { record.effective <= CalendarDate($0)! } ?? true)
        }
        return views
    }

    static func euros(_ value: Int64) -> Int64 { value * 100 }

    @Test func theAppendixHas70Records() {
        #expect(Self.records.count == 70)
        #expect(Self.records[39].type == "disbursement.executed")
    }

    @Test func balancesByFund() throws {
        let report = Self.views().balances(by: .fund)
        #expect(report.rows.map(\.labels) == [["citoyens", "citizens"], ["ess-bre", "financial"]])
        let citoyens = report.rows[0].balance, ess = report.rows[1].balance
        #expect(citoyens.flows.received == Self.euros(30_050) && citoyens.flows.reversed == Self.euros(50))
        #expect(citoyens.cash == Self.euros(30_000) && citoyens.available == Self.euros(30_000) && citoyens.loansIn == 0)
        #expect(ess.flows.received == Self.euros(500_000) && ess.flows.lendersRepaid == Self.euros(100_000))
        // Committed 30,000, amended to 25,000, cancelled at the 20,000 paid: net 20,000, nothing left to pay.
        #expect(ess.flows.committed == Self.euros(20_000) && ess.flows.disbursed == Self.euros(20_000) && ess.toPay == 0)
        #expect(ess.flows.repayments == Self.euros(2_500) && ess.flows.writtenOff == Self.euros(5_000))
        #expect(ess.cash == Self.euros(382_500) && ess.available == Self.euros(382_500))
        #expect(ess.loansIn == Self.euros(400_000) && ess.loansOut == Self.euros(12_500))
        #expect(report.total.cash == Self.euros(412_500) && report.total.flows.received == Self.euros(530_050))
    }

    @Test func theRulesAndTheProjectionsAgree() throws {
        var state = FundState()
        for record in Self.records { try state.apply(record) }
        let views = Self.views()
        for fund in state.funds {
            let balance = try #require(views.balance(ofFund: fund.fund))
            let b = fund.balances
            #expect(balance.cash == b.cash.minorUnits && balance.toPay == b.reserved.minorUnits && balance.available == b.available.minorUnits)
            #expect(balance.flows.received == b.received.minorUnits && balance.flows.disbursed == b.disbursed.minorUnits)
        }
        #expect(views.balances(by: .fund).total.loansOut == state.loansOutstanding.minorUnits)
    }

    @Test func balancesByYearAndInstrumentAddUpToTheSameTotal() {
        let views = Self.views()
        let years = views.balances(by: .year)
        #expect(years.rows.map(\.labels) == [["2024"], ["2025"]])
        let y2024 = years.rows[0].balance, y2025 = years.rows[1].balance
        #expect(y2024.cash == Self.euros(510_000) && y2024.toPay == Self.euros(10_000) && y2024.loansOut == Self.euros(20_000))
        // 2025: the lender repaid, the commitment amended down and cancelled, 2,500 repaid, 5,000 written off.
        #expect(y2025.cash == Self.euros(-97_500) && y2025.toPay == Self.euros(-10_000) && y2025.loansOut == Self.euros(-7_500))
        let instruments = views.balances(by: .instrument)
        #expect(instruments.rows.map(\.labels) == [["in", "donation"], ["in", "loan_received"], ["out", "loan"]])
        for grouping in [BalanceGrouping.pool, .instrument, .year] {
            #expect(views.balances(by: grouping).total == views.balances(by: .fund).total, "\(grouping)")
        }
    }

    @Test func asOfAnEffectiveDateCountsOnlyRecordsEffectiveByThen() {
        // As of 2024-12-31: 2024's flows only, though 2025's records were seen.
        let views = Self.views(asOf: "2024-12-31")
        let ess = views.balances(by: .fund).rows[1].balance
        #expect(ess.cash == Self.euros(480_000) && ess.toPay == Self.euros(10_000) && ess.available == Self.euros(470_000))
        #expect(views.balances(by: .fund).total == Self.views().balances(by: .year).rows[0].balance)
        // Record 27 refunds on 2024-04-20: as of the 19th the 50 € are still there, and so is B-2025-01's future.
        let april = Self.views(asOf: "2024-04-19")
        #expect(april.balances(by: .fund).rows[0].balance.cash == Self.euros(30_050))
        #expect(april.ballot(BallotID("B-2024-01")!)?.opened == nil)
        #expect(april.statement(PartyID("P-0001")!)?.years.map(\.net) == [Self.euros(50)])
    }

    @Test func atASequenceNumberIsTheTruncatedLog() {
        // Record 26 is the loan received; the refund (27) is not in the cut.
        let views = Self.views(at: 26)
        #expect(views.recordsSeen == 27)
        #expect(views.balances(by: .fund).rows[0].balance.cash == Self.euros(30_050))
        #expect(views.balances(by: .fund).rows[1].balance.cash == Self.euros(500_000))
        #expect(views.project(ProjectID("PRJ-29-01")!) == nil)
    }

    @Test func theProjectAndItsTranches() throws {
        let project = try #require(Self.views().project(ProjectID("PRJ-29-01")!))
        let figures = project.summary.figures
        #expect(figures.requested == Self.euros(40_000) && figures.approved == Self.euros(30_000))
        #expect(figures.committed == Self.euros(20_000) && figures.disbursed == Self.euros(20_000) && figures.remaining == 0)
        #expect(figures.repaid == Self.euros(2_500) && figures.writtenOff == Self.euros(5_000) && figures.loansOutstanding == Self.euros(12_500))
        #expect(project.interested == [PartyID("P-0003")!])
        #expect(project.ballots.map(\.text) == ["B-2024-01", "B-2025-01", "B-2025-02", "B-2025-03"])
        let commitment = try #require(project.commitments.first)
        #expect(commitment.decisions.map(\.text) == ["D-2024-01", "D-2025-01", "D-2025-02", "D-2025-03"])
        #expect(commitment.made?.seq == 36 && commitment.cancelled?.seq == 63)
        // The amended plan: 20,000 paid from tranche 1; tranche 2's request was rejected; cancelled, nothing remains.
        #expect(commitment.tranches == [TrancheReport(number: 1, amount: Self.euros(20_000), disbursed: Self.euros(20_000), pending: 0, remaining: 0),
                                        TrancheReport(number: 2, amount: Self.euros(5_000), disbursed: 0, pending: 0, remaining: 0)])
        #expect(commitment.disbursements.map(\.stage) == [.executed, .rejected])
        #expect(commitment.disbursements[0].reference?.text == "VIR-OUT-2024-0001")
        // Before the cancellation the second tranche still had its 5,000.
        let before = try #require(Self.views(at: 62).project(ProjectID("PRJ-29-01")!))
        #expect(before.commitments[0].tranches[1].remaining == Self.euros(5_000))
    }

    @Test func theTerritoryTreeRollsProjectsUp() {
        let rows = Self.views().territoryRows()
        #expect(rows.map(\.territory.text) == ["FR", "FR-BRE", "FR-29"])
        #expect(rows.map(\.depth) == [1, 2, 3])
        #expect(rows.allSatisfy { $0.figures.projects == 1 && $0.figures.loansOutstanding == Self.euros(12_500) })
    }

    @Test func theBallotMemberByMember() throws {
        let ballot = try #require(Self.views().ballot(BallotID("B-2024-01")!))
        // P-0004 left the committee before the ballot opened: the electorate is frozen at three.
        #expect(ballot.members.map(\.party.text) == ["P-0001", "P-0002", "P-0003"])
        #expect(ballot.members.map(\.part) == [.voted, .byProxy, .recused])
        #expect(ballot.members[1].proxyHolder?.text == "P-0001" && ballot.members[1].choice == .for)
        let tally = ballot.outcome.tally
        #expect((tally.votesFor, tally.byProxy, tally.recused, tally.electorate) == (2, 1, 1, 3))
        #expect(ballot.outcome.adopted && ballot.recorded?.adopted == true && ballot.decision?.text == "D-2024-01")
        #expect(Self.views().ballotList().map(\.ballot.text) == ["B-2024-01", "B-2025-01", "B-2025-02", "B-2025-03", "B-2025-04"])
    }

    @Test func contributorsStatements() throws {
        let views = Self.views()
        let donor = try #require(views.statement(PartyID("P-0001")!))
        #expect(donor.years.map(\.year) == [2024])
        #expect(donor.years[0].lines.map(\.kind) == [.contribution, .reversal])
        #expect(donor.years[0].lines[1].reason == .refund && donor.years[0].lines[1].contribution?.text == "VIR-2024-000123")
        #expect(donor.contributed == Self.euros(50) && donor.reversed == Self.euros(50) && donor.net == 0)
        let lender = try #require(views.statement(PartyID("FIN-01")!))
        #expect(lender.years.map(\.net) == [Self.euros(500_000), Self.euros(-100_000)])
        #expect(lender.years[1].lines.first?.kind == .lenderRepayment && lender.years[1].lines.first?.stamp.seq == 45)
        #expect(try #require(views.statement(PartyID("FIN-01")!, year: 2025)).years.count == 1)
        #expect(views.statement(PartyID("P-9999")!) == nil)
    }

    /// The audit trail as `ledger audit` selects it: records touching the entity, then those
    /// about a link of its chain of authority, up to the chain's last record.
    static func trail(_ entity: EntityRef, _ views: Projections) -> [UInt64] {
        let authority = views.authority(of: entity)
        let links = Set(authority.links)
        return records.filter { record in
            if views.touches(record).contains(entity) { return true }
            guard authority.through.map({ record.seq <= $0 }) ?? true else { return false }
            return Projections.subjects(record).contains { links.contains($0) }
        }.map(\.seq)
    }

    @Test func theChainOfAuthorityBehindADisbursement() {
        let views = Self.views()
        let entity = EntityRef(.disbursement, "DSB-2024-01")
        #expect(views.authority(of: entity).links.map(\.description) == ["commitment C-2024-01", "decision D-2024-01", "ballot B-2024-01"])
        // The ballot (opened, recusal, proxy, vote, close, decision), the commitment, the three steps;
        // not the later amendment, write-off and cancellation, which did not authorise this payment.
        #expect(Self.trail(entity, views) == Array(30...39))
        let commitment = views.authority(of: EntityRef(.commitment, "C-2024-01")).links.map(\.id)
        #expect(commitment == ["D-2024-01", "B-2024-01", "D-2025-01", "B-2025-01", "D-2025-02", "B-2025-02", "D-2025-03", "B-2025-03"])
    }

    @Test func auditTrailsOfOtherEntities() {
        let views = Self.views()
        // The party: registered, member, interested in nothing, contributed, refunded, voted, held a proxy.
        #expect(Self.trail(EntityRef(.party, "P-0001"), views) == [13, 19, 24, 27, 32, 33, 47, 53, 59, 65])
        // A contribution's reference: recorded, refunded.
        #expect(Self.trail(EntityRef(.reference, "VIR-2024-000123"), views) == [24, 27])
        // The fund: opened, money in and out, the commitment, the payments, the motion that funded from it.
        let fund = Self.trail(EntityRef(.fund, "ess-bre"), views)
        #expect(fund.first == 11 && fund.contains(26) && fund.contains(30) && fund.contains(39) && fund.contains(45) && fund.contains(63))
        #expect(!fund.contains(24))
        #expect(views.kinds(of: "P-0001") == [.party] && views.kinds(of: "nothing").isEmpty)
        // An operator's trail is what they appended.
        #expect(Self.trail(EntityRef(.operator, "OP-TRESORIERE"), views).count == Self.records.filter { $0.actor == "OP-TRESORIERE" }.count + 1)
    }

    @Test func postingsBalanceAndMatchTheBalances() throws {
        let views = Self.views()
        var accounts: [Account: Int64] = [:]
        for record in Self.records {
            guard let postings = views.postings(for: record) else {
                #expect(!Projections.movesMoney(record.type), "\(record.type) has no postings")
                continue
            }
            #expect(postings.reduce(0) { $0 + $1.amount } == 0, "seq \(record.seq) does not balance")
            for posting in postings { accounts[posting.account, default: 0] += posting.amount }
        }
        let ess = FundID("ess-bre")!
        #expect(accounts[Account(category: .assets, head: "cash", fund: ess)] == Self.euros(382_500))
        #expect(accounts[Account(category: .assets, head: "loans", fund: ess)] == Self.euros(12_500))
        #expect(accounts[Account(category: .liabilities, head: "lenders", fund: ess)] == Self.euros(-400_000))
        #expect(accounts[Account(category: .assets, head: "cash", fund: FundID("citoyens")!)] == Self.euros(30_000))
        #expect(Set(accounts.keys).isSubset(of: Set(views.accounts)))
    }
}
