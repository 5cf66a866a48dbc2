#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto

/// Builds a `TableFile`: rows are added in any order, then written bucket by bucket (a counting
/// sort, so a million rows cost no comparison sort), by key hash then key bytes within a bucket,
/// so the same rows always make the same bytes.
public struct TableFileWriter {
    struct Row {
        let bucketHash: UInt64
        let start: Int
        let keyLength: Int
        let end: Int

        /// Where the value starts: after the key's length (1 byte), the key and the value's length (4).
        var valueStart: Int { start + 1 + keyLength + 4 }
    }

    struct Table {
        var bytes: [UInt8] = []
        var rows: [Row] = []

        /// The key bytes of `row`.
        func key(_ row: Row) -> ArraySlice<UInt8> { Self.key(row, in: bytes) }

        /// The key bytes of `row` in a table's `bytes` (read while its rows change).
        static func key(_ row: Row, in bytes: [UInt8]) -> ArraySlice<UInt8> { bytes[(row.start + 1)..<(row.start + 1 + row.keyLength)] }
    }

    /// Tables by id (an array: a dictionary lookup per row would cost more than the row).
    var tables: [Table?] = Array(repeating: nil, count: 256)

    public init() {}

    /// Every row of `file`, as bytes (to merge them into another file).
    public init(rowsOf file: TableFile) throws(TableFile.Problem) {
        for id in file.tableIDs {
            try file.forEach(table: id) { key, value in add(table: id, key: String(decoding: key, as: UTF8.self), value: value) }
        }
    }

    /// The number of rows added, in every table.
    public var rowCount: Int { tables.reduce(0) { $0 + ($1?.rows.count ?? 0) } }

    /// Adds a row; a key is 1 to 255 bytes and appears once per table (the caller's tables are
    /// keyed, so a repeat is a programming error).
    public mutating func add(table id: UInt8, key: String, value: [UInt8]) {
        add(table: id, key: key, value: value[...])
    }

    public mutating func add(table id: UInt8, key: String, value: ArraySlice<UInt8>) {
        let keyLength = key.utf8.count
        precondition(keyLength > 0 && keyLength <= 255 && value.count <= Int(UInt32.max), "a table row's key and value fit the format")
        if tables[Int(id)] == nil { tables[Int(id)] = Table() }
        let start = tables[Int(id)]!.bytes.count
        tables[Int(id)]!.bytes.append(UInt8(keyLength))
        tables[Int(id)]!.bytes.append(contentsOf: key.utf8)
        for index in 0..<4 { tables[Int(id)]!.bytes.append(UInt8(truncatingIfNeeded: value.count >> (8 * index))) }
        tables[Int(id)]!.bytes.append(contentsOf: value)
        let row = Row(bucketHash: TableFile.bucketHash(key.utf8), start: start, keyLength: keyLength, end: tables[Int(id)]!.bytes.count)
        tables[Int(id)]!.rows.append(row)
    }

    /// Takes over the tables of `other`, which holds none of this writer's tables.
    public mutating func absorb(_ other: TableFileWriter) {
        for id in other.tables.indices where other.tables[id] != nil {
            precondition(tables[id] == nil, "writers of distinct tables")
            tables[id] = other.tables[id]
        }
    }

    /// Writes the file `name` in `directory` and returns its digest: into a new temporary file
    /// renamed over `name` (`DirectoryHandle.writeAtomically`), without fsync: the file is a
    /// cache, and a torn one fails its digest or a page hash.
    public func write(into directory: DirectoryHandle, name: String) throws(StorageError) -> SHA256Digest {
        try directory.writeAtomically(to: name, durable: false) { file throws(StorageError) in try writeContent(to: file) }
    }

    /// `write(into:name:)` in the directory that holds `path` (a link in that directory's own path
    /// is followed: the caller names it).
    public func write(to path: String) throws(StorageError) -> SHA256Digest {
        let (directory, name) = DirectoryHandle.split(path)
        return try write(into: DirectoryHandle(path: directory), name: name)
    }

    private func writeContent(to file: borrowing SystemFile) throws(StorageError) -> SHA256Digest {
        var output = PagedOutput()
        // The rows, table by table; each table's bucket offsets are kept for after them.
        var indexes: [TableIndex] = []
        for id in tables.indices where tables[id] != nil {
            indexes.append(try writeRows(of: id, to: &output, file))
        }
        return try Self.finish(indexes, &output, to: file)
    }

    /// Where a table's rows went: its id, row count, bucket offsets (B + 1) and bucket filters (B).
    typealias TableIndex = (id: Int, rows: Int, starts: [UInt64], filters: [UInt64])

    /// Table `id`'s rows, bucket by bucket, with B = ⌈rows / 8⌉.
    func writeRows(of id: Int, to output: inout PagedOutput, _ file: borrowing SystemFile) throws(StorageError) -> TableIndex {
        let table = tables[id]!
        let buckets = max(1, (table.rows.count + TableFile.rowsPerBucket - 1) / TableFile.rowsPerBucket)
        let (order, starts) = Self.bucketOrder(of: table, count: buckets)
        var offsets: [UInt64] = []
        offsets.reserveCapacity(buckets + 1)
        var filters = [UInt64](repeating: 0, count: buckets)
        for bucket in 0..<buckets {
            offsets.append(output.written)
            for index in order[starts[bucket]..<starts[bucket + 1]] {
                let row = table.rows[index]
                try output.append(table.bytes[row.start..<row.end], to: file)
                filters[bucket] |= TableFile.filterBits(row.bucketHash)
            }
        }
        offsets.append(output.written)
        return (id, table.rows.count, offsets, filters)
    }

