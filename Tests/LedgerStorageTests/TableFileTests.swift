import Foundation
import LedgerCrypto
import Testing
@testable import LedgerStorage

/// The keyed tables file of a snapshot's bulk tables: every row read back by key, absent keys
/// absent, the same rows always the same bytes, and every kind of damage refused (at open for
/// the header and index, at the read for a page).
@Suite struct TableFileTests {
    static func rows(_ count: Int, seed: UInt64 = 7) -> [(UInt8, String, [UInt8])] {
        (0..<count).map { index in
            let table = UInt8(1 + index % 3)
            let value = (0..<(index % 97)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index &+ Int(seed)) }
            return (table, "KEY-\(index)-\(seed)", value)
        }
    }

    static func write(_ rows: [(UInt8, String, [UInt8])], to path: String) throws -> SHA256Digest {
        var writer = TableFileWriter()
        for (table, key, value) in rows { writer.add(table: table, key: key, value: value) }
        return try writer.write(to: path)
    }

    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "tables-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: [0, 1, 33, 5_000])
    func everyRowReadsBackByKey(_ count: Int) throws {
        let path = try Self.directory() + "/t.tables"
        let rows = Self.rows(count)
        let digest = try Self.write(rows, to: path)
        let file = try TableFile(path: path, digest: digest)
        for (table, key, value) in rows { #expect(try file.value(table: table, key: key) == value, "\(key)") }
        #expect(try file.value(table: 1, key: "ABSENT") == nil)
        #expect(try file.value(table: 9, key: "KEY-0-7") == nil)
        for table in UInt8(1)...3 {
            var seen: [String: [UInt8]] = [:]
            try file.forEach(table: table) { key, value in seen[String(decoding: key, as: UTF8.self)] = Array(value) }
            let expected = Dictionary(uniqueKeysWithValues: rows.filter { $0.0 == table }.map { ($0.1, $0.2) })
            #expect(seen == expected)
            #expect(file.count(table: table) == expected.count)
        }
    }

    /// Past `lookupsBeforeWhole` lookups in a table, a file reads the table whole and answers
    /// from memory: the same answers, present or absent, before and after.
    @Test func lookupsAnswerTheSameOnceATableIsReadWhole() throws {
        let path = try Self.directory() + "/t.tables"
        let rows = Self.rows(12_000)
        let file = try TableFile(path: path, digest: try Self.write(rows, to: path))
        let table1 = rows.filter { $0.0 == 1 }
        #expect(table1.count > TableFile.lookupsBeforeWhole)
        for round in 0..<2 {
            for (table, key, value) in table1 {
                #expect(try file.value(table: table, key: key) == value, "round \(round): \(key)")
                #expect(try file.value(table: table, key: key + "-ABSENT") == nil)
            }
        }
        for (table, key, value) in rows where table != 1 { #expect(try file.value(table: table, key: key) == value) }
    }

    /// A page damaged where no lookup went before is caught when the table is read whole.
    @Test func aTableReadWholeChecksEveryPage() throws {
        let path = try Self.directory() + "/t.tables"
        let rows = Self.rows(12_000)
        let digest = try Self.write(rows, to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // The last row of table 1 (the first table of the data): its key is looked up last.
        let last = try #require(rows.last { $0.0 == 1 })
        let at = try #require(bytes.range(of: Data(last.1.utf8)))
        bytes[at.lowerBound] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: path))
        let file = try TableFile(path: path, digest: digest)
        let page = (at.lowerBound - 4_096) / 4_096
        // A key on a clean page reads well page by page, until the lookup that reads its table whole.
        let probe = rows[0]
        #expect(probe.0 == 1 && rows.filter { $0.0 == 1 }.count / 256 < TableFile.lookupsBeforeWhole)
        for _ in 1..<TableFile.lookupsBeforeWhole { #expect(try file.value(table: 1, key: probe.1) == probe.2) }
        #expect(throws: TableFile.Problem.corrupt("page \(page) does not match its hash")) { try file.value(table: 1, key: probe.1) }
    }

    /// A whole read takes a page a lookup already checked as it was checked, without hashing it
    /// again: bytes changed under the open file since are not read, and a page never checked
    /// still is.
    @Test func aWholeReadTakesThePagesALookupChecked() throws {
        let path = try Self.directory() + "/t.tables"
        let rows = Self.rows(3_000)
        let file = try TableFile(path: path, digest: try Self.write(rows, to: path))
        let first = rows[0]
        #expect(try file.value(table: first.0, key: first.1) == first.2)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let at = try #require(original.range(of: Data(first.1.utf8))).lowerBound
        // The checked page changed in place, under the open file.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(at))
        try handle.write(contentsOf: Data("XEY".utf8))
        var seen: [String: [UInt8]] = [:]
        try file.forEach(table: first.0) { key, value in seen[String(decoding: key, as: UTF8.self)] = Array(value) }
        #expect(seen[first.1] == first.2, "the page as it was checked")
        #expect(seen.count == rows.filter { $0.0 == first.0 }.count)
        // A page of another table, never checked, changed the same way.
        let other = try #require(rows.last { $0.0 == 3 })
        let otherAt = try #require(original.range(of: Data(other.1.utf8))).lowerBound
        try handle.seek(toOffset: UInt64(otherAt))
        try handle.write(contentsOf: Data("XEY".utf8))
        try handle.close()
        let page = (otherAt - 4_096) / 4_096
        #expect(throws: TableFile.Problem.corrupt("page \(page) does not match its hash")) {
            try file.forEach(table: 3) { _, _ in }
        }
    }

    @Test func theSameRowsMakeTheSameBytesWhateverTheirOrder() throws {
        let directory = try Self.directory()
        let rows = Self.rows(3_000)
        let first = try Self.write(rows, to: directory + "/a.tables")
        let second = try Self.write(rows.reversed(), to: directory + "/b.tables")
        #expect(first == second)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/a.tables")) == Data(contentsOf: URL(fileURLWithPath: directory + "/b.tables")))
    }

    /// A file written table by table (a whole base: one table's rows in memory at a time) has
    /// the bytes of one writer holding every row, whatever order the tables are named in, a
    /// table asked for that has no rows being no table.
    @Test func aFileWrittenTableByTableIsTheFileOfOneWriter() throws {
        let directory = try Self.directory()
        let rows = Self.rows(5_000)
        let whole = try Self.write(rows, to: directory + "/whole.tables")
        let byTable = try TableFileWriter.write(tables: [3, 9, 1, 2], into: DirectoryHandle(path: directory), name: "tables.tables") { id in
            var writer = TableFileWriter()
            for (table, key, value) in rows where table == id { writer.add(table: table, key: key, value: value) }
            return writer
        }
        #expect(byTable == whole)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/whole.tables"))
                == Data(contentsOf: URL(fileURLWithPath: directory + "/tables.tables")))
        #expect(try TableFile(path: directory + "/tables.tables", digest: byTable).tableIDs == [1, 2, 3])
    }

    @Test func anotherDigestOrAMissingFileIsRefusedAtOpen() throws {
        let path = try Self.directory() + "/t.tables"
        _ = try Self.write(Self.rows(100), to: path)
        #expect(throws: TableFile.Problem.self) { try TableFile(path: path, digest: SHA256.hash([1, 2, 3])) }
        #expect(throws: TableFile.Problem.missing) { try TableFile(path: path + ".gone", digest: .zero) }
    }

    /// A byte flipped anywhere: in the header or the meta, opening fails; in the data or the page
    /// hashes, the page (or group of pages) it is in fails its hash when read (by key or whole),
    /// and the other pages still read.
    @Test func aFlippedByteIsCaughtWhereverItIs() throws {
        let path = try Self.directory() + "/t.tables"
        let rows = Self.rows(30_000)   // about 2 MB of data: several groups of 128 pages
        let digest = try Self.write(rows, to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        func field(_ at: Int) -> Int { Int(original[at..<(at + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }) }
        let dataBytes = field(24), hashBytes = field(32)
        #expect(4_096 + dataBytes + hashBytes + field(40) == original.count)
        let checkedWhenRead = 4_096..<(4_096 + dataBytes + hashBytes)
        for position in [3, 20, 30, 38, 44, 4_096 + dataBytes + 5, 4_096 + dataBytes + hashBytes - 1, original.count - 1, 4_096,
                         4_096 + dataBytes / 2, 4_096 + dataBytes - 1] {
            var damaged = original
            damaged[position] ^= 0x20
            try damaged.write(to: URL(fileURLWithPath: path))
            guard checkedWhenRead.contains(position) else {
                #expect(throws: TableFile.Problem.self, "byte \(position)") { try TableFile(path: path, digest: digest) }
                continue
            }
            let file = try TableFile(path: path, digest: digest)
            #expect(throws: TableFile.Problem.self, "byte \(position)") { try file.checkEveryPage() }
            if position < 4_096 + dataBytes {
                // A whole read checks a megabyte of pages at a time, on two threads: it names the page.
                let page = (position - 4_096) / 4_096
                #expect(throws: TableFile.Problem.corrupt("page \(page) does not match its hash"), "byte \(position)") {
                    try file.checkEveryPage()
                }
            }
            var failures = 0
            for (table, key, value) in rows {
                do {
                    #expect(try file.value(table: table, key: key) == value)
                } catch {
                    failures += 1
                }
            }
            // Every damage is caught. A damaged page of rows fails the rows of its buckets only; a
            // damaged group of page hashes, every row of its 128 pages (and the last group, which
            // covers the bucket offsets and filters at the end of the data, every row).
            #expect(failures > 0, "byte \(position)")
            if position == 4_096 + dataBytes / 2 { #expect(failures < rows.count / 20, "byte \(position): \(failures) rows fail") }
        }
        // A truncated file does not open.
        try original.prefix(original.count - 40).write(to: URL(fileURLWithPath: path))
        #expect(throws: TableFile.Problem.self) { try TableFile(path: path, digest: digest) }
    }

    /// An absent key is answered by its bucket's filter, without reading the bucket's rows, but
    /// for the few whose bits happen to be set (about 3 % at 8 rows a bucket); a present key
    /// always passes (every row reads back: `everyRowReadsBackByKey`, and after merges).
    @Test func absentKeysAreAnsweredByTheirBucketsFilter() throws {
        let path = try Self.directory() + "/t.tables"
        let rows = Self.rows(12_000)
        let file = try TableFile(path: path, digest: try Self.write(rows, to: path))
        let absent = 1_000
        for index in 0..<absent { #expect(try file.value(table: 2, key: "ABSENT-\(index)") == nil) }
        #expect(file.rowLookups(in: 2) < absent / 10, "\(file.rowLookups(in: 2)) absent keys read their bucket")
        #expect(file.rowLookups(in: 2) > 0, "the filter is a filter, not a second index")
        let before = file.rowLookups(in: 1)
        for (table, key, value) in rows.prefix(300) where table == 1 { #expect(try file.value(table: table, key: key) == value) }
        #expect(file.rowLookups(in: 1) == before + 100)
    }

    /// The filters are in the data, so the page hashes vouch for them like for any byte; and a
    /// whole check also checks that each key is in its bucket's filter, so that a file whose
    /// filter lost a key (a writer's bug), its hashes recomputed, is caught there, not trusted.
    @Test func aFilterThatLostAKeyIsCaughtByTheWholeCheck() throws {
        let path = try Self.directory() + "/t.tables"
        let rows = Self.rows(3_000)
        _ = try Self.write(rows, to: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func field(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        let (dataBytes, hashBytes, metaBytes) = (field(24), field(32), field(40))
        let meta = 4_096 + dataBytes + hashBytes
        // Table 1 is the first in the meta: id, rows, B, index. Its bucket 0's filter is cleared.
        let (buckets, index) = (field(meta + 8 + 16), field(meta + 8 + 24))
        let filter = 4_096 + index + 8 * (buckets + 1)
        #expect(field(filter) != 0)
        for offset in 0..<8 { bytes[filter + offset] = 0 }
        // Its page's hash, its group's hash, and so the digest, made to match.
        let page = (filter - 4_096) / 4_096
        let pageBytes = bytes[(4_096 + page * 4_096)..<min(4_096 + (page + 1) * 4_096, 4_096 + dataBytes)]
        bytes.replaceSubrange((4_096 + dataBytes + 32 * page)..<(4_096 + dataBytes + 32 * page + 32), with: SHA256.hash(Array(pageBytes)).bytes)
        let group = page / 128, groups = (hashBytes / 32 + 127) / 128
        #expect(groups == 1)
        let groupHash = SHA256.hash(Array(bytes[(4_096 + dataBytes)..<(4_096 + dataBytes + hashBytes)]))
        bytes.replaceSubrange((meta + metaBytes - 32 * (groups - group))..<(meta + metaBytes), with: groupHash.bytes)
        var hasher = SHA256()
        hasher.update(Array(bytes[0..<64]))
        hasher.update(Array(bytes[meta...]))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let file = try TableFile(path: path, digest: hasher.finalized())
        // Its keys of bucket 0 are now hidden from lookups...
        let bucket0 = rows.filter { $0.0 == 1 && TableFile.bucketHash(Array($0.1.utf8)) % UInt64(buckets) == 0 }
        #expect(!bucket0.isEmpty)
        for (table, key, _) in bucket0 { #expect(try file.value(table: table, key: key) == nil) }
        // ...and the whole check says so.
        #expect(throws: TableFile.Problem.corrupt("a key of table 1 is missing from its bucket's filter")) { try file.checkEveryPage() }
    }
}
