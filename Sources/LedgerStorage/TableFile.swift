#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto

/// An immutable file of keyed tables (key → bytes) that is read in place: opening it reads only
/// its header, its bucket index and its page hashes, and a lookup reads and checks the one or two
/// pages its key's bucket lies in. A snapshot keeps the tables that grow with every contribution
/// in one, so that an append or a report on a million-contribution ledger does not load them
/// (Specs/reports.md, section 7).
///
/// Layout, little-endian:
/// - bytes 0..<64 of the first page: the magic `ledger.tables.v1`, the page size (u64, 4096), the
///   data section's length (u64), the meta section's length (u64), then zeros to 4096;
/// - the data section, from byte 4096: rows `key length (1 byte) | key | value length (u32) |
///   value`, table by table in ascending id, bucket by bucket, by key bytes within a bucket;
/// - the meta section: the table count (u64), then per table its id, row count, bucket count
///   (u64 each) and the data offset of every bucket's first row plus the table's end (u64 each);
///   then the SHA-256 of every 4096-byte page of the data section (the last one may be short).
///
/// A key's bucket is its FNV-1a 64 hash modulo the bucket count. The file's digest is the
/// SHA-256 of the first 64 bytes and the meta section; whoever names the file keeps the digest,
/// which vouches for the page hashes, which vouch for every page read.
public final class TableFile: @unchecked Sendable {
    public static let pageSize = 4096
    static let magic = Array("ledger.tables.v1".utf8)
    static let headerBytes = 64
    static let rowsPerBucket = 32

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
        /// Data offsets of each bucket's first row, then the table's end.
        let bucketStarts: [UInt64]
        var bucketCount: Int { bucketStarts.count - 1 }
    }

    private let file: SystemFile
    private let dataBytes: UInt64
    private let tables: [UInt8: Table]
    private let pageHashes: [UInt8]
    /// Pages read and found to match their hashes, by page number. Guarded by `lock`.
    private var verifiedPages: [Int: [UInt8]] = [:]
    private var lock = pthread_mutex_t()

    /// Opens the file at `path` if its digest is `digest`.
    public init(path: String, digest: SHA256Digest) throws(Problem) {
        guard let file = try? SystemFile(path: path, flags: O_RDONLY) else { throw .missing }
        do {
            let size = try file.size()
            let header = try file.read(at: 0, count: min(Self.headerBytes, Int(size)))
            guard header.count == Self.headerBytes, Array(header[0..<16]) == Self.magic,
                  LittleEndian.load(header, at: 16) == UInt64(Self.pageSize) else { throw Problem.corrupt("not a tables file") }
            let dataBytes = LittleEndian.load(header, at: 24)
            let metaBytes = LittleEndian.load(header, at: 32)
            guard dataBytes <= size, metaBytes <= size, UInt64(Self.pageSize) + dataBytes + metaBytes == size else {
                throw Problem.corrupt("its length does not match its header")
            }
            let meta = try file.read(at: UInt64(Self.pageSize) + dataBytes, count: Int(metaBytes))
            var hasher = SHA256()
            hasher.update(header)
            hasher.update(meta)
            guard hasher.finalized() == digest else { throw Problem.corrupt("it is not the file its snapshot names") }
            (tables, pageHashes) = try Self.parseMeta(meta, dataBytes: dataBytes)
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

    /// The number of rows of table `id` (0 for a table the file does not hold).
    public func count(table id: UInt8) -> Int { tables[id]?.rows ?? 0 }

    /// The value stored under `key` in table `id`, or nil.
    public func value(table id: UInt8, key: String) throws(Problem) -> [UInt8]? {
        guard let table = tables[id] else { return nil }
        let keyBytes = Array(key.utf8)
        let bucket = Int(Self.bucketHash(keyBytes) % UInt64(table.bucketCount))
        let start = table.bucketStarts[bucket], end = table.bucketStarts[bucket + 1]
        guard start < end else { return nil }
        let bytes = try verifiedBytes(start, end)
        var found: [UInt8]?
        try Self.forEachRow(bytes) { rowKey, value in
            if found == nil, rowKey.elementsEqual(keyBytes) { found = Array(value) }
        }
        return found
    }

    /// Every row of table `id`, in the file's order (bucket by bucket).
    public func forEach(table id: UInt8, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) throws(Problem) {
        guard let table = tables[id], let first = table.bucketStarts.first, let last = table.bucketStarts.last else { return }
        var start = first
        while start < last {
            // A megabyte at a time, cut at a bucket boundary so that no row is split.
            var end = start
            for boundary in table.bucketStarts where boundary > start {
                end = boundary
                if boundary - start >= 1 << 20 { break }
            }
            try Self.forEachRow(try verifiedBytes(start, end, cache: false), body)
            start = end
        }
    }

    /// The data bytes `[start, end)`, every page they touch checked against its hash.
    private func verifiedBytes(_ start: UInt64, _ end: UInt64, cache: Bool = true) throws(Problem) -> ArraySlice<UInt8> {
        precondition(start < end && end <= dataBytes, "a range of the data section")
        let firstPage = Int(start / UInt64(Self.pageSize)), lastPage = Int((end - 1) / UInt64(Self.pageSize))
        var bytes: [UInt8] = []
        bytes.reserveCapacity((lastPage - firstPage + 1) * Self.pageSize)
        for page in firstPage...lastPage { bytes.append(contentsOf: try verifiedPage(page, cache: cache)) }
        let offset = Int(start) - firstPage * Self.pageSize
        return bytes[offset..<(offset + Int(end - start))]
    }

    private func verifiedPage(_ page: Int, cache: Bool) throws(Problem) -> [UInt8] {
        pthread_mutex_lock(&lock)
        let known = verifiedPages[page]
        pthread_mutex_unlock(&lock)
        if let known { return known }
        let offset = UInt64(page * Self.pageSize)
        let length = Int(min(UInt64(Self.pageSize), dataBytes - offset))
        guard let bytes = try? file.read(at: UInt64(Self.pageSize) + offset, count: length), bytes.count == length else {
            throw .corrupt("page \(page) cannot be read")
        }
        guard SHA256.hash(bytes).bytes[...] == pageHashes[(page * 32)..<(page * 32 + 32)] else {
            throw .corrupt("page \(page) does not match its hash")
        }
        if cache {
            pthread_mutex_lock(&lock)
            verifiedPages[page] = bytes
            pthread_mutex_unlock(&lock)
        }
        return bytes
    }

    /// Calls `body` with the key and value of each row in `bytes`, which hold whole rows.
    static func forEachRow(_ bytes: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) throws(Problem) {
        var position = bytes.startIndex
        while position < bytes.endIndex {
            let keyLength = Int(bytes[position])
            let keyStart = position + 1
            guard keyStart + keyLength + 4 <= bytes.endIndex else { throw .corrupt("a row runs past its bucket") }
            var valueLength = 0
            for index in 0..<4 { valueLength |= Int(bytes[keyStart + keyLength + index]) << (8 * index) }
            let valueStart = keyStart + keyLength + 4
            guard valueStart + valueLength <= bytes.endIndex else { throw .corrupt("a row runs past its bucket") }
            body(bytes[keyStart..<(keyStart + keyLength)], bytes[valueStart..<(valueStart + valueLength)])
            position = valueStart + valueLength
        }
    }

    static func parseMeta(_ meta: [UInt8], dataBytes: UInt64) throws(Problem) -> ([UInt8: Table], [UInt8]) {
        var position = 0
        func next() throws(Problem) -> UInt64 {
            guard position + 8 <= meta.count else { throw .corrupt("its index is truncated") }
            defer { position += 8 }
            return LittleEndian.load(meta, at: position)
        }
        var tables: [UInt8: Table] = [:]
        var expectedStart: UInt64 = 0
        for _ in 0..<(try next()) {
            let id = try next(), rows = try next(), buckets = try next()
            guard id < 256, tables[UInt8(id)] == nil, buckets >= 1, buckets <= UInt64(meta.count / 8), rows <= dataBytes else {
                throw .corrupt("its index is inconsistent")
            }
            var starts: [UInt64] = []
            for _ in 0...buckets { starts.append(try next()) }
            // Buckets tile the data section in order: a lookup never reads outside it.
            guard starts.first == expectedStart, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }),
                  let end = starts.last, end <= dataBytes else { throw .corrupt("its index is inconsistent") }
            expectedStart = end
            tables[UInt8(id)] = Table(rows: Int(rows), bucketStarts: starts)
        }
        let pages = (Int(dataBytes) + pageSize - 1) / pageSize
        guard expectedStart == dataBytes, meta.count - position == pages * 32 else { throw .corrupt("its index is inconsistent") }
        return (tables, Array(meta[position...]))
    }

    /// FNV-1a, 64 bits: cheap, deterministic across runs and machines (unlike Swift's Hasher).
    static func bucketHash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