    /// After the rows: the bucket offsets and filters, the page hashes, the meta and the header;
    /// the digest.
    static func finish(_ indexes: [TableIndex], _ output: inout PagedOutput, to file: borrowing SystemFile) throws(StorageError) -> SHA256Digest {
        // Then the bucket offsets and filters themselves, in the data too (read per lookup,
        // checked by page).
        var meta: [UInt8] = []
        LittleEndian.append(UInt64(indexes.count), to: &meta)
        for index in indexes {
            for value in [UInt64(index.id), UInt64(index.rows), UInt64(index.starts.count - 1), output.written] {
                LittleEndian.append(value, to: &meta)
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(8 * (index.starts.count + index.filters.count))
            for start in index.starts { LittleEndian.append(start, to: &bytes) }
            for filter in index.filters { LittleEndian.append(filter, to: &bytes) }
            try output.append(bytes[...], to: file)
        }
        try output.finish(to: file)
        let dataBytes = output.written
        // The page hashes, and a hash of each group of them in the meta.
        let pageHashes = output.pageHashes
        try file.write(pageHashes, at: UInt64(TableFile.pageSize) + dataBytes)
        let groupBytes = TableFile.pagesPerGroup * 32
        for start in stride(from: 0, to: pageHashes.count, by: groupBytes) {
            meta.append(contentsOf: SHA256.hash(Array(pageHashes[start..<min(start + groupBytes, pageHashes.count)])).bytes)
        }
        var header = TableFile.magic
        for value in [UInt64(TableFile.pageSize), dataBytes, UInt64(pageHashes.count), UInt64(meta.count)] {
            LittleEndian.append(value, to: &header)
        }
        header.append(contentsOf: [UInt8](repeating: 0, count: TableFile.headerBytes - header.count))
        try file.write(meta, at: UInt64(TableFile.pageSize) + dataBytes + UInt64(pageHashes.count))
        try file.write(header + [UInt8](repeating: 0, count: TableFile.pageSize - header.count), at: 0)
        var hasher = SHA256()
        hasher.update(header)
        hasher.update(meta)
        return hasher.finalized()
    }

    /// The rows' indices bucket by bucket (a counting sort), and where each bucket starts in
    /// them; within a bucket, by key hash then key bytes.
    static func bucketOrder(of table: Table, count: Int) -> (order: [Int], starts: [Int]) {
        var starts = [Int](repeating: 0, count: count + 1)
        for row in table.rows { starts[Int(row.bucketHash % UInt64(count)) + 1] += 1 }
        for bucket in 0..<count { starts[bucket + 1] += starts[bucket] }
        var next = starts
        var order = [Int](repeating: 0, count: table.rows.count)
        for (index, row) in table.rows.enumerated() {
            let bucket = Int(row.bucketHash % UInt64(count))
            order[next[bucket]] = index
            next[bucket] += 1
        }
        // Within a bucket by hash (compared as plain integers), then, for equal hashes, by key.
        let hashes = table.rows.map(\.bucketHash)
        hashes.withUnsafeBufferPointer { hashes in
            for bucket in 0..<count where starts[bucket + 1] - starts[bucket] > 1 {
                order[starts[bucket]..<starts[bucket + 1]].sort { a, b in
                    hashes[a] != hashes[b] ? hashes[a] < hashes[b]
                        : table.key(table.rows[a]).lexicographicallyPrecedes(table.key(table.rows[b]))
                }
            }
        }
        return (order, starts)
    }
}

/// The data section, written to a file a megabyte at a time after the header page, hashed page by page.
struct PagedOutput {
    private(set) var written: UInt64 = 0
    private(set) var pageHashes: [UInt8] = []
    private var buffer: [UInt8] = []
    private var flushed: UInt64 = 0

    mutating func append(_ bytes: ArraySlice<UInt8>, to file: borrowing SystemFile) throws(StorageError) {
        buffer.append(contentsOf: bytes)
        written += UInt64(bytes.count)
        if buffer.count >= 1 << 20 { try flush(whole: true, to: file) }
    }

    mutating func finish(to file: borrowing SystemFile) throws(StorageError) { try flush(whole: false, to: file) }

    /// Writes the buffered whole pages (and, at the end, the short last one) and hashes them.
    private mutating func flush(whole: Bool, to file: borrowing SystemFile) throws(StorageError) {
        let length = whole ? buffer.count / TableFile.pageSize * TableFile.pageSize : buffer.count
        guard length > 0 else { return }
        pageHashes.append(contentsOf: buffer.withUnsafeBytes { TableFile.pageHashes(UnsafeRawBufferPointer(rebasing: $0[0..<length])) })
        let offset = UInt64(TableFile.pageSize) + flushed
        let written: Result<Void, StorageError> = buffer.withUnsafeBytes { raw in
            Result { () throws(StorageError) in try file.write(UnsafeRawBufferPointer(rebasing: raw[0..<length]), at: offset) }
        }
        try written.get()
        flushed += UInt64(length)
        buffer.removeFirst(length)
    }
}
