import Foundation
import LedgerCore
import LedgerDomain
@testable import LedgerEngine
import LedgerStorage
import Testing

/// A snapshot's base in layers (`BulkFile`): where a save's changed entries go, and a base of
/// three or four files answering as the log, a statement's lines following each other across
/// every file.
@Suite struct BulkLayersTests {
    /// Changed entries go on top while they fit under half of the top file (a quarter of the
    /// lower file, or `upperRowsMin`, above the lower one), else they are merged with the files
    /// above the first position where the merge fits; nil when it fits nowhere above the lower
    /// file. Never more than four files.
    @Test func changedEntriesGoWhereTheyFit() {
        func placement(_ rows: Int, _ layers: [Int], min: Int = 16, files: Int = 3) -> Int? {
            var policy = Ledger.SnapshotPolicy()
            (policy.upperRowsMin, policy.upperFilesMax) = (min, files)
            return BulkFile.placement(ofRows: rows, onto: layers, policy)
        }
        #expect(placement(250, [1_000]) == 1, "a new upper file: a quarter of the lower one")
        #expect(placement(251, [1_000]) == nil, "too many for an upper file: merged into the lower one")
        #expect(placement(16, [40]) == 1 && placement(17, [40]) == nil, "upperRowsMin over a small lower file")
        #expect(placement(50, [1_000, 100]) == 2, "a new file over the upper one: at most half of it")
        #expect(placement(51, [1_000, 100]) == 1, "merged into the upper file: 151 rows, at most 250")
        #expect(placement(151, [1_000, 100]) == nil, "251 rows fit over no file: step 2")
        #expect(placement(20, [1_000, 200, 40]) == 3)
        #expect(placement(21, [1_000, 200, 40]) == 2, "61 rows merged with the top file, over 200")
        #expect(placement(1, [1_000, 200, 40, 10]) == 3, "no fifth file: merged into the fourth, 11 rows over 40")
        #expect(placement(1, [1_000, 200, 40, 20]) == 2, "21 rows are too many over 40: 61 merged over 200")
        #expect(placement(10, [1_000, 100, 50, 25]) == 1, "35 rows over 50, 85 over 100: merged into the first upper file")
        #expect(placement(100, [1_000, 100, 50, 25]) == nil)
        #expect(placement(50, [1_000, 100], files: 1) == 1 && placement(10, [1_000, 200, 40], files: 2) == 2,
                "fewer upper files allowed: merged lower down")
    }

    /// The core lists its base's files from the lower one up: more than four, records that do
    /// not grow from file to file, or a file past the core's records, and the core is refused
    /// (it is then ignored and rebuilt, as any corrupt snapshot).
    @Test func aCoreNamingAnImpossibleBaseIsRefused() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopen(Self.configure)
        _ = try ledger.append(LargeBatchTests.donations("R0", count: 40))
        let state = try #require(ledger.store.load(logBytes: UInt64(try fixture.logBytes().count))).state
        let records = state.rules.recordCount
        func core(_ layers: [(UInt64, String)]) -> [UInt8] {
            var writer = CompactWriter()
            writer.write(state.rules)
            writer.write(layers.count)
            for (covered, hex) in layers {
                writer.write(covered)
                writer.write(hex)
            }
            writer.write(0)
            writer.write(String(repeating: "ab", count: 32))
            return writer.bytes
        }
        let digest = String(repeating: "0f", count: 32)
        #expect(try LedgerState(snapshotBytes: core([(1, digest), (records, digest)])).baseKey?.layers.map(\.records) == [1, records])
        #expect(try LedgerState(snapshotBytes: core([])).baseKey == nil)
        #expect(throws: CompactError.self) { try LedgerState(snapshotBytes: core((1...5).map { (UInt64($0), digest) })) }
        #expect(throws: CompactError.self) { try LedgerState(snapshotBytes: core([(3, digest), (3, digest)])) }
        #expect(throws: CompactError.self) { try LedgerState(snapshotBytes: core([(3, digest), (2, digest)])) }
        #expect(throws: CompactError.self) { try LedgerState(snapshotBytes: core([(records + 1, digest)])) }
        #expect(throws: CompactError.self) { try LedgerState(snapshotBytes: core([(1, "not a digest")])) }
    }

    /// A ledger whose saves write a base at every append, with room for small upper files.
    static func configure(_ options: inout Ledger.Options) {
        options.snapshots.tailRecordsMin = 1
        options.snapshots.baseEntriesMin = 1
        options.snapshots.baseEntriesMax = 1
        options.snapshots.upperRowsMin = 64
    }

    /// Appends of shrinking sizes stack files (each fits under half of the one before); the
    /// donors' statements then have lines in every file, and a gift given back cent by cent a
    /// row in each. Reports, and the rules' state, are
    /// those of the log: the base of four files answers as a fold from the genesis.
    @Test func aBaseOfFourFilesAnswersAsTheLog() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopen(Self.configure)
        var layers: [Int] = []
        for (round, count) in [200, 24, 8, 2].enumerated() {
            // After the first, each round also gives back a cent of the same gift: its reference's
            // entry, and its contribution's, change in every file.
            let reversal = EngineFixture.draft("contribution.reversed", by: EngineFixture.treasurer, [
                ("amount", .integer(1)), ("contribution", "R0-200"), ("reason", "refund"), ("ref", .string("RBT-\(round)")),
            ])
            _ = try ledger.append(LargeBatchTests.donations("R\(round)", count: count) + (round > 0 ? [reversal] : []))
            let state = try BulkCompactionTests.loaded(fixture, ledger)
            layers.append(try #require(state.baseKey).layers.count)
            #expect(try BulkCompactionTests.bulkFiles(fixture) == (try #require(state.baseKey)).names.sorted(), "only the files the core names")
        }
        #expect(layers == [1, 2, 3, 4], "a file more at each append: \(layers)")
        let fromLog = try fixture.reopen().view(mode: .fromLog)
        let saved = try #require(try LargeBatchTests.snapshotView(fixture))
        #expect(saved.records == fromLog.records)
        #expect(saved.view.projections == fromLog.projections)
        #expect(EngineFixture.cash(saved.view) == EngineFixture.cash(fromLog))
        let state = try BulkCompactionTests.loaded(fixture, ledger)
        let whole = try StateStore.fold(fixture.logPath, from: .genesis, to: UInt64(try fixture.logBytes().count), cut: .head).state
        #expect(state.rules == whole.rules, "the rules' state read through four files")
        // Every key read alone gives the row a read of the whole table gives (its newest, or a
        // statement's lines from every file), the reports' way and the projections' way.
        let base = try #require(state.base)
        var rows = 0
        for table in BulkTable.allCases {
            base.forEach(in: table) { key, value in
                rows += 1
                #expect(base.value(in: table, key: String(decoding: key, as: UTF8.self)) == Array(value), "\(table)")
            }
        }
        #expect(rows > 400 && !base.isDamaged)
        // One more append fits nowhere on top: merged into the top files, never a fifth.
        _ = try ledger.append(LargeBatchTests.donations("R4", count: 2))
        #expect(try #require(try BulkCompactionTests.loaded(fixture, ledger).baseKey).layers.count <= BulkFile.layersMax)
        #expect(try LargeBatchTests.snapshotView(fixture)?.view.projections == (try fixture.reopen().view(mode: .fromLog)).projections)
    }
}
