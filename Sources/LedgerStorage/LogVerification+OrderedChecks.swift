import LedgerCore
import LedgerCrypto

extension LogVerification {
    /// The checks of `run` that need the records before each one, in log order over decoded
    /// batches: the chain (`ChainVerifier`), the observer's (the fund's rules, the signatures),
    /// and where appends end (what is acknowledged). Then the report.
    struct OrderedChecks {
        let rootAtSize: UInt64?
        let observer: Observer?
        let pendingBatch: PendingBatchNote?
        let progress: ((UInt64, UInt64) -> Void)?
        var verifier = ChainVerifier()
        var failure: VerifyFailure?
        var rootAtCheckpoint: SHA256Digest?
        var acknowledged = Acknowledged()
        /// Where the version-1 batch `pendingBatch` names began, once reached.
        var batchStart: Acknowledged?

        init(rootAtSize: UInt64?, observer: Observer?, pendingBatch: PendingBatchNote?, progress: ((UInt64, UInt64) -> Void)?) {
            (self.rootAtSize, self.observer, self.pendingBatch, self.progress) = (rootAtSize, observer, pendingBatch, progress)
            rootAtCheckpoint = rootAtSize == 0 ? verifier.tree.root : nil
        }

        /// Checks a decoded batch; the offset where the checks stopped on a failure, if they did.
        mutating func check(_ batch: DecodedBatch) -> UInt64? {
            // By index, not `for line in`: each line would be copied (its record retained) first.
            let lines = batch.lines, offsets = batch.offsets
            for index in lines.indices {
                let offset = offsets[index]
                if offset == pendingBatch?.bytesBefore { batchStart = Acknowledged(count: verifier.recordCount, head: verifier.headHash,
                                                                                    bytes: offset, tree: verifier.tree) }
                if acknowledged.tree == nil, acknowledged.count == verifier.recordCount, let record = lines[index].record,
                   record.version >= 2, record.signature == nil {
                    acknowledged.tree = verifier.tree   // an append of several records begins
                }
                switch verifier.accept(lines[index], offset: offset) {
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
                                                    bytes: offset + UInt64(batch.length(index)) + 1)
                    }
                }
                if verifier.recordCount == rootAtSize { rootAtCheckpoint = verifier.tree.root }
                if let progress, verifier.recordCount % 65_536 == 0 { progress(verifier.recordCount, offset) }
            }
            return nil
        }

        /// A line too long to be a record, after every line before it passed.
        mutating func fail(_ oversize: LogScanner.OversizeLine) {
            failure = VerifyFailure(kind: .malformed, seq: verifier.recordCount, line: oversize.lineNumber,
                                    offset: oversize.offset, message: "line longer than \(RecordCodec.lineBytesMax) bytes")
        }

        /// The verdict once the scan ended as `ending` says: the observer's deferred checks, an
        /// unfinished append, a torn tail.
        func report(_ ending: LogScanner.Ending) -> Report {
            var failure = failure
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
    }
}
