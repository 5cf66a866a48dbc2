import LedgerCrypto

/// A file written table by table: what a whole base is (every bulk entry of a fund, a hundred
/// megabytes and more of rows after a rebuild), so that memory holds one table's rows at a
/// time rather than the file's.
extension TableFileWriter {
    /// Writes the file `name` in `directory` holding, for every id of `ids`, the rows of the
    /// writer `rows(id)` gives for it (a writer holding that table only): the same bytes as one
    /// writer holding every table (tables go in ascending id either way). Each writer is written
    /// and dropped before the next is asked for.
    public static func write(tables ids: [UInt8], into directory: DirectoryHandle, name: String,
                             rows: (UInt8) -> TableFileWriter) throws(StorageError) -> SHA256Digest {
        try directory.writeAtomically(to: name, durable: false) { file throws(StorageError) in
            var output = PagedOutput()
            var indexes: [TableIndex] = []
            for id in Set(ids).sorted() {
                let writer = rows(id)
                precondition(writer.tables.indices.allSatisfy { $0 == Int(id) || writer.tables[$0] == nil }, "a writer of table \(id) only")
                guard writer.tables[Int(id)] != nil else { continue }   // no rows: no table, as in one writer
                indexes.append(try writer.writeRows(of: Int(id), to: &output, file))
            }
            return try finish(indexes, &output, to: file)
        }
    }
}
