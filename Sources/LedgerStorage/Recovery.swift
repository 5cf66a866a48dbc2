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
    static func rollBackUnfinishedBatch(paths: LedgerPaths, log: borrowing SystemFile) throws(StorageError) -> String? {
        guard Directory.fileExists(paths.pending) else { return nil }
        let marker = try SystemFile(path: paths.pending, flags: O_RDWR)
        let text = String(decoding: try marker.read(at: 0, count: 256), as: UTF8.self)
        defer { try? marker.truncate(to: 0) }
        guard let batch = PendingBatch(text: text) else { return nil }
        let size = try log.size()
        // Nothing of the batch reached the log (a crash or a failed write right after the note).
        guard batch.bytesBefore < size else { return nil }
        if try batchIsComplete(batch, log: log, size: size) { return nil }
        let name = try setAside(paths: paths, log: log, from: batch.bytesBefore, to: size, label: "batch")
        return "rolled back an unfinished batch append: \(size - batch.bytesBefore) bytes moved to \(name)"
    }

    static func batchIsComplete(_ batch: PendingBatch, log: borrowing SystemFile, size: UInt64) throws(StorageError) -> Bool {
        guard size >= batch.bytesAfter else { return false }
        let lineStart = try LogTail.lastNewline(in: log, before: batch.bytesAfter - 1).map { $0 + 1 } ?? 0
        let bytes = try log.read(at: lineStart, count: Int(batch.bytesAfter - lineStart))
        guard bytes.last == 0x0A, bytes.count < RecordCodec.lineBytesMax + 1 else { return false }
        return (try? RecordCodec.decodeChecked(line: Array(bytes.dropLast())))?.hash == batch.lastHash
    }

    /// Moves an unterminated tail to `torn/`; returns a notice, if there was one.
    static func setAsideTornTail(paths: LedgerPaths, log: borrowing SystemFile, tail: LogTail) throws(StorageError) -> String? {
        guard tail.hasTornTail else { return nil }
        let name = try setAside(paths: paths, log: log, from: tail.completeBytes, to: tail.fileBytes, label: "tail")
        return "set aside a torn tail of \(tail.fileBytes - tail.completeBytes) bytes (a crash; never acknowledged) in \(name)"
    }

    /// Copies log bytes [from, to) into `torn/<label>-at-<from>-<hash>.bin`, makes that durable,
    /// and only then truncates the log to `from`.
    static func setAside(paths: LedgerPaths, log: borrowing SystemFile, from: UInt64, to: UInt64,
                         label: String) throws(StorageError) -> String {
        precondition(from < to, "there is something to set aside")
        let bytes = try log.read(at: from, count: Int(to - from))
        let name = "torn/\(label)-at-\(from)-\(SHA256.hash(bytes).hex.prefix(16)).bin"
        try Directory.create(paths.torn)
        let kept = try SystemFile(path: paths.directory + "/" + name, flags: O_WRONLY | O_CREAT | O_TRUNC)
        try kept.write(bytes, at: 0)
        try kept.sync()
        try Directory.sync(paths.torn)
        try Directory.sync(paths.directory)
        try log.truncate(to: from)
        try log.sync()
        return name
    }
}
