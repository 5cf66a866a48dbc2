#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto

/// `ledger verify` over a log file: streams it once through a `ChainVerifier`.
public struct LogVerification {
    public struct Report: Sendable {
        public var recordCount: UInt64
        public var logBytes: UInt64
        public var headHash: SHA256Digest
        public var treeHead: SHA256Digest
        public var genesis: Genesis?
        /// The first failure, or nil when the log is intact.
        public var failure: VerifyFailure?
        /// The tree head after exactly `checkpointSize` records, when one was asked for and reached.
        public var treeHeadAtCheckpoint: SHA256Digest?
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
    /// (for checking a checkpoint); `observe` sees each accepted record (the fund's rules, later);
    /// `progress` is called every `progressInterval` records.
    public static func run(path: String, rootAtSize: UInt64? = nil,
                           observe: ((Record) -> VerifyFailure?)? = nil,
                           progress: ((UInt64, UInt64) -> Void)? = nil) throws(StorageError) -> Report {
        var verifier = ChainVerifier()
        var failure: VerifyFailure?
        var rootAtCheckpoint: SHA256Digest? = rootAtSize == 0 ? verifier.tree.root : nil
        let ending: LogScanner.Ending
        do {
            ending = try LogScanner.scanBatches(path: path) { batch in
                let decoded = decodeInParallel(batch)
                for (index, line) in decoded.enumerated() {
                    let offset = batch.offsets[index]
                    switch verifier.accept(line, offset: offset) {
                    case .failure(let found):
                        failure = found
                        return offset
                    case .success(let record):
                        if let observe, let found = observe(record) {
                            failure = found.placed(line: record.seq + 1, offset: offset)
                            return offset
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
        if failure == nil { failure = verifier.finish(tornTailBytes: ending.tornBytes, tornTailOffset: ending.tornOffset) }
        return Report(recordCount: verifier.recordCount, logBytes: ending.completeBytes, headHash: verifier.headHash,
                      treeHead: verifier.tree.root, genesis: verifier.genesis, failure: failure,
                      treeHeadAtCheckpoint: rootAtCheckpoint)
    }
}

