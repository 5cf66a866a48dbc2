#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerJSON

/// What an append did with one draft.
public enum AppendOutcome: Sendable, Equatable {
    /// Written now.
    case appended(Record)
    /// Its idempotency key was already used with the same content: the original record, nothing written.
    case existing(Record)

    public var record: Record {
        switch self {
        case .appended(let record), .existing(let record): return record
        }
    }
}

/// The only way records reach the log. Holds the writers' lock from `open` until it is released,
/// repairs what a crash left, and appends with fsync before acknowledging.
public final class LedgerWriter {
    public let paths: LedgerPaths
    /// The ledger directory, opened once: every entry the writer creates or writes is reached
    /// from it, never through a link (`DirectoryHandle`).
    let directory: DirectoryHandle
    private let lock: SystemFile
    /// The log, opened once under the lock; the writer reads it through this descriptor too.
    let log: SystemFile
    /// The last record in the log (decoded and hash-checked when the writer opened).
    public private(set) var last: Record
    public private(set) var logBytes: UInt64
    /// What recovery did, for the user to read (a torn tail set aside, a batch rolled back).
    public private(set) var notices: [String] = []

    public static let defaultLockTimeoutMilliseconds = 10_000

    /// Takes the lock and repairs what a crash left (see `notices`). Commands that issue evidence
    /// (checkpoints, proofs) open one too, so they never certify records that recovery would
    /// take back (the complete lines of an unfinished batch).
    public init(paths: LedgerPaths, lockTimeoutMilliseconds: Int = defaultLockTimeoutMilliseconds) throws(StorageError) {
        self.paths = paths
        guard Directory.fileExists(paths.log) else {
            throw .notALedger(path: paths.directory, reason: "no log.jsonl (create one with `ledger init`)")
        }
        directory = try DirectoryHandle(path: paths.directory)
        lock = try LockFile.open(in: directory)
        try lock.lockExclusively(timeoutMilliseconds: lockTimeoutMilliseconds)
        // O_APPEND: a log marked append-only by the kernel (chattr +a) can still be written.
        guard let log = try directory.openFile(LedgerPaths.Name.log, flags: O_RDWR | O_APPEND) else {
            throw .notALedger(path: paths.directory, reason: "no log.jsonl (create one with `ledger init`)")
        }
        self.log = log
        // Before recovery writes anything: a `cache` that is a link, or someone else's, stops the writer here.
        _ = try directory.subdirectory(LedgerPaths.Name.cache)
        var notices: [String] = []
        if let notice = try Recovery.rollBackUnfinishedBatch(directory: directory, log: self.log) { notices.append(notice) }
        var tail = try LogTail.read(self.log)
        if let notice = try Recovery.setAsideTornTail(directory: directory, log: self.log, tail: tail) { notices.append(notice) }
        if let notice = try Recovery.rollBackUnsignedTail(directory: directory, log: self.log, completeBytes: tail.completeBytes) {
            notices.append(notice)
            tail = try LogTail.read(self.log)
        }
        last = try Self.decodeLast(tail, path: paths.log)
        logBytes = tail.completeBytes
        self.notices = notices
    }

    /// Whether a writer opening now would have something to repair: a batch note, a log that
    /// does not end with a newline or ends with an unsigned version-2 record; or an entry it
    /// would refuse or replace, which it then reports.
    public static func mayNeedRecovery(_ paths: LedgerPaths) -> Bool {
        do {
            let directory = try DirectoryHandle(path: paths.directory)
            switch try directory.entry(LedgerPaths.Name.pending, flags: O_RDONLY) {
            case .file(let marker): if try marker.size() > 0 { return true }
            case .unsafe: return true
            case .missing: break
            }
            switch try directory.entry(LedgerPaths.Name.log, flags: O_RDONLY) {
            case .file(let log):
                let size = try log.size()
                if try size > 0 && log.read(at: size - 1, count: 1) != [0x0A] { return true }
                // A version-2 log that ends unsigned ends with an unfinished append.
                guard let last = try Recovery.lastCompleteRecord(in: log) else { return false }
                return last.version >= 2 && last.signature == nil
            case .unsafe: return true
            case .missing: return false
            }
        } catch {
            return false
        }
    }

    /// The last line must read back as a valid record before anything is put on top of it.
    static func decodeLast(_ tail: LogTail, path: String) throws(StorageError) -> Record {
        guard let line = tail.lastLine else { throw .notALedger(path: path, reason: "the log is empty (no genesis record)") }
        do {
            return try RecordCodec.decodeChecked(line: line)
        } catch {
            throw .damagedTail(path: path, reason: "\(error.kind.rawValue): \(error.message)")
        }
    }

