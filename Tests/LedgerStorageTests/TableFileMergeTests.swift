import Foundation
import LedgerCrypto
import Testing
@testable import LedgerStorage

/// A tables file rewritten by merging an old one with new rows (a snapshot's base after a
/// batch): the old rows with the new on top (a new row replaces the old row of its key), every
/// row in its bucket in (hash, key) order, B kept or multiplied by a power of two, and a damaged
/// old page stopping it.
@Suite struct TableFileMergeTests {
    typealias Row = (table: UInt8, key: String, value: [UInt8])

    /// `count` new rows: every `replaceEvery`-th replaces an old key of `old`, the others are new
    /// (some in table 4, which the old file does not hold).
    static func newRows(_ count: Int, over old: [Row], replaceEvery: Int) -> [Row] {
        var keys = Set<String>()
        return (0..<count).compactMap { index -> Row? in
            let row: Row
            if replaceEvery > 0, index % replaceEvery == 0, !old.isEmpty {
                let replaced = old[(index * 7) % old.count]
                row = (replaced.table, replaced.key, Array("new \(index)".utf8))
            } else {
                row = (UInt8(1 + index % 4), "NEW-\(index)", Array(repeating: UInt8(index % 251), count: index % 40))
            }
            return keys.insert("\(row.table) \(row.key)").inserted ? row : nil   // a key once per table
        }
    }

    static func oldRows(_ count: Int) -> [Row] { TableFileTests.rows(count).map { (table: $0.0, key: $0.1, value: $0.2) } }

    static func write(_ rows: [Row], to path: String) throws -> SHA256Digest {
        try TableFileTests.write(rows.map { ($0.table, $0.key, $0.value) }, to: path)
    }

    /// The old file, then the merge of `new` into it; the merged file opened.
    static func merge(_ old: [Row], _ new: [Row], extending: Set<UInt8> = []) throws -> (merged: TableFile, old: TableFile) {
        let directory = try TableFileTests.directory()
        let oldFile = try TableFile(path: directory + "/old.tables", digest: try Self.write(old, to: directory + "/old.tables"))
        var writer = TableFileWriter()
        for row in new { writer.add(table: row.table, key: row.key, value: row.value) }
        let digest = try writer.write(merging: oldFile, into: DirectoryHandle(path: directory), name: "merged.tables",
                                      extending: extending) { problem in
            Issue.record("no damage expected: \(problem)")
        }
        return (try TableFile(path: directory + "/merged.tables", digest: digest), oldFile)
    }

    /// What the merge must hold: the old rows, replaced and completed by the new ones (in the
    /// tables of `extending`, extended: the old value, then the new).
    static func expected(_ old: [Row], _ new: [Row], extending: Set<UInt8> = []) -> [UInt8: [String: [UInt8]]] {
        var tables: [UInt8: [String: [UInt8]]] = [:]
        for row in old { tables[row.table, default: [:]][row.key] = row.value }
        for row in new {
            let before = extending.contains(row.table) ? tables[row.table]?[row.key] ?? [] : []
            tables[row.table, default: [:]][row.key] = before + row.value
        }
        return tables
    }

