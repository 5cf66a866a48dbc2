import LedgerCore
import LedgerCrypto

extension LedgerWriter {
    /// The record with sequence number `seq`, read from the log and checked (its hash
    /// recomputed): how a retried idempotency key, found in the fund's state with its seq, gets
    /// its original record back. A binary search over byte offsets, since seqs grow with them:
    /// about log2(records) reads of a line each.
    public func record(atSeq seq: UInt64) throws(StorageError) -> Record {
        precondition(seq <= last.seq, "a seq of the log")
        if seq == last.seq { return last }
        // The line of `seq` starts in low..<high, and the record at `low` has a seq <= `seq`.
        var low: UInt64 = 0, high = logBytes
        while true {
            let found = try readRecord(at: low)
            if found.seq == seq { return found }
            guard found.seq < seq else { throw .damagedTail(path: paths.log, reason: Self.unordered(at: low)) }
            let middle = low + (high - low) / 2
            guard middle > low, let start = try lineStart(from: middle, before: high) else {
                // No line starts in middle..<high: the one sought starts before the middle.
                guard high - low > 1 else { throw .damagedTail(path: paths.log, reason: "no record with seq \(seq); run `ledger verify`") }
                high = middle
                continue
            }
            if try readRecord(at: start).seq <= seq { low = start } else { high = start }
        }
    }

    /// The first line start in `from..<before`, if any (a line starts after each newline).
    private func lineStart(from position: UInt64, before end: UInt64) throws(StorageError) -> UInt64? {
        let count = Int(min(UInt64(RecordCodec.lineBytesMax + 1), end - position + 1))
        let bytes = try log.read(at: position - 1, count: count)
        guard let newline = bytes.firstIndex(of: 0x0A) else { return nil }
        let start = position + UInt64(newline)
        return start < end ? start : nil
    }

    func readRecord(at offset: UInt64) throws(StorageError) -> Record {
        let bytes = try log.read(at: offset, count: Int(min(UInt64(RecordCodec.lineBytesMax + 1), logBytes - offset)))
        guard let end = bytes.firstIndex(of: 0x0A), let record = try? RecordCodec.decodeChecked(line: Array(bytes[0..<end])) else {
            throw .damagedTail(path: paths.log, reason: "the record at byte \(offset) cannot be read; run `ledger verify`")
        }
        return record
    }

    private static func unordered(at offset: UInt64) -> String {
        "the records are out of order at byte \(offset); run `ledger verify`"
    }
}

extension LedgerWriter {
    /// The log's bytes from `offset` into `buffer`, as far as the log goes (returns how many),
    /// read through the descriptor the writer appends to (under its lock, nobody appends
    /// meanwhile): a fold before an append reads the file the append will extend, whatever
    /// name the directory gives it by then.
    public func readLog(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(StorageError) -> Int {
        try log.read(into: buffer, at: offset)
    }
}
