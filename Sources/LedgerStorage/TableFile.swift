#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto

/// An immutable file of keyed tables (key → bytes) that is read in place: opening it reads only
/// its header and a few kilobytes of meta, and a lookup reads and checks the pages its key's
/// bucket lies in. A snapshot keeps the tables that grow with every contribution in one, so
/// that an append or a report on a million-contribution ledger does not load them
/// (Specs/reports.md, section 6).
///
/// Layout, little-endian (D, H and X are the lengths of the three sections after the first page):
/// - bytes 0..<64 of the first page: the magic `ledger.tables.v1`, the page size (u64, 4096), D,
///   H and X (u64 each), then zeros to 4096;
/// - the data section (D bytes from 4096): rows `key length (1 byte) | key | value length (u32)
///   | value`, table by table in ascending id, bucket by bucket, by key hash then key bytes
///   within a bucket; then, per table, its bucket offsets (B + 1 u64: bucket b's rows are the
///   data bytes `[offset b, offset b+1)`) and its bucket filters (B u64: `filterBits` of every
///   key in bucket b, OR-ed);
/// - the page hashes (H bytes): the SHA-256 of every 4096-byte page of the data section (the
///   last one may be short);
/// - the meta (X bytes): the table count (u64), per table its id, row count, bucket count B and
///   the data offset of its bucket offsets (u64 each), then the SHA-256 of each group of 128
///   page hashes (4096 bytes; the last group may be short).
///
/// A key's bucket is its FNV-1a 64 hash modulo B. A key whose bits are not all in its bucket's
/// filter is absent, found so without reading the bucket's rows: an append folds new references
/// and contributions, absent from the base, and each cost a page read and hash.
///
/// The file's digest is the SHA-256 of bytes 0..<64 and the meta; whoever names the file keeps
/// it. So the digest vouches for the group hashes, which vouch for the page hashes, which vouch
/// for every page read (rows, offsets or filters): a damaged byte anywhere is caught before it
/// is used.
public final class TableFile: @unchecked Sendable {
    public static let pageSize = 4096
    static let pagesPerGroup = 128
    static let magic = Array("ledger.tables.v2".utf8)
    static let headerBytes = 64
    static let rowsPerBucket = 8

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case missing
        case corrupt(String)

