import LedgerCore
import LedgerCrypto

extension LedgerWriter {
    /// The record that used `key`, checked against the log itself (the index is only a cache):
    /// a slot that points nowhere sensible makes the index rebuilt from the log, then asked again.
    func findRecord(idempotencyKey key: String) throws(AppendError) -> Record? {
        if let found = lookUp(key) { return found.record }
        do { try rebuildIndex() } catch { throw .storage(error) }
        return lookUp(key)?.record
    }

    /// What a lookup found: the record, or none when the key is unused. A lookup returns nil
    /// instead when a slot points past the log (a stale index that must be rebuilt).
    struct Found { let record: Record? }

    private func lookUp(_ key: String) -> Found? {
        for offset in index.candidates(for: key) {
            guard offset < logBytes else { return nil }
            if let record = try? readRecord(at: offset), record.idempotencyKey == key { return Found(record: record) }
        }
        return Found(record: nil)
    }

    func readRecord(at offset: UInt64) throws -> Record {
        let bytes = try log.read(at: offset, count: RecordCodec.lineBytesMax)
        guard let end = bytes.firstIndex(of: 0x0A) else { throw StorageError.damagedTail(path: paths.log, reason: "no record at byte \(offset)") }
        return try RecordCodec.decodeChecked(line: Array(bytes[0..<end]))
    }

    /// Brings the index up to the log's end: checks that what it claims to cover is really the
    /// log's prefix, and indexes the records after it (all of them when it is new or stale).
    func catchUpIndex() throws(StorageError) {
        if index.coveredBytes == logBytes && index.coveredHash == last.hash { return }
        if !(try coveredPrefixMatches()) { try index.reset() }
        try indexRecords(from: index.coveredBytes)
    }

    func rebuildIndex() throws(StorageError) {
        try index.reset()
        try indexRecords(from: 0)
    }

    private func coveredPrefixMatches() throws(StorageError) -> Bool {
        let covered = index.coveredBytes
        guard covered > 0 else { return true }
        guard covered <= logBytes else { return false }
        let lineStart = try LogTail.lastNewline(in: log, before: covered - 1).map { $0 + 1 } ?? 0
        let bytes = try log.read(at: lineStart, count: Int(covered - lineStart))
        guard bytes.last == 0x0A, let record = try? RecordCodec.decodeChecked(line: Array(bytes.dropLast())) else {
            return false
        }
        return record.hash == index.coveredHash
    }

    private func indexRecords(from start: UInt64) throws(StorageError) {
        var keyed: [(String, UInt64)] = []
        var damaged: UInt64?
        do {
            _ = try LogScanner.scan(file: log, from: start) { line, offset in
                guard offset < logBytes else { return false }
                guard let decoded = try? RecordCodec.decode(line: line) else { damaged = offset; return false }
                if let key = decoded.record.idempotencyKey { keyed.append((key, offset)) }
                return true
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .damagedTail(path: paths.log, reason: "a line longer than a record; run `ledger verify`")
        }
        if let damaged { throw .damagedTail(path: paths.log, reason: "the record at byte \(damaged) cannot be read; run `ledger verify`") }
        for (key, offset) in keyed { try index.insert(key: key, recordOffset: offset) }
        try index.commit(coveredBytes: logBytes, coveredHash: last.hash, slotsChanged: !keyed.isEmpty)
    }
}

extension LedgerWriter {
    /// Feeds every record of the log, in order, to `body` (under this writer's lock, so nobody
    /// appends meanwhile): how the fund's state is rebuilt before rules are checked on append.
    public func replay(from offset: UInt64 = 0, _ body: (Record) throws(RuleViolation) -> Void) throws(AppendError) {
        var failure: AppendError?
        do {
            _ = try LogScanner.scan(file: log, from: offset) { line, lineOffset in
                guard lineOffset < logBytes else { return false }
                do {
                    try body(try RecordCodec.decode(line: line).record)
                } catch let violation as RuleViolation {
                    failure = .storage(.damagedTail(path: paths.log, reason: "the record at byte \(lineOffset) breaks \(violation)"))
                    return false
                } catch {
                    failure = .storage(.damagedTail(path: paths.log, reason: "the record at byte \(lineOffset) cannot be read"))
                    return false
                }
                return true
            }
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .storage(.damagedTail(path: paths.log, reason: "a line longer than a record; run `ledger verify`"))
        }
        if let failure { throw failure }
    }
}
