import LedgerCore

/// The end of a log, found by reading backwards from the end of the file: an append costs the
/// same on a million-record log as on an empty one.
struct LogTail {
    /// Byte count of the complete lines (the offset where a torn tail, if any, starts).
    var completeBytes: UInt64
    /// The file's size: more than `completeBytes` when there is a torn tail.
    var fileBytes: UInt64
    /// The last complete line (without its newline) and its offset; nil for an empty log.
    var lastLine: [UInt8]?
    var lastLineOffset: UInt64

    var hasTornTail: Bool { fileBytes > completeBytes }

    static let chunkBytes = 1 << 16

    static func read(_ file: borrowing SystemFile) throws(StorageError) -> LogTail {
        let size = try file.size()
        let completeBytes = try lastNewline(in: file, before: size).map { $0 + 1 } ?? 0
        guard completeBytes > 0 else {
            return LogTail(completeBytes: 0, fileBytes: size, lastLine: nil, lastLineOffset: 0)
        }
        let lineStart = try lastNewline(in: file, before: completeBytes - 1).map { $0 + 1 } ?? 0
        let length = completeBytes - 1 - lineStart
        guard length < UInt64(RecordCodec.lineBytesMax) else {
            throw .damagedTail(path: file.path, reason: "the last line is \(length + 1) bytes, over the record limit")
        }
        let line = try file.read(at: lineStart, count: Int(length))
        return LogTail(completeBytes: completeBytes, fileBytes: size, lastLine: line, lastLineOffset: lineStart)
    }

    /// The offset of the last newline strictly before `end`, scanning backwards chunk by chunk.
    static func lastNewline(in file: borrowing SystemFile, before end: UInt64) throws(StorageError) -> UInt64? {
        var chunkEnd = end
        while chunkEnd > 0 {
            let chunkStart = chunkEnd > UInt64(chunkBytes) ? chunkEnd - UInt64(chunkBytes) : 0
            let bytes = try file.read(at: chunkStart, count: Int(chunkEnd - chunkStart))
            if let index = bytes.lastIndex(of: 0x0A) { return chunkStart + UInt64(index) }
            chunkEnd = chunkStart
        }
        return nil
    }
}