    /// Checks each new record against the fund's rules, in order, before anything is written;
    /// a violation aborts the whole append.
    public typealias RuleCheck = (Record) throws(RuleViolation) -> Void

    /// The record of the log that used an idempotency key, if any: the caller answers from the
    /// fund's state, where the keys are kept (`record(atSeq:)` reads the record back).
    public typealias KeyLookup = (String) throws(AppendError) -> Record?

    /// Appends drafts as one all-or-nothing batch; returns one outcome per draft, in order. A
    /// draft whose idempotency key `existing` finds comes back `.existing` if it says the same
    /// (else `idempotencyConflict`); without `existing`, no draft may have a key.
    /// With a signer the records are version 2 and the batch's last record carries the
    /// append's signature (Specs/log-format.md, section 10); without one they are version 1,
    /// which only a version-1 log takes. `progress` hears (records encoded, total) every 10,000
    /// records of a large batch.
    /// With `dryRun`, everything happens but the writing: the outcomes say what would be appended.
    public func append(_ drafts: [RecordDraft], clock: any Clock, signer: AppendSigner? = nil, existing: KeyLookup? = nil,
                       check: RuleCheck? = nil, dryRun: Bool = false,
                       progress: ((Int, Int) -> Void)? = nil) throws(AppendError) -> [AppendOutcome] {
        precondition(!drafts.isEmpty, "an append has at least one draft")
        let now = clock.now()
        let today = now.date
        var outcomes: [AppendOutcome?] = Array(repeating: nil, count: drafts.count)
        var newKeys: [String: Int] = [:]
        for (position, draft) in drafts.enumerated() {
            if let problem = DraftRules.problem(in: draft) {
                throw .invalidDraft(position: position, field: problem.field, reason: problem.reason)
            }
            guard let key = draft.idempotencyKey else { continue }
            if let earlier = newKeys[key] {
                let reason = DraftRules.differingField(drafts[earlier], draft, today: today) == nil ? "" : " with different content"
                guard reason.isEmpty else { throw .storage(.batchConflict(key: key, reason: "drafts \(earlier + 1) and \(position + 1)\(reason)")) }
                continue
            }
            guard let existing else { preconditionFailure("a draft with an idempotency key needs a lookup of the keys used") }
            if let original = try existing(key) {
                if let field = DraftRules.differingField(original, draft, today: today) {
                    throw .storage(.idempotencyConflict(key: key, seq: original.seq, field: field))
                }
                outcomes[position] = .existing(original)
            } else {
                newKeys[key] = position
            }
        }
        return try write(drafts, outcomes: outcomes, newKeys: newKeys, now: now, signer: signer, progress: progress, check: check,
                         dryRun: dryRun)
    }

    private func write(_ drafts: [RecordDraft], outcomes: [AppendOutcome?], newKeys: [String: Int],
                       now: Timestamp, signer: AppendSigner?, progress: ((Int, Int) -> Void)?,
                       check: RuleCheck?, dryRun: Bool) throws(AppendError) -> [AppendOutcome] {
        var outcomes = outcomes
        guard now >= last.recordedAt else {
            throw .storage(.clockBehind(now: now.description, last: last.recordedAt.description))
        }
        let version: Int64 = signer == nil ? 1 : Record.currentVersion
        guard version >= last.version else {
            throw .storage(.limit("this log is in format version \(last.version): every append to it is signed by its operator's key"))
        }
        // Encoding chains each record to the one before (its prev is that one's hash): one
        // thread encodes a chunk while the chunk before is checked against the rules beside it;
        // then both read the new chunk back, block by block (`SharedReadBack`). A refusal
        // stops both; nothing is written.
        let positions = drafts.indices.filter { position in
            outcomes[position] == nil && (drafts[position].idempotencyKey.map { newKeys[$0] == position } ?? true)
        }
        let chunks = stride(from: 0, to: positions.count, by: Self.chunkRecords).map { start in
            positions[start..<min(start + Self.chunkRecords, positions.count)]
        }
        var encoder = ChunkEncoder(previous: last, now: now, version: version)
        var next: EncodedChunk? = chunks.first.map { encoder.encode($0, of: drafts) }
        // Each chunk's lines, written one after the other: gathered into one array, 100,000
        // records' 18 MB were copied as it grew (and its new pages faulted in) on this thread.
        var pieces: [[UInt8]] = []
        var byteCount = 0
        var written: [(record: Record, offset: UInt64)] = []
        for index in chunks.indices {
            var signing = next!
            if let signer, index == chunks.count - 1 { signing.signLast(firstSeq: last.seq + 1, signer: signer) }
            let chunk = signing   // what the threads below share is never changed
            let offset = logBytes + UInt64(byteCount)
            let following = index + 1 < chunks.count ? chunks[index + 1] : nil
            var failure: AppendError?
            let readBack = following.map { _ in SharedReadBack() }
            ParallelWork.run(parts: following == nil ? 1 : 2) { part in
                if part == 1 {
                    let encoded = encoder.encode(following!, of: drafts)
                    readBack!.publish(encoded)
                    readBack!.help()
                    next = encoded
                    return
                }
                // Alone (the last chunk, or the only one), the reading back takes every core.
                failure = Self.accept(chunk, at: offset, readBackParts: following == nil ? ParallelWork.cores : 1, check: check,
                                      written: &written, outcomes: &outcomes) { progress?($0, drafts.count) }
                // A refused chunk ends the batch: the next one's lines are not needed.
                if failure == nil { readBack?.help() }
            }
            if let failure { throw failure }
            if let readBack { next!.readsBack = readBack.answers }
            pieces.append(chunk.bytes)
            byteCount += chunk.bytes.count
        }
        for (position, draft) in drafts.enumerated() where outcomes[position] == nil {
            outcomes[position] = outcomes[newKeys[draft.idempotencyKey!]!]
        }
        if !written.isEmpty && !dryRun { try commit(pieces, byteCount: byteCount, written: written) }
        return outcomes.map { $0! }
    }

