#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerProofs

/// `ledger verify` over a log file: streams it once through a `ChainVerifier`.
public struct LogVerification {
    public struct Report: Sendable {
        /// Records up to the last acknowledged append (all of them when nothing is unfinished).
        public var recordCount: UInt64
        public var logBytes: UInt64
        public var headHash: SHA256Digest
        public var treeHead: SHA256Digest
        public var genesis: Genesis?
        /// The first failure, or nil when the log is intact.
        public var failure: VerifyFailure?
        /// The tree head after exactly `checkpointSize` records, when one was asked for and reached.
        public var treeHeadAtCheckpoint: SHA256Digest?
        /// Complete records after the last acknowledged append: an unfinished batch.
        public var unfinishedRecords: UInt64 = 0
        /// Version-1 records (intact, but unsigned: they prove what, not who). Set by the caller
        /// that checked the signatures, as is `bootstrap`.
        public var unsignedRecords: UInt64 = 0
        /// The bootstrap append of a log that began in version 1: its operator and seq.
        public var bootstrap: (actor: String, seq: UInt64)?
    }

    /// What the fund's rules and the signatures add to the chain checks, record by record.
    public struct Observer {
        /// Sees each record the chain checks accepted, with its line's offset; a failure it
        /// returns may be placed at an earlier line than this one (a check it deferred).
        public var observe: (Record, UInt64) -> VerifyFailure?
        /// Runs once after the last record read (or a failure): the checks still deferred. A
        /// failure it returns wins if it is placed before the scan's own.
        public var settle: () -> VerifyFailure?

        public init(observe: @escaping (Record, UInt64) -> VerifyFailure?, settle: @escaping () -> VerifyFailure? = { nil }) {
            self.observe = observe
            self.settle = settle
        }
    }

    /// Where the log stood after the last acknowledged append: a version-1 record, or a
    /// version-2 record carrying `sig` (Specs/log-format.md, section 10).
    struct Acknowledged {
        var count: UInt64 = 0
        var head = SHA256Digest.zero
        var bytes: UInt64 = 0
        /// The tree of `count` records, kept only once an append with more records begins.
        var tree: MerkleAccumulator?
    }

