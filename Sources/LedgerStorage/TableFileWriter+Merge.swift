import LedgerCrypto

/// A new `TableFile` made of an old one and this writer's rows, which replace the old rows of
/// the same key (or, in the tables `extending` names, are appended to them: a statement's new
/// lines): a snapshot's base rewritten with the entries changed since it. Its rows are
/// copied as bytes, bucket by bucket, never decoded: a rewrite of a base of a million and a
/// half rows after a batch costs a copy of the file, not a million values decoded and encoded.
///
/// A merged table keeps the old one's bucket count B while its rows average at most 16 a
/// bucket, and otherwise multiplies it by the smallest power of two 2^k that brings them there
/// (a key's bucket `h mod 2^k B` is `h mod B` plus a multiple of B, so an old bucket splits in
/// 2^k, in order). The result holds the same rows as a file written whole; only B may differ
/// (readers take it from the meta: Specs/reports.md, section 6).
extension TableFileWriter {
    /// Writes the merge of `old` and these rows as `name` in `directory`, and returns its digest.
    /// In the tables `extending` names, a row whose key `old` holds has the old value followed
    /// by the new one. A page of `old` that does not match its hash stops it: `damaged` hears
    /// why, and the error says so (no file is left).
    public func write(merging old: TableFile, into directory: DirectoryHandle, name: String, extending: Set<UInt8> = [],
                      damaged: (TableFile.Problem) -> Void) throws(StorageError) -> SHA256Digest {
        return try directory.writeAtomically(to: name, durable: false) { file throws(StorageError) in
            var output = PagedOutput()
            var indexes: [TableIndex] = []
            let ids = Set(tables.indices.filter { tables[$0] != nil }).union(old.tableIDs.map(Int.init)).sorted()
            for id in ids {
                guard let shape = old.shape(of: UInt8(id)) else {
                    indexes.append(try writeRows(of: id, to: &output, file))
                    continue
                }
                do throws(MergeError) {
                    indexes.append(try mergeRows(of: id, old: old, shape: shape, extend: extending.contains(UInt8(id)), to: &output, file))
                } catch {
                    switch error {
                    case .old(let problem):
                        damaged(problem)
                        throw StorageError.limit("the tables merged from are damaged (\(problem))")
                    case .storage(let error):
                        throw error
                    }
                }
            }
            return try Self.finish(indexes, &output, to: file)
        }
    }

    enum MergeError: Error {
        case old(TableFile.Problem)
        case storage(StorageError)
    }

    /// B after adding `added` rows to `shape` (an upper bound: some may replace old rows).
    static func mergedBuckets(_ shape: TableFile.Table, adding added: Int) -> Int {
        let rows = shape.rows + added
        var buckets = shape.buckets
        while rows > 2 * TableFile.rowsPerBucket * buckets { buckets *= 2 }
        return buckets
    }

    /// Table `id`: the old rows and these, bucket by bucket; B multiplied by 2^k reads the old
    /// table 2^k times (the first part of each old bucket's split, then the next), a megabyte
    /// of old buckets at a time, and a table of a megabyte or less once.
    private func mergeRows(of id: Int, old: TableFile, shape: TableFile.Table, extend: Bool, to output: inout PagedOutput,
                           _ file: borrowing SystemFile) throws(MergeError) -> TableIndex {
        let empty = Table()
        let table = tables[id] ?? empty
        let buckets = Self.mergedBuckets(shape, adding: table.rows.count)
        let (order, starts) = Self.bucketOrder(of: table, count: buckets)
        var offsets: [UInt64] = []
        offsets.reserveCapacity(buckets + 1)
        var filters = [UInt64](repeating: 0, count: buckets)
        var rows = 0
        let oldOffsets: [UInt64]
        do { oldOffsets = try old.bucketOffsets(shape, 0...shape.buckets) } catch { throw .old(error) }
        // The last megabyte read: a table that fits in one is read once, whatever 2^k.
        var last: (buckets: Range<Int>, bytes: ArraySlice<UInt8>)?
        for part in 0..<(buckets / shape.buckets) {
            var bucket = 0
            while bucket < shape.buckets {
                // A megabyte of old buckets at a time, cut at a bucket boundary.
                var next = bucket + 1
                while next < shape.buckets && oldOffsets[next] - oldOffsets[bucket] < 1 << 20 { next += 1 }
                let bytes: ArraySlice<UInt8>
                if let last, last.buckets == bucket..<next {
                    bytes = last.bytes
                } else {
                    do {
                        bytes = oldOffsets[bucket] < oldOffsets[next]
                            ? try old.verifiedBytes(oldOffsets[bucket], oldOffsets[next], cache: false) : []
                    } catch { throw .old(error) }
                    last = (bucket..<next, bytes)
                }
                for oldBucket in bucket..<next {
                    let newBucket = oldBucket + part * shape.buckets
                    offsets.append(output.written)
                    let start = bytes.startIndex + Int(oldOffsets[oldBucket] - oldOffsets[bucket])
                    let end = bytes.startIndex + Int(oldOffsets[oldBucket + 1] - oldOffsets[bucket])
                    let merged = try mergeBucket(newBucket, of: buckets, oldRows: bytes[start..<end], table: table, extend: extend,
                                                 recent: order[starts[newBucket]..<starts[newBucket + 1]], to: &output, file)
                    rows += merged.rows
                    filters[newBucket] = merged.filter
                }
                bucket = next
            }
        }
        offsets.append(output.written)
        return (id, rows, offsets, filters)
    }