    /// Reads `chunk` back (on `readBackParts` cores), unless its encoder did, and checks its
    /// records against the rules, in order, noting each one accepted: its offset in the log
    /// (`offset` is the chunk's) and its outcome. The first refusal, if any.
    private static func accept(_ chunk: EncodedChunk, at offset: UInt64, readBackParts: Int, check: RuleCheck?,
                               written: inout [(record: Record, offset: UInt64)], outcomes: inout [AppendOutcome?],
                               progress: (Int) -> Void) -> AppendError? {
        let readBack = chunk.readsBack ?? chunk.readBack(parts: readBackParts)
        precondition(readBack.count == chunk.entries.count, "one answer per line")
        for (entry, readsBack) in zip(chunk.entries, readBack) {
            // Paired check: what we are about to write must read back as exactly this record.
            guard readsBack else {
                return .invalidDraft(position: entry.position, field: "payload", reason: "does not encode to a valid record (strings must be valid NFC text within the limits)")
            }
            if let check {
                do throws(RuleViolation) { try check(entry.record) } catch { return .ruleViolation(position: entry.position, error) }
            }
            written.append((entry.record, offset + UInt64(entry.line.lowerBound)))
            if written.count % 10_000 == 0 { progress(written.count) }
            outcomes[entry.position] = .appended(entry.record)
        }
        return nil
    }

    /// Records per chunk of a batch's pipeline (`write`).
    public static let chunkRecords = 4_096

    /// A chunk of a batch's lines, encoded: each entry's line lies in `bytes`.
    struct EncodedChunk {
        var bytes: [UInt8] = []
        var entries: [(position: Int, line: Range<Int>, record: Record)] = []
        /// Whether each line reads back as its record, once known (`readBack`).
        var readsBack: [Bool]?

        /// Whether each line decodes, re-hashes and compares equal to its record: on `parts`
        /// cores, since each line stands alone (a fifth of a batch's time otherwise).
        func readBack(parts: Int) -> [Bool] {
            LedgerWriter.readBack(entries[...], in: bytes, parts: parts)
        }

        /// Puts the append's signature on the chunk's last record: the line is encoded again
        /// with `sig` (the hash, which the signature signs, stays the same), replacing the
        /// unsigned one at the end of `bytes`. A new line: if the unsigned one was read back,
        /// this one is too.
        mutating func signLast(firstSeq: UInt64, signer: AppendSigner) {
            let index = entries.count - 1
            let last = entries[index]
            precondition(last.line.upperBound + 1 == bytes.count, "the last record's line ends the bytes")
            let record = last.record.signed(signer.sign(firstSeq: firstSeq, lastRecord: last.record))
            let line = RecordCodec.line(of: record)
            bytes.replaceSubrange(last.line.lowerBound..<bytes.count, with: line)
            entries[index] = (last.position, last.line.lowerBound..<(last.line.lowerBound + line.count - 1), record)
            if readsBack != nil { readsBack![index] = LedgerWriter.readBack(entries[index...], in: bytes, parts: 1)[0] }
        }
    }

    /// Encodes drafts in order, each record chained to the one before.
    struct ChunkEncoder {
        var previous: Record
        let now: Timestamp
        let version: Int64

