import LedgerCore

/// `cache/offsets`: the byte offset in `log.jsonl` of every record's line, 8 bytes
/// little-endian per record in `seq` order, after a `CacheHeader` (magic `LOFFSET1`). It lets
/// `ledger prove SEQ` read one record of a million-record log with two reads. Like every cache
/// it is never trusted: the line it points at is decoded and hash-checked, and a proof built
/// on it is checked against a signed tree head (Specs/proofs.md, section 9).
struct OffsetIndex {
    static let magic = Array("LOFFSET1".utf8)
    static let entryBytes = 8

    let file: CacheFile

    /// `offsets` in `cache` (see `CacheFile.init(in:name:magic:entryBytes:)`).
    init(in cache: DirectoryHandle) throws(StorageError) {
        file = try CacheFile(in: cache, name: LedgerPaths.Name.recordOffsets, magic: Self.magic, entryBytes: Self.entryBytes)
    }

    /// Where record `seq` starts; `seq` must be covered by the header.
    func offset(of seq: UInt64) throws(StorageError) -> UInt64 {
        precondition(seq < (file.header?.recordCount ?? 0), "only covered records have an offset")
        return LittleEndian.load(try file.readEntry(seq), at: 0)
    }

    /// The line of record `seq` (without its newline), read from the log.
    func line(of seq: UInt64, log: borrowing SystemFile) throws(StorageError) -> [UInt8]? {
        let start = try offset(of: seq)
        let bytes = try log.read(at: start, count: RecordCodec.lineBytesMax)
        guard let end = bytes.firstIndex(of: 0x0A) else { return nil }
        return Array(bytes[0..<end])
    }

    static func encode(_ offset: UInt64, into bytes: inout [UInt8]) {
        LittleEndian.append(offset, to: &bytes)
    }
}