    /// One new bucket: the old rows that fall in it and the recent ones, both in (hash, key)
    /// order, merged; a recent row replaces the old row of its key, or with `extend` follows
    /// its value. The rows written and the bucket's filter (an old bucket split in two has two,
    /// so it is computed again).
    private func mergeBucket(_ bucket: Int, of buckets: Int, oldRows: ArraySlice<UInt8>, table: Table, extend: Bool,
                             recent: ArraySlice<Int>, to output: inout PagedOutput,
                             _ file: borrowing SystemFile) throws(MergeError) -> (rows: Int, filter: UInt64) {
        var written = 0
        var filter: UInt64 = 0
        var next = recent.startIndex
        func recentKey(_ index: Int) -> ArraySlice<UInt8> { table.key(table.rows[index]) }
        // Every row written, old, recent or extended, goes through here: counted, and its bits set.
        func emit(_ bytes: ArraySlice<UInt8>, hash: UInt64) throws(MergeError) {
            do { try output.append(bytes, to: file) } catch { throw .storage(error) }
            written += 1
            filter |= TableFile.filterBits(hash)
        }
        func emitRecent(_ index: Int) throws(MergeError) {
            let row = table.rows[index]
            try emit(table.bytes[row.start..<row.end], hash: row.bucketHash)
        }
        func emitExtended(_ oldRow: ArraySlice<UInt8>, valueStart: Int, _ index: Int) throws(MergeError) {
            let row = table.rows[index]
            let added = table.bytes[row.valueStart..<row.end]
            let extended: [UInt8]
            do { extended = try Self.extended(oldRow, valueStart: valueStart, by: added) } catch { throw .storage(error) }
            try emit(extended[...], hash: row.bucketHash)
        }
        var position = oldRows.startIndex
        while position < oldRows.endIndex {
            let bounds: (key: Range<Int>, value: Range<Int>)
            do { bounds = try TableFile.rowBounds(oldRows, at: position) } catch { throw .old(error) }
            let rowEnd = bounds.value.upperBound
            let key = oldRows[bounds.key]
            let hash = TableFile.bucketHash(key)
            defer { position = rowEnd }
            guard Int(hash % UInt64(buckets)) == bucket else { continue }   // another part of a split bucket
            // The recent rows that come before this one, then this one unless a recent row replaces
            // (or extends) it.
            while next < recent.endIndex {
                let index = recent[next]
                let recentHash = table.rows[index].bucketHash
                guard recentHash < hash || (recentHash == hash && recentKey(index).lexicographicallyPrecedes(key)) else { break }
                try emitRecent(index)
                next += 1
            }
            if next < recent.endIndex, table.rows[recent[next]].bucketHash == hash, recentKey(recent[next]).elementsEqual(key) {
                if extend {
                    try emitExtended(oldRows[position..<bounds.value.upperBound], valueStart: bounds.value.lowerBound, recent[next])
                } else {
                    try emitRecent(recent[next])
                }
                next += 1
                continue
            }
            try emit(oldRows[position..<rowEnd], hash: hash)
        }
        while next < recent.endIndex {
            try emitRecent(recent[next])
            next += 1
        }
        return (written, filter)
    }

    /// The row `oldRow` (whose value starts at `valueStart`) with `added` after its value: its
    /// key, the summed length, the old value, the new one.
    static func extended(_ oldRow: ArraySlice<UInt8>, valueStart: Int, by added: ArraySlice<UInt8>) throws(StorageError) -> [UInt8] {
        let length = oldRow.endIndex - valueStart + added.count
        guard length <= Int(UInt32.max) else { throw .limit("a table row's value would pass 4 GiB") }
        var row = Array(oldRow[oldRow.startIndex..<(valueStart - 4)])
        for byte in 0..<4 { row.append(UInt8(truncatingIfNeeded: length >> (8 * byte))) }
        row.append(contentsOf: oldRow[valueStart...])
        row.append(contentsOf: added)
        return row
    }
}