    /// Every table of `file` holds exactly `expected`, each row found by key and seen once when
    /// read whole, the rows of a bucket in (hash, key) order.
    static func check(_ file: TableFile, holds expected: [UInt8: [String: [UInt8]]]) throws {
        #expect(file.tableIDs == expected.keys.sorted())
        // Every page, and every key in its bucket's filter (a split bucket's filters are made again).
        try file.checkEveryPage()
        for (table, rows) in expected {
            var seen: [String: [UInt8]] = [:]
            var order: [(bucket: UInt64, hash: UInt64, key: [UInt8])] = []
            let buckets = UInt64(file.shape(of: table)!.buckets)
            try file.forEach(table: table) { key, value in
                #expect(seen.updateValue(Array(value), forKey: String(decoding: key, as: UTF8.self)) == nil, "a key twice")
                let hash = TableFile.bucketHash(key)
                order.append((hash % buckets, hash, Array(key)))
            }
            #expect(seen == rows, "table \(table)")
            #expect(file.count(table: table) == rows.count)
            for (key, value) in rows { #expect(try file.value(table: table, key: key) == value, "\(key)") }
            #expect(try file.value(table: table, key: "ABSENT") == nil)
            let inOrder = zip(order, order.dropFirst()).allSatisfy { a, b in
                a.bucket != b.bucket ? a.bucket < b.bucket : a.hash != b.hash ? a.hash < b.hash : a.key.lexicographicallyPrecedes(b.key)
            }
            #expect(inOrder, "table \(table): rows out of (bucket, hash, key) order")
        }
    }

    @Test(arguments: [(3_000, 300, 3), (3_000, 1_500, 2), (3_000, 2_500, 0), (40, 200, 5), (5_000, 10, 1)])
    func theMergeHoldsTheOldRowsWithTheNewOnTop(_ oldCount: Int, _ newCount: Int, _ replaceEvery: Int) throws {
        let old = Self.oldRows(oldCount)
        let new = Self.newRows(newCount, over: old, replaceEvery: replaceEvery)
        let (merged, _) = try Self.merge(old, new)
        try Self.check(merged, holds: Self.expected(old, new))
    }

    /// B is kept while the rows average at most 16 a bucket, and otherwise multiplied by the
    /// smallest power of two that brings them there: doubled up to 32, quadrupled up to 64, and
    /// so on (an old bucket split in 2^k); a table of one bucket that takes thousands of rows
    /// still holds every row in order.
    @Test func bucketsAreKeptThenDoubledThenMultiplied() throws {
        let old = Self.oldRows(3_000)   // 1,000 rows a table: B = 125
        let few = Self.newRows(900, over: [], replaceEvery: 0)                // 225 a table
        let (kept, oldFile) = try Self.merge(old, few)
        #expect(oldFile.shape(of: 1)!.buckets == 125)
        #expect(kept.shape(of: 1)!.buckets == 125)
        #expect(kept.shape(of: 4)!.buckets == (225 + 7) / 8, "a table the old file lacks is written whole")
        let many = Self.newRows(8_000, over: [], replaceEvery: 0)             // 2,000 a table: 3,000 > 16 × 125
        let (doubled, _) = try Self.merge(old, many)
        #expect(doubled.shape(of: 1)!.buckets == 250)
        try Self.check(doubled, holds: Self.expected(old, many))
        let more = Self.newRows(16_000, over: [], replaceEvery: 0)           // 4,000 a table: 5,000 > 32 × 125
        let (quadrupled, _) = try Self.merge(old, more)
        #expect(quadrupled.shape(of: 1)!.buckets == 500)
        try Self.check(quadrupled, holds: Self.expected(old, more))
        let tiny = Self.oldRows(8)                                             // 2 rows a table: B = 1
        let (split, tinyFile) = try Self.merge(tiny, more)
        #expect(tinyFile.shape(of: 1)!.buckets == 1)
        #expect(split.shape(of: 1)!.buckets == 256, "4,002 rows: 1 × 2^8 buckets of at most 16")
        try Self.check(split, holds: Self.expected(tiny, more))
    }

    /// In a table that extends (a statement's lines), a new row of an old key is appended to the
    /// old value, whether the table keeps its buckets or doubles them; the other tables are
    /// replaced as before. Chained, the values grow round after round.
    @Test(arguments: [300, 3_000])
    func anExtendingTableAppendsTheNewValueToTheOld(_ newCount: Int) throws {
        let old = Self.oldRows(3_000)
        let new = Self.newRows(newCount, over: old, replaceEvery: 3)
        // The rows replaced are all of table 1 (old row 21k mod 3,000); table 1 also gets new keys.
        let oldKeys = Set(old.map { "\($0.table) \($0.key)" })
        let extended = new.filter { oldKeys.contains("\($0.table) \($0.key)") }
        #expect(!extended.isEmpty && extended.allSatisfy { $0.table == 1 } && new.contains { $0.table == 1 && $0.key.hasPrefix("NEW-") })
        let (merged, oldFile) = try Self.merge(old, new, extending: [1])
        #expect((merged.shape(of: 1)!.buckets == oldFile.shape(of: 1)!.buckets) == (newCount == 300))
        let expected = Self.expected(old, new, extending: [1])
        try Self.check(merged, holds: expected)
        let values = Dictionary(uniqueKeysWithValues: old.filter { $0.table == 1 }.map { ($0.key, $0.value) })
        for row in extended { #expect(try merged.value(table: 1, key: row.key) == values[row.key]! + row.value, "\(row.key)") }
    }

    /// A merged file merged again: a base rewritten after batch upon batch.
    @Test func mergesChain() throws {
        var rows = Self.oldRows(2_000)
        let directory = try TableFileTests.directory()
        var digest = try Self.write(rows, to: directory + "/0.tables")
        for round in 1...4 {
            let old = try TableFile(path: directory + "/\(round - 1).tables", digest: digest)
            // Half replace rows of earlier rounds; the others are new keys of this round.
            let new = Self.newRows(700, over: rows, replaceEvery: 2).map { row -> Row in
                (row.table, row.key.hasPrefix("NEW-") ? "\(row.key)-\(round)" : row.key, row.value)
            }
            var writer = TableFileWriter()
            for row in new { writer.add(table: row.table, key: row.key, value: row.value) }
            digest = try writer.write(merging: old, into: DirectoryHandle(path: directory), name: "\(round).tables") { _ in }
            rows += new
        }
        try Self.check(try TableFile(path: directory + "/4.tables", digest: digest), holds: Self.expected(rows, []))
    }

    /// Rows of several upper files gathered in memory (`overlay`), then merged into the
    /// lower file, hold what merging them one after the other would: each newer row replaces
    /// the older of its key or, in a table that extends, follows it.
    @Test(arguments: [Set<UInt8>(), [2]])
    func rowsOverlaidThenMergedHoldWhatMergesOneAfterTheOtherWould(_ extending: Set<UInt8>) throws {
        let lower = Self.oldRows(3_000)
        var rounds: [[Row]] = []
        var seen = lower
        for round in 1...3 {
            let new = Self.newRows(600 / round, over: seen, replaceEvery: 2).map { row -> Row in
                (row.table, row.key.hasPrefix("NEW-") ? "\(row.key)-\(round % 2)" : row.key, row.value + [UInt8(round)])
            }
            rounds.append(new)
            seen += new
        }
        // Keys of the first round come again in the third, in table 2 (`NEW-i-1` is new in both odd
        // rounds), and keys of the lower file in more than one round.
        let keys = rounds.map { Set($0.map { "\($0.table) \($0.key)" }) }
        #expect(keys[0].intersection(keys[2]).contains { $0.hasPrefix("2 NEW-") })
        #expect(keys[0].union(keys[1]).intersection(keys[2]).contains { $0.hasPrefix("2 ") && !$0.contains("NEW") })
        var gathered: TableFileWriter?
        for new in rounds {
            var writer = TableFileWriter()
            for row in new { writer.add(table: row.table, key: row.key, value: row.value) }
            if gathered == nil { gathered = writer } else { try gathered!.overlay(writer, extending: extending) }
        }
        let directory = try TableFileTests.directory()
        let lowerFile = try TableFile(path: directory + "/lower.tables", digest: try Self.write(lower, to: directory + "/lower.tables"))
        let digest = try gathered!.write(merging: lowerFile, into: DirectoryHandle(path: directory), name: "merged.tables",
                                         extending: extending) { Issue.record("no damage expected: \($0)") }
        var expected = Self.expected(lower, [], extending: extending)
        for new in rounds {
            for row in new {
                let before = extending.contains(row.table) ? expected[row.table]?[row.key] ?? [] : []
                expected[row.table, default: [:]][row.key] = before + row.value
            }
        }
        try Self.check(try TableFile(path: directory + "/merged.tables", digest: digest), holds: expected)
    }

    /// A page of the old file that fails its hash stops the merge: the caller hears why, and no
    /// merged file is left behind.
    @Test func aDamagedOldPageStopsTheMerge() throws {
        let directory = try TableFileTests.directory()
        let path = directory + "/old.tables"
        let digest = try TableFileTests.write(TableFileTests.rows(30_000), to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[4_096 + 100_000] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        let old = try TableFile(path: path, digest: digest)
        var writer = TableFileWriter()
        for row in Self.newRows(100, over: [], replaceEvery: 0) { writer.add(table: row.table, key: row.key, value: row.value) }
        var heard: [TableFile.Problem] = []
        #expect(throws: StorageError.self) {
            _ = try writer.write(merging: old, into: DirectoryHandle(path: directory), name: "merged.tables") { heard.append($0) }
        }
        #expect(heard.count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory + "/merged.tables"))
    }
}
