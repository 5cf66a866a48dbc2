#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerJSON
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

    /// A batch's lines decoded and re-hashed (each on its own: no order needed), waiting for the
    /// checks that link records to each other, which run in order. It keeps the buffer they were
    /// decoded into (moving 16,384 lines to an array of their own was time the helper thread
    /// waited for), and frees them with it.
    struct DecodedBatch {
        private let decoding: SharedDecoding

        /// Decodes `batch` on `parts` threads (the caller's among them).
        init(_ batch: LogScanner.Batch, parts: Int) {
            let decoding = SharedDecoding(batch)
            ParallelWork.run(parts: batch.lines.count < 256 ? 1 : parts) { _ in decoding.work() }
            self.init(decoding)
        }

        /// The lines of `decoding`, once every line is decoded (the threads that took part joined).
        init(_ decoding: SharedDecoding) {
            decoding.checkEveryLineDecoded()
            self.decoding = decoding
        }

        /// The decoded lines: valid while this batch is (it owns them).
        var lines: UnsafeBufferPointer<ChainVerifier.DecodedLine> { UnsafeBufferPointer(decoding.output) }
        /// Each line's offset in the file.
        var offsets: [UInt64] { decoding.batch.offsets }
        /// Line `index`'s length in bytes, without its newline.
        func length(_ index: Int) -> Int { decoding.batch.lines[index].count }
    }

    /// A batch decoded by whoever has time: a helper thread from the start, the ordered thread
    /// too once it has checked the batch before (the two halves of the pipeline rarely take the
    /// same time, and a core that waits is wasted). Lines are taken a chunk at a time.
    final class SharedDecoding: @unchecked Sendable {
        static let chunkLines = 256

        /// Its lines' bytes are read only while `scanBatches` is calling back with it, which
        /// covers the decoding; its lines' ranges and offsets are kept (`DecodedBatch`).
        let batch: LogScanner.Batch
        /// Initialized by the threads at the indices they took (a chunk taken is always
        /// finished); read once they are joined.
        fileprivate let output: UnsafeMutableBufferPointer<ChainVerifier.DecodedLine>
        private var taken = 0
        private var mutex = pthread_mutex_t()

        init(_ batch: LogScanner.Batch) {
            self.batch = batch
            output = .allocate(capacity: batch.lines.count)
            pthread_mutex_init(&mutex, nil)
        }

        deinit {
            _ = UnsafeMutableBufferPointer(rebasing: output[..<taken]).deinitialize()
            output.deallocate()
            pthread_mutex_destroy(&mutex)
        }

        /// Decodes chunks until none is left.
        func work() {
            StringCache.with { strings in   // this thread's
                while let chunk = take() {
                    for index in chunk {
                        let line = UnsafeRawBufferPointer(rebasing: batch.buffer[batch.lines[index]])
                        (output.baseAddress! + index).initialize(to: ChainVerifier.decode(line: line, strings: strings))
                    }
                }
            }
        }

        /// Once every thread that worked was joined: every line is decoded.
        func checkEveryLineDecoded() {
            precondition(taken == batch.lines.count, "every line decoded")
        }

        private func take() -> Range<Int>? {
            pthread_mutex_lock(&mutex)
            defer { pthread_mutex_unlock(&mutex) }
            guard taken < batch.lines.count else { return nil }
            let chunk = taken..<min(taken + Self.chunkLines, batch.lines.count)
            taken = chunk.upperBound
            return chunk
        }
    }

    /// A batch checked last, handed on to be freed.
    final class DecodedBox: @unchecked Sendable {
        var batch: DecodedBatch?

        init() {}

        /// Holds `batch`, leaving nil: the box is then its only owner.
        init(taking batch: inout DecodedBatch?) {
            self.batch = batch
            batch = nil
        }
    }

    /// Verifies the log at `path`. `rootAtSize` asks for the tree head after that many records
    /// (for checking a checkpoint); `observer` sees each accepted record (the fund's rules, the
    /// signatures); `pendingBatch` is `append.pending`'s note, if any (an unfinished batch of a
    /// version-1 log); `progress` is called every 65,536 records. `linesPerBatch` is for tests
    /// (a verdict must not depend on where batches end).
    ///
    /// A pipeline on two threads: while the checks run in order over one batch of lines (the
    /// chain, the rules, the signatures: they need the records before), the next batch is
    /// decoded and re-hashed beside them (which needs nothing but its lines), by a helper thread
    /// and, once its checks are done, by the ordered thread too; the batch checked before is
    /// freed on the helper thread.
    public static func run(path: String, rootAtSize: UInt64? = nil, observer: Observer? = nil,
                           pendingBatch: PendingBatchNote? = nil,
                           progress: ((UInt64, UInt64) -> Void)? = nil,
                           linesPerBatch: Int = LogScanner.linesPerBatchMax) throws(StorageError) -> Report {
        var checks = OrderedChecks(rootAtSize: rootAtSize, observer: observer, pendingBatch: pendingBatch, progress: progress)
        var waiting: DecodedBatch?
        // The batch checked last, freed beside the next checks: freeing a batch's records (their
        // payloads' strings and tables) is work the ordered thread need not wait for.
        var checked = DecodedBox()
        var ending: LogScanner.Ending
        do {
            ending = try LogScanner.scanBatches(path: path, linesPerBatch: linesPerBatch) { batch in
                guard waiting != nil else {
                    waiting = DecodedBatch(batch, parts: ParallelWork.cores)
                    return nil
                }
                let current = DecodedBox(taking: &waiting), retired = checked, next = SharedDecoding(batch)
                var stopped: UInt64?
                ParallelWork.run(parts: 2) { part in
                    if part == 1 {
                        retired.batch = nil
                        next.work()
                    } else {
                        stopped = checks.check(current.batch!)
                        if stopped == nil { next.work() }
                    }
                }
                checked = current
                waiting = stopped == nil ? DecodedBatch(next) : nil
                return stopped
            }
            if let last = waiting, let stopped = checks.check(last) {
                ending = LogScanner.Ending(tornBytes: 0, tornOffset: 0, completeBytes: stopped)
            }
        } catch let oversize as LogScanner.OversizeLine {
            // The lines before the long one are checked first: it is not the first failure otherwise.
            let stopped = waiting.flatMap { checks.check($0) }
            if stopped == nil { checks.fail(oversize) }
            ending = LogScanner.Ending(tornBytes: 0, tornOffset: 0, completeBytes: stopped ?? oversize.offset)
        } catch let error as StorageError {
            throw error
        } catch {
            preconditionFailure("LogScanner throws StorageError or OversizeLine only: \(error)")
        }
        return checks.report(ending)
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
