#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto

/// What a writer repairs before appending, under the lock (Specs/log-format.md, section 6).
/// Nothing is ever deleted: bytes taken off the log are kept in `torn/`.
enum Recovery {
    /// The note a batch append leaves while it runs: the log's size before and after, and the
    /// hash of the batch's last record.
    struct PendingBatch: Equatable {
        var bytesBefore: UInt64
        var bytesAfter: UInt64
        var lastHash: SHA256Digest

        var text: String { "batch \(bytesBefore) \(bytesAfter) \(lastHash.hex)\n" }

        init(bytesBefore: UInt64, bytesAfter: UInt64, lastHash: SHA256Digest) {
            self.bytesBefore = bytesBefore
            self.bytesAfter = bytesAfter
            self.lastHash = lastHash
        }

        init?(text: String) {
            let words = text.split(separator: " ", omittingEmptySubsequences: false)
            guard words.count == 4, words[0] == "batch", text.hasSuffix("\n"),
                  let before = UInt64(words[1]), let after = UInt64(words[2]), before < after,
                  let hash = SHA256Digest(hex: words[3].dropLast()) else { return nil }
            self.init(bytesBefore: before, bytesAfter: after, lastHash: hash)
        }
    }

    /// Rolls back a batch whose last record is not fully in the log; returns a notice, if any.
    static func rollBackUnfinishedBatch(directory: DirectoryHandle, log: borrowing SystemFile) throws(StorageError) -> String? {
        switch try directory.entry(LedgerPaths.Name.pending, flags: O_RDWR) {
        case .missing:
            return nil
        case .unsafe(let refusal):
            // Nothing in it can be trusted, nor written through: an empty note takes its place.
            _ = try directory.replaceWithEmptyFile(LedgerPaths.Name.pending)
            return "append.pending was \(refusal.reason): replaced it with an empty file"
                + " (a batch it may have named is not rolled back)"
        case .file(let marker):
            return try rollBack(noted: marker, directory: directory, log: log)
        }
    }

    /// Rolls back the batch `marker` names, if it is unfinished, and empties the note. In a
    /// version-2 log the note is not needed, and not trusted: the unfinished batch is the
    /// unsigned tail (`rollBackUnsignedTail`), and a note naming signed records is ignored.
    static func rollBack(noted marker: borrowing SystemFile, directory: DirectoryHandle,
                         log: borrowing SystemFile) throws(StorageError) -> String? {
        let text = String(decoding: try marker.read(at: 0, count: 256), as: UTF8.self)
        defer { try? marker.truncate(to: 0) }
        guard let batch = PendingBatch(text: text) else { return nil }
        if try lastCompleteRecord(in: log)?.version ?? 1 >= 2 { return nil }
        let size = try log.size()
        // Nothing of the batch reached the log (a crash or a failed write right after the note).
        guard batch.bytesBefore < size else { return nil }
        if try batchIsComplete(batch, log: log, size: size) { return nil }
        let name = try setAside(directory: directory, log: log, from: batch.bytesBefore, to: size, label: "batch")
        return "rolled back an unfinished batch append: \(size - batch.bytesBefore) bytes moved to \(name)"
    }

    static func batchIsComplete(_ batch: PendingBatch, log: borrowing SystemFile, size: UInt64) throws(StorageError) -> Bool {
        guard size >= batch.bytesAfter else { return false }
        let lineStart = try LogTail.lastNewline(in: log, before: batch.bytesAfter - 1).map { $0 + 1 } ?? 0
        let bytes = try log.read(at: lineStart, count: Int(batch.bytesAfter - lineStart))
        guard bytes.last == 0x0A, bytes.count < RecordCodec.lineBytesMax + 1 else { return false }
        return (try? RecordCodec.decodeChecked(line: Array(bytes.dropLast())))?.hash == batch.lastHash
    }

    /// In a version-2 log the signature of an append is on its last record, written with the
    /// others: records after the last signed one belong to an append that never finished and
    /// was never acknowledged (Specs/log-format.md, sections 6 and 10). They are set aside to
    /// `torn/`, whatever `append.pending` says; a signed record never is. Returns a notice, if any.
    static func rollBackUnsignedTail(directory: DirectoryHandle, log: borrowing SystemFile,
                                     completeBytes: UInt64) throws(StorageError) -> String? {
        let (start, records) = try unsignedTail(of: log, completeBytes: completeBytes)
        guard records > 0 else { return nil }
        let name = try setAside(directory: directory, log: log, from: start, to: completeBytes, label: "batch")
        return "rolled back an unfinished append: \(records) unsigned record\(records == 1 ? "" : "s") (\(completeBytes - start) bytes) moved to \(name)"
    }