        mutating func encode(_ positions: ArraySlice<Int>, of drafts: [RecordDraft]) -> EncodedChunk {
            var chunk = EncodedChunk()
            chunk.entries.reserveCapacity(positions.count)
            for position in positions {
                let draft = drafts[position]
                let (line, record) = RecordCodec.encode(draft: draft, seq: previous.seq + 1, prev: previous.hash,
                                                        recordedAt: now, effective: draft.effective ?? now.date, version: version)
                chunk.entries.append((position, chunk.bytes.count..<(chunk.bytes.count + line.count - 1), record))
                chunk.bytes.append(contentsOf: line)
                previous = record
            }
            return chunk
        }
    }

    /// `EncodedChunk.readBack` of the lines of `encoded`, which lie in `bytes`.
    private static func readBack(_ encoded: ArraySlice<(position: Int, line: Range<Int>, record: Record)>, in bytes: [UInt8],
                                 parts: Int) -> [Bool] {
        var results = [Bool](repeating: false, count: encoded.count)
        let parts = encoded.count < 256 ? 1 : parts
        results.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            ParallelWork.run(parts: parts) { part in
                let range = ParallelWork.range(of: part, parts: parts, count: encoded.count)
                StringCache.with { strings in   // this thread's
                    readBack(encoded[(encoded.startIndex + range.lowerBound)..<(encoded.startIndex + range.upperBound)],
                             in: bytes, strings: strings, into: UnsafeMutableBufferPointer(rebasing: output[range]))
                }
            }
        }
        return results
    }

    /// Whether each line of `encoded` (in `bytes`) decodes, re-hashes and compares equal to
    /// its record, into `output`, one answer per line.
    static func readBack(_ encoded: ArraySlice<(position: Int, line: Range<Int>, record: Record)>, in bytes: [UInt8],
                         strings: StringCache, into output: UnsafeMutableBufferPointer<Bool>) {
        precondition(output.count == encoded.count, "one answer per line")
        bytes.withUnsafeBufferPointer { source in
            for (index, entry) in zip(output.indices, encoded) {
                let line = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: source[entry.line]))
                output[index] = (try? RecordCodec.decodeChecked(line: line, strings: strings)) == entry.record
            }
        }
    }

    /// Writes the lines and fsyncs them: only then is the append acknowledged.
    private func commit(_ pieces: [[UInt8]], byteCount: Int, written: [(record: Record, offset: UInt64)]) throws(AppendError) {
        let after = logBytes + UInt64(byteCount)
        var marker: SystemFile? = nil
        if written.count > 1 {
            let batch = Recovery.PendingBatch(bytesBefore: logBytes, bytesAfter: after, lastHash: written.last!.record.hash)
            do { marker = try writeBatchNote(batch) } catch { throw .storage(error) }
        }
        do throws(StorageError) {
            // With O_APPEND the bytes go to the end whatever the offset: it must be where we think.
            guard try log.size() == logBytes else {
                throw .damagedTail(path: paths.log, reason: "the log changed size under the writer's lock")
            }
            var at = logBytes
            for piece in pieces {
                try log.write(piece, at: at)
                at += UInt64(piece.count)
            }
            try log.sync()
        } catch {
            // Nothing was acknowledged: take back what reached the file, and the batch's note.
            try? log.truncate(to: logBytes)
            try? marker?.truncate(to: 0)
            throw .storage(error)
        }
        logBytes = after
        last = written.last!.record
        try? marker?.truncate(to: 0)
    }

    /// Writes and fsyncs a batch's note in `append.pending`, which must be a file of the ledger
    /// directory: anything else at that name (a link planted since the recovery) is replaced by a
    /// new file, never written through.
    private func writeBatchNote(_ batch: Recovery.PendingBatch) throws(StorageError) -> SystemFile {
        let opened = try directory.openReplaceableFile(LedgerPaths.Name.pending)
        let marker = opened.file
        try marker.truncate(to: 0)
        try marker.write(Array(batch.text.utf8), at: 0)
        try marker.sync()
        return marker
    }
}

/// Errors of an append: the storage's own, or a draft that is not a valid record.
public enum AppendError: Error, Sendable, Equatable, CustomStringConvertible {
    case storage(StorageError)
    case invalidDraft(position: Int, field: String, reason: String)
    /// The record would break one of the fund's rules.
    case ruleViolation(position: Int, RuleViolation)

    public var description: String {
        switch self {
        case .storage(let error): return error.description
        case .invalidDraft(let position, let field, let reason): return "event \(position + 1), field \(field): \(reason)"
        case .ruleViolation(let position, let violation): return "event \(position + 1) refused, \(violation); nothing appended"
        }
    }
}
