/// Rows of several files made one set of rows in memory, the newer over the older, as a merge
/// would make them (`write(merging:)`): a base's upper files gathered before they are merged
/// into the file under them (Specs/reports.md, section 6). Upper files are small beside the
/// lower one, so holding their rows costs little; the lower file is never gathered, only merged.
extension TableFileWriter {
    /// These rows under `newer`'s: a key both hold keeps `newer`'s row or, in the tables
    /// `extending` names, this row's value followed by `newer`'s (a statement's later lines).
    public func overlaid(by newer: TableFileWriter, extending: Set<UInt8> = []) throws(StorageError) -> TableFileWriter {
        var result = TableFileWriter()
        for id in tables.indices {
            switch (tables[id], newer.tables[id]) {
            case (nil, nil): continue
            case (let older?, nil): result.tables[id] = older
            case (nil, let added?): result.tables[id] = added
            case (let older?, let added?):
                result.tables[id] = try Self.overlay(older, added, extend: extending.contains(UInt8(id)))
            }
        }
        return result
    }

    /// The rows of `older` not in `newer`, then `newer`'s (extended when `extend`): the order of
    /// rows within a writer does not matter, it sorts them when it writes.
    private static func overlay(_ older: Table, _ newer: Table, extend: Bool) throws(StorageError) -> Table {
        var newerRows: [ArraySlice<UInt8>: Int] = [:]
        newerRows.reserveCapacity(newer.rows.count)
        for (index, row) in newer.rows.enumerated() { newerRows[newer.key(row)] = index }
        var result = Table()
        result.bytes.reserveCapacity(older.bytes.count + newer.bytes.count)
        var olderValues: [Int: ArraySlice<UInt8>] = [:]   // an extended key's older row, by newer's index
        for row in older.rows {
            guard let index = newerRows[older.key(row)] else {
                result.append(older.bytes[row.start..<row.end], hash: row.bucketHash, keyLength: row.keyLength)
                continue
            }
            if extend { olderValues[index] = older.bytes[row.start..<row.end] }
        }
        for (index, row) in newer.rows.enumerated() {
            let bytes = newer.bytes[row.start..<row.end]
            guard let olderRow = olderValues[index] else {
                result.append(bytes, hash: row.bucketHash, keyLength: row.keyLength)
                continue
            }
            let added = bytes[(row.start + 1 + row.keyLength + 4)...]
            let extended = try extended(olderRow, valueStart: olderRow.startIndex + 1 + row.keyLength + 4, by: added)
            result.append(extended[...], hash: row.bucketHash, keyLength: row.keyLength)
        }
        return result
    }
}

extension TableFileWriter.Table {
    /// The key bytes of `row`.
    func key(_ row: TableFileWriter.Row) -> ArraySlice<UInt8> { bytes[(row.start + 1)..<(row.start + 1 + row.keyLength)] }

    /// Appends a whole row (key length, key, value length, value) already encoded.
    mutating func append(_ row: ArraySlice<UInt8>, hash: UInt64, keyLength: Int) {
        let start = bytes.count
        bytes.append(contentsOf: row)
        rows.append(TableFileWriter.Row(bucketHash: hash, start: start, keyLength: keyLength, end: bytes.count))
    }
}