    /// Where the version-2 records after the last signed one begin (an append that never
    /// finished), and how many there are: read backwards from the end of the complete lines.
    static func unsignedTail(of log: borrowing SystemFile, completeBytes: UInt64) throws(StorageError) -> (start: UInt64, records: Int) {
        var start = completeBytes
        var records = 0
        while start > 0 {
            let lineStart = try LogTail.lastNewline(in: log, before: start - 1).map { $0 + 1 } ?? 0
            guard start - lineStart <= UInt64(RecordCodec.lineBytesMax) else { break }
            let line = try log.read(at: lineStart, count: Int(start - lineStart - 1))
            // A line that does not decode is not a crash's leftover: `verify` reports it.
            guard let record = try? RecordCodec.decodeChecked(line: line), record.version >= 2, record.signature == nil else { break }
            start = lineStart
            records += 1
        }
        return (start, records)
    }

    static func acknowledgedBytes(_ paths: LedgerPaths) throws(StorageError) -> UInt64 {
        let log = try SystemFile(path: paths.log, flags: O_RDONLY)
        let tail = try LogTail.read(log)
        let end = try unsignedTail(of: log, completeBytes: tail.completeBytes).start
        guard end == tail.completeBytes, let note = PendingBatchNote.read(paths), note.bytesBefore < end,
              let line = tail.lastLine, let last = try? RecordCodec.decodeChecked(line: line), last.hash != note.lastHash else {
            return end
        }
        return note.bytesBefore
    }

    /// The last complete line's record, if it decodes.
    static func lastCompleteRecord(in log: borrowing SystemFile) throws(StorageError) -> Record? {
        guard let line = try LogTail.read(log).lastLine else { return nil }
        return try? RecordCodec.decodeChecked(line: line)
    }

    /// Moves an unterminated tail to `torn/`; returns a notice, if there was one.
    static func setAsideTornTail(directory: DirectoryHandle, log: borrowing SystemFile,
                                 tail: LogTail) throws(StorageError) -> String? {
        guard tail.hasTornTail else { return nil }
        let name = try setAside(directory: directory, log: log, from: tail.completeBytes, to: tail.fileBytes, label: "tail")
        return "set aside a torn tail of \(tail.fileBytes - tail.completeBytes) bytes (a crash; never acknowledged) in \(name)"
    }

    /// Copies log bytes [from, to) into a new file `torn/<label>-at-<from>-<hash>.bin` (or, when
    /// that name is taken, the same with a random suffix: an entry already there is never opened),
    /// makes that durable, and only then truncates the log to `from`.
    static func setAside(directory: DirectoryHandle, log: borrowing SystemFile, from: UInt64, to: UInt64,
                         label: String) throws(StorageError) -> String {
        precondition(from < to, "there is something to set aside")
        let bytes = try log.read(at: from, count: Int(to - from))
        let torn = try directory.subdirectory(LedgerPaths.Name.torn)
        let stem = "\(label)-at-\(from)-\(SHA256.hash(bytes).hex.prefix(16))"
        let kept = try torn.createFileWithFreshName(stem: stem, suffix: ".bin")
        do throws(StorageError) {
            try kept.file.write(bytes, at: 0)
            try kept.file.sync()
        } catch {
            // A copy that did not reach the disk whole (a full disk) must not stay under a name
            // that promises these bytes; the log still holds them, and the next writer retries.
            try? torn.removeFile(kept.name)
            throw error
        }
        try torn.sync()
        try directory.sync()
        try log.truncate(to: from)
        try log.sync()
        return LedgerPaths.Name.torn + "/" + kept.name
    }
}

/// Where a reader's log ends: after the last complete line, less the records of an append that
/// never finished (an unsigned version-2 tail; a version-1 batch that `append.pending` names and
/// whose last record is not the log's), which were never acknowledged and which the next writer
/// rolls back: no report shows them.
public enum AcknowledgedLog {
    public static func bytes(_ paths: LedgerPaths) throws(StorageError) -> UInt64 {
        try Recovery.acknowledgedBytes(paths)
    }
}
