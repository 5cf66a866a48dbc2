/// Rows of several files made one set of rows in memory, the newer over the older, as a merge
/// would make them (`write(merging:)`): a base's upper files gathered before they are merged
/// into the file under them (Specs/reports.md, section 6). Upper files are small beside the
/// lower one, so holding their rows costs little; the lower file is never gathered, only merged.
extension TableFileWriter {
    /// Puts `newer`'s rows over these: a key both hold keeps `newer`'s row or, in the tables
    /// `extending` names, this row's value followed by `newer`'s (a statement's later lines).
    /// In place: a replaced row's bytes stay, unreferenced, rather than every row be copied
    /// (the upper files of a large fund hold tens of megabytes).
    public mutating func overlay(_ newer: TableFileWriter, extending: Set<UInt8> = []) throws(StorageError) {
        for id in newer.tables.indices {
            guard let added = newer.tables[id] else { continue }
            guard tables[id] != nil else {
                tables[id] = added
                continue
            }
            try tables[id]!.overlay(added, extend: extending.contains(UInt8(id)))
        }
    }
}

extension TableFileWriter.Table {
    /// `newer`'s rows over these (`TableFileWriter.overlay`). The order of rows in a writer does
    /// not matter: it sorts them when it writes.
    mutating func overlay(_ newer: TableFileWriter.Table, extend: Bool) throws(StorageError) {
        var newerRows: [ArraySlice<UInt8>: Int] = [:]
        newerRows.reserveCapacity(newer.rows.count)
        for (index, row) in newer.rows.enumerated() { newerRows[newer.key(row)] = index }
        // Decided before `bytes` changes: a slice of it held across an append would copy it whole.
        var extended: [Int: [UInt8]] = [:]   // by newer's index: the older row followed by newer's value
        if extend {
            for row in rows {
                guard let index = newerRows[key(row)] else { continue }
                let newerRow = newer.rows[index]
                let added = newer.bytes[newerRow.valueStart..<newerRow.end]
                extended[index] = try TableFileWriter.extended(bytes[row.start..<row.end], valueStart: row.valueStart, by: added)
            }
        }
        // The rows newer's replace go, in place (a copy of the rows would be 32 bytes a row). The
        // bytes are read through a second reference, gone before they grow (else they are copied).
        do {
            let bytes = self.bytes
            rows.removeAll { newerRows[Self.key($0, in: bytes)] != nil }
        }
        for (index, row) in newer.rows.enumerated() {
            if let bytes = extended[index] {
                append(bytes[...], hash: row.bucketHash, keyLength: row.keyLength)
            } else {
                append(newer.bytes[row.start..<row.end], hash: row.bucketHash, keyLength: row.keyLength)
            }
        }
    }

    /// Appends a whole row (key length, key, value length, value) already encoded.
    mutating func append(_ row: ArraySlice<UInt8>, hash: UInt64, keyLength: Int) {
        let start = bytes.count
        bytes.append(contentsOf: row)
        rows.append(TableFileWriter.Row(bucketHash: hash, start: start, keyLength: keyLength, end: bytes.count))
    }
}