    /// Decodes and re-hashes a batch's lines on every core (each line on its own: no order
    /// needed); the checks that link records to each other then run in order on the caller's thread.
    static func decodeInParallel(_ batch: LogScanner.Batch) -> [ChainVerifier.DecodedLine] {
        let count = batch.lines.count
        guard count > 0 else { return [] }
        let notYetDecoded = ChainVerifier.DecodedLine.notYetDecoded
        var decoded = [ChainVerifier.DecodedLine](repeating: notYetDecoded, count: count)
        let parts = count < 256 ? 1 : ParallelWork.cores
        decoded.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            ParallelWork.run(parts: parts) { part in
                let range = (count * part / parts)..<(count * (part + 1) / parts)
                for index in range {
                    output[index] = ChainVerifier.decode(line: UnsafeRawBufferPointer(rebasing: batch.buffer[batch.lines[index]]))
                }
            }
        }
        return decoded
    }

    /// Verifies the log at `path`. `rootAtSize` asks for the tree head after that many records
    /// (for checking a checkpoint); `observer` sees each accepted record (the fund's rules, the
    /// signatures); `pendingBatch` is `append.pending`'s note, if any (an unfinished batch of a
    /// version-1 log); `progress` is called every 65,536 records.
    public static func run(path: String, rootAtSize: UInt64? = nil, observer: Observer? = nil,
                           pendingBatch: PendingBatchNote? = nil,
                           progress: ((UInt64, UInt64) -> Void)? = nil) throws(StorageError) -> Report {
        var verifier = ChainVerifier()
        var failure: VerifyFailure?
        var rootAtCheckpoint: SHA256Digest? = rootAtSize == 0 ? verifier.tree.root : nil
        var acknowledged = Acknowledged()
        var batchStart: Acknowledged?
        let ending: LogScanner.Ending
        do {
            ending = try LogScanner.scanBatches(path: path) { batch in
                let decoded = decodeInParallel(batch)
                for (index, line) in decoded.enumerated() {
                    let offset = batch.offsets[index]
                    if offset == pendingBatch?.bytesBefore { batchStart = Acknowledged(count: verifier.recordCount, head: verifier.headHash,
                                                                                        bytes: offset, tree: verifier.tree) }
                    if let record = line.record, record.version >= 2, record.signature == nil, acknowledged.tree == nil,
                       acknowledged.count == verifier.recordCount {
                        acknowledged.tree = verifier.tree   // an append of several records begins
                    }
                    switch verifier.accept(line, offset: offset) {
                    case .failure(let found):
                        failure = found
                        return offset
                    case .success(let record):
                        if let found = observer?.observe(record, offset) {
                            // A failure of this record has no place yet; a deferred one (an earlier
                            // append's signature) comes with its own.
                            failure = found.offset == nil ? found.placed(line: record.seq + 1, offset: offset) : found
                            return offset
                        }
                        if record.version < 2 || record.signature != nil {
                            acknowledged = Acknowledged(count: verifier.recordCount, head: verifier.headHash,
                                                        bytes: offset + UInt64(batch.lines[index].count) + 1)
                        }
                    }
                    if verifier.recordCount == rootAtSize { rootAtCheckpoint = verifier.tree.root }
                    if let progress, verifier.recordCount % 65_536 == 0 { progress(verifier.recordCount, offset) }
                }
                return nil
            }
        } catch let oversize as LogScanner.OversizeLine {
            failure = VerifyFailure(kind: .malformed, seq: verifier.recordCount, line: oversize.lineNumber,
                                    offset: oversize.offset, message: "line longer than \(RecordCodec.lineBytesMax) bytes")
            ending = LogScanner.Ending(tornBytes: 0, tornOffset: 0, completeBytes: oversize.offset)
        } catch let error as StorageError {
            throw error
        } catch {
            preconditionFailure("LogScanner throws StorageError or OversizeLine only: \(error)")
        }
        if let deferred = observer?.settle(), (deferred.line ?? .max) < (failure?.line ?? .max) {
            failure = deferred
        }
        var report = Report(recordCount: verifier.recordCount, logBytes: ending.completeBytes, headHash: verifier.headHash,
                            treeHead: verifier.tree.root, genesis: verifier.genesis, failure: failure,
                            treeHeadAtCheckpoint: rootAtCheckpoint)
        if report.failure == nil {
            let unfinished = acknowledged.count < verifier.recordCount ? acknowledged
                : unfinishedBatch(pendingBatch, start: batchStart, headHash: verifier.headHash)
            if let unfinished { report.markUnfinished(after: unfinished, records: verifier.recordCount) }
        }
        if report.failure == nil { report.failure = verifier.finish(tornTailBytes: ending.tornBytes, tornTailOffset: ending.tornOffset) }
        return report
    }

    /// A version-1 log's unfinished batch, from `append.pending`: a batch that began at a line of
    /// the log and whose last record is not the log's last.
    static func unfinishedBatch(_ note: PendingBatchNote?, start: Acknowledged?, headHash: SHA256Digest) -> Acknowledged? {
        guard let note, let start, note.lastHash != headHash else { return nil }
        return start
    }
}

extension LogVerification.Report {
    /// The report of an unfinished batch: the log as of its last acknowledged append, and the
    /// first record after it as the place of `UNFINISHED_BATCH`.
    mutating func markUnfinished(after acknowledged: LogVerification.Acknowledged, records: UInt64) {
        precondition(acknowledged.count < records, "something follows the last acknowledged append")
        unfinishedRecords = records - acknowledged.count
        failure = VerifyFailure(kind: .unfinishedBatch, seq: acknowledged.count, line: acknowledged.count + 1, offset: acknowledged.bytes,
                                message: "\(unfinishedRecords) record\(unfinishedRecords == 1 ? "" : "s") after the last acknowledged append belong to an append that never finished (a crash; never acknowledged: the next writer rolls them back)")
        recordCount = acknowledged.count
        headHash = acknowledged.head
        guard let tree = acknowledged.tree else { preconditionFailure("the tree was kept when the unfinished append began") }
        treeHead = tree.root
    }
}

/// `append.pending`'s note of a batch being written (Specs/log-format.md, section 6).
public struct PendingBatchNote: Sendable, Equatable {
    public let bytesBefore: UInt64
    public let lastHash: SHA256Digest

    /// The note in `paths`, if there is a well-formed one (an empty or unreadable file: none).
    public static func read(_ paths: LedgerPaths) -> PendingBatchNote? {
        guard let file = try? SystemFile(path: paths.pending, flags: O_RDONLY), let bytes = try? file.read(at: 0, count: 256),
              let batch = Recovery.PendingBatch(text: String(decoding: bytes, as: UTF8.self)) else { return nil }
        return PendingBatchNote(bytesBefore: batch.bytesBefore, lastHash: batch.lastHash)
    }
}