        public var description: String {
            switch self {
            case .missing: return "missing"
            case .corrupt(let why): return "corrupt (\(why))"
            }
        }
    }

    struct Table {
        let rows: Int
        let buckets: Int
        /// Where the table's bucket offsets lie in the data section.
        let index: UInt64

        /// Where its bucket filters lie: right after the B + 1 offsets.
        var filters: UInt64 { index + 8 * UInt64(buckets + 1) }
    }

    private let file: SystemFile
    private let dataBytes: UInt64
    /// The tables by id, a slot for each of the 256 (a dictionary hashed the id at each lookup).
    private let tables: [Table?]
    private let groupHashes: [UInt8]
    // Guarded by `lock`, so not checked for exclusive access at run time as well (two such
    // checks per cached page a lookup reads).
    /// Pages (and groups of page hashes) read and found to match their hashes, by number: a
    /// slot per page (8 bytes each, 240 KB for a base of 120 MB), where a dictionary hashed the
    /// page number at every lookup.
    @exclusivity(unchecked) private var verifiedPages: [[UInt8]?]
    @exclusivity(unchecked) private var verifiedGroups: [[UInt8]?]
    /// Lookups so far that read rows (past the filters) by table id, and the tables read whole
    /// (`Whole`).
    @exclusivity(unchecked) private var lookups = [Int](repeating: 0, count: 256)
    @exclusivity(unchecked) private var wholeTables = [Whole?](repeating: nil, count: 256)
    @exclusivity(unchecked) private var lock = pthread_mutex_t()

    /// After this many lookups that read a table's rows, and one per 256 of its rows (about half
    /// its pages: the pages random lookups would read anyway), the next reads and checks all its
    /// pages at once, on two threads, and later lookups read them in memory: a batch of 17,000
    /// contributions looks up each reference, which took a read, a copy and a hash of a page or
    /// two each. A command that looks up a few keys reads a few pages.
    static let lookupsBeforeWhole = 1_024

    static func lookupsBeforeWhole(_ table: Table) -> Int { max(lookupsBeforeWhole, table.rows / 256) }

    /// Opens the file at `path` if its digest is `digest` (see `init(in:name:digest:)`).
    public convenience init(path: String, digest: SHA256Digest) throws(Problem) {
        let (directory, name) = DirectoryHandle.split(path)
        guard let opened = try? DirectoryHandle(path: directory) else { throw .missing }
        try self.init(in: opened, name: name, digest: digest)
    }

    /// Opens the file `name` of `directory` if its digest is `digest`. A link at `name` is not
    /// followed: it is a corrupt file (a cache, rebuilt), never a way to read another one.
    public init(in directory: DirectoryHandle, name: String, digest: SHA256Digest) throws(Problem) {
        let opened: SystemFile?
        do { opened = try directory.openFile(name, flags: O_RDONLY) } catch { throw .corrupt("\(error)") }
        guard let file = opened else { throw .missing }
        do {
            let size = try file.size()
            let header = try file.read(at: 0, count: min(Self.headerBytes, Int(size)))
            guard header.count == Self.headerBytes, Array(header[0..<16]) == Self.magic,
                  LittleEndian.load(header, at: 16) == UInt64(Self.pageSize) else { throw Problem.corrupt("not a tables file") }
            let (dataBytes, hashBytes, metaBytes) = (LittleEndian.load(header, at: 24), LittleEndian.load(header, at: 32),
                                                     LittleEndian.load(header, at: 40))
            let pages = (dataBytes + UInt64(Self.pageSize) - 1) / UInt64(Self.pageSize)
            guard dataBytes <= size, hashBytes == 32 * pages, metaBytes <= size,
                  UInt64(Self.pageSize) + dataBytes + hashBytes + metaBytes == size else {
                throw Problem.corrupt("its length does not match its header")
            }
            let meta = try file.read(at: UInt64(Self.pageSize) + dataBytes + hashBytes, count: Int(metaBytes))
            var hasher = SHA256()
            hasher.update(header)
            hasher.update(meta)
            guard hasher.finalized() == digest else { throw Problem.corrupt("it is not the file its snapshot names") }
            (tables, groupHashes) = try Self.parseMeta(meta, dataBytes: dataBytes, pages: Int(pages))
            verifiedPages = Array(repeating: nil, count: Int(pages))
            verifiedGroups = Array(repeating: nil, count: (Int(pages) + Self.pagesPerGroup - 1) / Self.pagesPerGroup)
            self.file = file
            self.dataBytes = dataBytes
        } catch let problem as Problem {
            throw problem
        } catch {
            throw .corrupt("unreadable: \(error)")
        }
        pthread_mutex_init(&lock, nil)
    }

    deinit { pthread_mutex_destroy(&lock) }

    /// The ids of the tables the file holds, ascending.
    var tableIDs: [UInt8] { tables.indices.filter { tables[$0] != nil }.map { UInt8($0) } }

    /// Table `id`'s rows, buckets and index, if the file holds it (for a merge).
    func shape(of id: UInt8) -> Table? { tables[Int(id)] }

    /// The number of rows of table `id` (0 for a table the file does not hold).
    public func count(table id: UInt8) -> Int { tables[Int(id)]?.rows ?? 0 }

    /// The number of rows of every table.
    public var rowCount: Int { tables.reduce(0) { $0 + ($1?.rows ?? 0) } }

    /// Reads every table through, checking each page, and that each key's bits are in its
    /// bucket's filter (a filter that missed one would hide the row from lookups).
    public func checkEveryPage() throws(Problem) {
        for id in tableIDs {
            let table = tables[Int(id)]!
            let filters = try verifiedBytes(table.filters, table.filters + 8 * UInt64(table.buckets), cache: false)
            var missing = false
            try forEach(table: id) { key, _ in
                let hash = Self.bucketHash(key)
                let bits = Self.filterBits(hash)
                let filter = LittleEndian.load(filters, at: filters.startIndex + 8 * Int(hash % UInt64(table.buckets)))
                if filter & bits != bits { missing = true }
            }
            guard !missing else { throw .corrupt("a key of table \(id) is missing from its bucket's filter") }
        }
    }

    /// The value stored under `key` in table `id`, or nil.
    public func value(table id: UInt8, key: String) throws(Problem) -> [UInt8]? {
        guard let table = tables[Int(id)] else { return nil }
        // The key's bytes where they lie (an array of them per lookup cost as much as the hash).
        var key = key
        return try key.withUTF8 { keyBytes in Result { () throws(Problem) in try value(table, id, keyBytes) } }.get()
    }

    private func value(_ table: Table, _ id: UInt8, _ keyBytes: UnsafeBufferPointer<UInt8>) throws(Problem) -> [UInt8]? {
        let hash = Self.bucketHash(keyBytes)
        let bucket = Int(hash % UInt64(table.buckets))
        let bits = Self.filterBits(hash)
        if let whole = wholeTable(id) {
            guard whole.filter(of: bucket) & bits == bits else { return nil }
            return try Self.row(keyBytes, in: try whole.rows(of: bucket)).map { Array($0) }
        }
        guard try bucketFilter(table, bucket) & bits == bits else { return nil }
        // Only lookups the filter lets through count towards reading the table whole: they are
        // the ones that read its rows.
        if noteLookup(in: id) == Self.lookupsBeforeWhole(table) {
            try readWhole(table, id: id)
            return try value(table, id, keyBytes)
        }
        let (start, end) = try bucketRange(table, bucket)
        guard start < end else { return nil }
        return try Self.row(keyBytes, in: try verifiedBytes(start, end)).map { Array($0) }
    }

    /// The bits a key sets in its bucket's filter: three of 64, drawn from its FNV-1a hash
    /// mixed (SplitMix64's finalizer), so that keys of one bucket set independent bits. With 8
    /// keys a bucket, an absent key passes about 3 % of the time; with 16, about 15 %.
    static func filterBits(_ hash: UInt64) -> UInt64 {
        var mixed = hash
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        mixed ^= mixed >> 31
        return 1 << (mixed & 63) | 1 << ((mixed >> 6) & 63) | 1 << ((mixed >> 12) & 63)
    }

    /// A table's bucket offsets, filters and rows, read whole and checked.
    struct Whole {
        let offsets: ArraySlice<UInt8>
        let filters: ArraySlice<UInt8>
        let rows: ArraySlice<UInt8>
        /// The data offset of `rows`' first byte.
        let start: UInt64

        /// Bucket `bucket`'s rows.
        func rows(of bucket: Int) throws(Problem) -> ArraySlice<UInt8> {
            let at = offsets.startIndex + 8 * bucket
            let (first, last) = (LittleEndian.load(offsets, at: at), LittleEndian.load(offsets, at: at + 8))
            guard start <= first, first <= last, last - start <= UInt64(rows.count) else { throw .corrupt("its bucket offsets are out of order") }
            return rows[(rows.startIndex + Int(first - start))..<(rows.startIndex + Int(last - start))]
        }

        /// Bucket `bucket`'s filter.
        func filter(of bucket: Int) -> UInt64 { LittleEndian.load(filters, at: filters.startIndex + 8 * bucket) }
    }

    /// Table `id`, if it was read whole.
    private func wholeTable(_ id: UInt8) -> Whole? { locked { wholeTables[Int(id)] } }

    /// The lookups in table `id` that read its rows, so far (those its filters let through).
    func rowLookups(in id: UInt8) -> Int { locked { lookups[Int(id)] } }

    /// One more lookup in table `id` that reads its rows: how many there were.
    private func noteLookup(in id: UInt8) -> Int {
        locked {
            lookups[Int(id)] += 1
            return lookups[Int(id)]
        }
    }

    /// `body` under `lock`, which guards the caches and counts that reading threads share.
    private func locked<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return body()
    }

    /// Reads and checks the pages of `table`'s bucket offsets and filters, then of its rows, as
    /// a whole read does (`verifiedBytes` uncached: a megabyte at once, on two threads), and
    /// keeps them for the lookups after (`wholeTables`).
    private func readWhole(_ table: Table, id: UInt8) throws(Problem) {
        let offsets = try verifiedBytes(table.index, table.filters, cache: false)
        let filters = try verifiedBytes(table.filters, table.filters + 8 * UInt64(table.buckets), cache: false)
        let (start, end) = (LittleEndian.load(offsets, at: offsets.startIndex), LittleEndian.load(offsets, at: offsets.endIndex - 8))
        guard start <= end, end <= table.index else { throw .corrupt("its bucket offsets are out of order") }
        let rows = start < end ? try verifiedBytes(start, end, cache: false) : []
        let whole = Whole(offsets: offsets, filters: filters, rows: rows, start: start)
        locked { wholeTables[Int(id)] = whole }
    }

    /// The value of the row whose key is `key` among the whole rows of `bytes`, if any: the
    /// lookup's scan (a batch looks up every new reference), which compares a key's length
    /// before its bytes and stops at the row found.
    static func row(_ key: UnsafeBufferPointer<UInt8>, in bytes: ArraySlice<UInt8>) throws(Problem) -> ArraySlice<UInt8>? {
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let row = try rowBounds(bytes, at: position)
            if row.key.count == key.count, same(bytes[row.key], key) { return bytes[row.value] }
            position = row.value.upperBound
        }
        return nil
    }

    /// Every row of table `id`, in the file's order (bucket by bucket).
    public func forEach(table id: UInt8, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) throws(Problem) {
        guard let table = tables[Int(id)] else { return }
        let offsets = try bucketOffsets(table, 0...table.buckets)
        var bucket = 0
        while bucket < table.buckets {
            // A megabyte at a time, cut at a bucket boundary so that no row is split.
            var next = bucket + 1
            while next < table.buckets && offsets[next] - offsets[bucket] < 1 << 20 { next += 1 }
            if offsets[bucket] < offsets[next] {
                try Self.forEachRow(try verifiedBytes(offsets[bucket], offsets[next], cache: false), body)
            }
            bucket = next
        }
    }

    /// The data bytes of bucket `bucket`'s rows: its two offsets, read in place (no array).
    private func bucketRange(_ table: Table, _ bucket: Int) throws(Problem) -> (UInt64, UInt64) {
        let bytes = try verifiedBytes(table.index + 8 * UInt64(bucket), table.index + 8 * UInt64(bucket + 2))
        let (start, end) = (LittleEndian.load(bytes, at: bytes.startIndex), LittleEndian.load(bytes, at: bytes.startIndex + 8))
        guard start <= end, end <= table.index else { throw .corrupt("its bucket offsets are out of order") }
        return (start, end)
    }

    /// Bucket `bucket`'s filter, read in place.
    private func bucketFilter(_ table: Table, _ bucket: Int) throws(Problem) -> UInt64 {
        let at = table.filters + 8 * UInt64(bucket)
        let bytes = try verifiedBytes(at, at + 8)
        return LittleEndian.load(bytes, at: bytes.startIndex)
    }

    /// Byte equality by `memcmp` (`elementsEqual` across a slice and a buffer is generic).
    private static func same(_ row: ArraySlice<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        row.withUnsafeBytes { a in a.count == key.count && (a.isEmpty || memcmp(a.baseAddress!, key.baseAddress!, a.count) == 0) }
    }

    /// Bucket offsets `buckets` of `table`, checked to lie in order inside the table's rows.
    func bucketOffsets(_ table: Table, _ buckets: ClosedRange<Int>) throws(Problem) -> [UInt64] {
        let bytes = try verifiedBytes(table.index + 8 * UInt64(buckets.lowerBound), table.index + 8 * UInt64(buckets.upperBound + 1))
        let offsets = stride(from: bytes.startIndex, to: bytes.endIndex, by: 8).map { LittleEndian.load(bytes, at: $0) }
        guard zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }), let last = offsets.last, last <= table.index else {
            throw .corrupt("its bucket offsets are out of order")
        }
        return offsets
    }

    /// The data bytes `[start, end)`, every page they touch checked against its hash.
    func verifiedBytes(_ start: UInt64, _ end: UInt64, cache: Bool = true) throws(Problem) -> ArraySlice<UInt8> {
        guard start < end && end <= dataBytes else { throw .corrupt("a range outside its data") }
        let firstPage = Int(start / UInt64(Self.pageSize)), lastPage = Int((end - 1) / UInt64(Self.pageSize))
        if firstPage == lastPage {
            // Within one page (a bucket's offsets, most buckets): a slice of the page, not a copy.
            let offset = Int(start) - firstPage * Self.pageSize
            return try verifiedPage(firstPage, cache: cache)[offset..<(offset + Int(end - start))]
        }
        let offset = Int(start) - firstPage * Self.pageSize
        guard cache else { return try verifiedPages(firstPage...lastPage)[offset..<(offset + Int(end - start))] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((lastPage - firstPage + 1) * Self.pageSize)
        for page in firstPage...lastPage { bytes.append(contentsOf: try verifiedPage(page, cache: cache)) }
        return bytes[offset..<(offset + Int(end - start))]
    }

    /// Pages `pages`, read at once and checked against their hashes on every core: a merge or a
    /// whole read (a base rewrite, a report's check of every page) reads a megabyte at a time,
    /// where a page at a time cost a read, an array and a hash on one core each. A page this file
    /// has already checked is taken as it was checked, not hashed again: a table read whole after
    /// a thousand lookups has most of its pages already.
    private func verifiedPages(_ pages: ClosedRange<Int>) throws(Problem) -> [UInt8] {
        let offset = UInt64(pages.lowerBound * Self.pageSize)
        var bytes = try read(at: UInt64(Self.pageSize) + offset, count: Int(min(UInt64(pages.count * Self.pageSize), dataBytes - offset)))
        var unchecked: [Int] = []
        locked {
            for page in pages {
                guard let known = verifiedPages[page] else {
                    unchecked.append(page)
                    continue
                }
                let at = (page - pages.lowerBound) * Self.pageSize
                bytes.replaceSubrange(at..<(at + known.count), with: known)
            }
        }
        guard !unchecked.isEmpty else { return bytes }
        var expected: [UInt8] = []
        expected.reserveCapacity(32 * unchecked.count)
        for page in unchecked { expected.append(contentsOf: try expectedHash(of: page)) }
        let actual = bytes.withUnsafeBytes { raw in
            Self.pageHashes(of: unchecked.map { $0 - pages.lowerBound }, in: raw)
        }
        guard actual != expected else { return bytes }
        let index = stride(from: 0, to: actual.count, by: 32).first { actual[$0..<($0 + 32)] != expected[$0..<($0 + 32)] }! / 32
        throw .corrupt("page \(unchecked[index]) does not match its hash")
    }

    /// The SHA-256 of pages `pages` of `bytes` (the last may be short), side by side, hashed on
    /// two threads when there are enough pages to be worth one.
    static func pageHashes(of pages: [Int], in bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let digests = ParallelWork.map(count: pages.count, parts: pages.count >= 32 ? min(2, ParallelWork.cores) : 1) { index in
            let page = pages[index]
            return SHA256.hash(UnsafeRawBufferPointer(rebasing: bytes[(page * pageSize)..<min((page + 1) * pageSize, bytes.count)]))
        }
        var hashes: [UInt8] = []
        hashes.reserveCapacity(32 * pages.count)
        for digest in digests { digest.withUnsafeBytes { hashes.append(contentsOf: $0) } }
        return hashes
    }

    /// The SHA-256 of every page of `bytes` (the last may be short), side by side.
    static func pageHashes(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        pageHashes(of: Array(0..<((bytes.count + pageSize - 1) / pageSize)), in: bytes)
    }

    private func verifiedPage(_ page: Int, cache: Bool) throws(Problem) -> [UInt8] {
        // The caches are read by name: through a key path, a sixth of a filter's read went to
        // the runtime's projection.
        if let known = locked({ verifiedPages[page] }) { return known }
        let offset = UInt64(page * Self.pageSize)
        let bytes = try read(at: UInt64(Self.pageSize) + offset, count: Int(min(UInt64(Self.pageSize), dataBytes - offset)))
        guard SHA256.hash(bytes).bytes[...] == (try expectedHash(of: page)) else {
            throw .corrupt("page \(page) does not match its hash")
        }
        if cache { locked { verifiedPages[page] = bytes } }
        return bytes
    }

    /// The hash page `page` must have, from its group's checked page hashes.
    private func expectedHash(of page: Int) throws(Problem) -> ArraySlice<UInt8> {
        let slot = (page % Self.pagesPerGroup) * 32
        return try verifiedGroup(page / Self.pagesPerGroup)[slot..<(slot + 32)]
    }

    /// The page hashes of group `group`, checked against the group's hash in the meta.
    private func verifiedGroup(_ group: Int) throws(Problem) -> [UInt8] {
        if let known = locked({ verifiedGroups[group] }) { return known }
        let pages = Int((dataBytes + UInt64(Self.pageSize) - 1) / UInt64(Self.pageSize))
        let first = group * Self.pagesPerGroup
        let count = min(Self.pagesPerGroup, pages - first)
        let bytes = try read(at: UInt64(Self.pageSize) + dataBytes + UInt64(32 * first), count: 32 * count)
        guard SHA256.hash(bytes).bytes[...] == groupHashes[(group * 32)..<(group * 32 + 32)] else {
            throw .corrupt("the hashes of pages \(first)-\(first + count - 1) do not match their group's")
        }
        locked { verifiedGroups[group] = bytes }
        return bytes
    }

    private func read(at offset: UInt64, count: Int) throws(Problem) -> [UInt8] {
        guard let bytes = try? file.read(at: offset, count: count), bytes.count == count else {
            throw .corrupt("bytes \(offset)-\(offset + UInt64(count)) cannot be read")
        }
        return bytes
    }

    /// Calls `body` with the key and value of each row in `bytes`, which hold whole rows.
    static func forEachRow(_ bytes: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) throws(Problem) {
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let row = try rowBounds(bytes, at: position)
            body(bytes[row.key], bytes[row.value])
            position = row.value.upperBound
        }
    }

    /// Where the key and the value of the row at `position` lie (`key length (1 byte) | key |
    /// value length (u32) | value`), checked to end within `bytes` (a lookup, a scan, a merge).
    static func rowBounds(_ bytes: ArraySlice<UInt8>, at position: Int) throws(Problem) -> (key: Range<Int>, value: Range<Int>) {
        let keyStart = position + 1
        let keyEnd = keyStart + Int(bytes[position])
        guard keyEnd + 4 <= bytes.endIndex else { throw .corrupt("a row runs past its bucket") }
        var valueLength = 0
        for index in 0..<4 { valueLength |= Int(bytes[keyEnd + index]) << (8 * index) }
        guard keyEnd + 4 + valueLength <= bytes.endIndex else { throw .corrupt("a row runs past its bucket") }
        return (keyStart..<keyEnd, (keyEnd + 4)..<(keyEnd + 4 + valueLength))
    }

    static func parseMeta(_ meta: [UInt8], dataBytes: UInt64, pages: Int) throws(Problem) -> ([Table?], [UInt8]) {
        var position = 0
        func next() throws(Problem) -> UInt64 {
            guard position + 8 <= meta.count else { throw .corrupt("its meta is truncated") }
            defer { position += 8 }
            return LittleEndian.load(meta, at: position)
        }
        var tables = [Table?](repeating: nil, count: 256)
        let count = try next()
        guard count <= 255 else { throw .corrupt("its meta is inconsistent") }
        for _ in 0..<count {
            let id = try next(), rows = try next(), buckets = try next(), index = try next()
            // The bucket offsets and filters lie inside the data: a lookup never reads outside it.
            guard id < 256, tables[Int(id)] == nil, buckets >= 1, rows <= dataBytes, buckets <= dataBytes / 16,
                  index <= dataBytes, (2 * buckets + 1) * 8 <= dataBytes - index else { throw .corrupt("its meta is inconsistent") }
            tables[Int(id)] = Table(rows: Int(rows), buckets: Int(buckets), index: index)
        }
        let groups = (pages + pagesPerGroup - 1) / pagesPerGroup
        guard meta.count - position == 32 * groups else { throw .corrupt("its meta is inconsistent") }
        return (tables, Array(meta[position...]))
    }

    /// FNV-1a, 64 bits: cheap, deterministic across runs and machines (unlike Swift's Hasher).
    static func bucketHash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
