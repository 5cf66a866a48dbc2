import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerProofs
import LedgerStorage

/// What `verify` found after one pass over the log (Specs/log-format.md section 8).
public typealias LogReport = LogVerification.Report

extension Ledger {
    /// What a verification checks beyond the log itself.
    public struct VerifyRequest {
        /// A checkpoint the auditor kept: the log must extend it (Specs/proofs.md, section 5).
        public var checkpoint: CheckpointDocument?
        /// Keys one of which must have signed the checkpoint (nil: signatures not checked).
        public var trustedKeys: [NoteVerifier]?
        /// Also compare the newest state snapshot with the fold (`STATE_MISMATCH`).
        public var comparingSnapshots = false
        /// Hears (records, bytes) now and then.
        public var progress: ((UInt64, UInt64) -> Void)?

        public init(checkpoint: CheckpointDocument? = nil, trustedKeys: [NoteVerifier]? = nil,
                    comparingSnapshots: Bool = false, progress: ((UInt64, UInt64) -> Void)? = nil) {
            self.checkpoint = checkpoint
            self.trustedKeys = trustedKeys
            self.comparingSnapshots = comparingSnapshots
            self.progress = progress
        }
    }

    /// The verdict, with everything an auditor's report shows.
    public struct Verification {
        /// nil when the log was not read (the checkpoint's signature failed first).
        public let report: LogReport?
        /// The first failure; nil when the log is intact (and extends the checkpoint).
        public let failure: VerifyFailure?
        public let checkpoint: CheckpointDocument?
        public let signature: SignatureStatus?
        public let evidence: ConsistencyEvidence?

        public var isIntact: Bool { failure == nil }
    }

    /// Reads the whole log once and re-checks everything the specs require, trusting nothing
    /// else in the directory: no cache is read or written (but the snapshot compared on request).
    public func verify(_ request: VerifyRequest = VerifyRequest()) throws(LedgerError) -> Verification {
        var signature: SignatureStatus?
        if let stored = request.checkpoint {
            switch stored.signatureStatus(trusting: request.trustedKeys) {
            case .failure(let failure):
                // An untrusted checkpoint proves nothing about the log: it is not read.
                return Verification(report: nil, failure: failure, checkpoint: stored, signature: nil, evidence: nil)
            case .success(let status):
                signature = status
            }
        }
        let (report, stream) = try verifyLog(checkpointSize: request.checkpoint?.checkpoint.size,
                                             comparingSnapshots: request.comparingSnapshots, progress: request.progress)
        var failure = report.failure
        var evidence: ConsistencyEvidence?
        if let stored = request.checkpoint, let stream, failure == nil || failure?.kind.isCrashLeftover == true {
            let check = CheckpointCheck.evaluate(stored, report: report, stream: stream)
            evidence = check.evidence
            // A torn tail must not hide a truncation or a fork: the checkpoint's verdict wins.
            if let checkFailure = check.failure { failure = checkFailure }
        }
        return Verification(report: report, failure: failure, checkpoint: request.checkpoint, signature: signature,
                            evidence: evidence)
    }

    /// One pass over the log with the fund's rules; with a checkpoint size, it also gathers
    /// the consistency proof.
    func verifyLog(checkpointSize: UInt64?, comparingSnapshots: Bool,
                   progress: ((UInt64, UInt64) -> Void)?) throws(LedgerError) -> (report: LogReport, stream: StreamingConsistencyProof?) {
        var stream = checkpointSize.map { StreamingConsistencyProof(oldSize: $0) }
        let pendingBatch = PendingBatchNote.read(paths)
        // The leaves of an append not yet acknowledged (a version-2 append before its signed
        // record; a version-1 batch named by append.pending) wait: if it never finished, the
        // proof must end where the report does, at the last acknowledged record.
        var held: [SHA256Digest] = []
        let room = StateStore.bulkRoom(logBytes: (try? StateStore.completeBytes(paths.log)) ?? 0)
        let checks = VerifyChecks(RecordChecks(comparingWith: comparingSnapshots ? store : nil, room: room))
        let observer = LogVerification.Observer(observe: { record, offset in
            if let failure = checks.observe(record, offset: offset) { return failure }
            guard stream != nil else { return nil }
            held.append(RecordLeaf.hash(record.hash))
            let mayBeUnfinished = record.version >= 2 ? record.signature == nil : offset >= (pendingBatch?.bytesBefore ?? .max)
            if !mayBeUnfinished {
                for leaf in held { stream?.append(leafHash: leaf) }
                held.removeAll(keepingCapacity: true)
            }
            return nil
        }, settle: { checks.flush() })
        var report: LogReport
        do {
            report = try LogVerification.run(path: paths.log, rootAtSize: checkpointSize, observer: observer,
                                             pendingBatch: pendingBatch, progress: progress)
        } catch {
            throw .storage(error)
        }
        report.unsignedRecords = checks.records.appends.unsignedRecords
        report.bootstrap = checks.records.appends.bootstrap
        options.keepUntilExit?(checks)
        if report.failure?.kind != .unfinishedBatch { for leaf in held { stream?.append(leafHash: leaf) } }
        if let stream, report.failure == nil || report.failure?.kind == .unfinishedBatch {
            precondition(stream.size == report.recordCount && stream.treeHead == report.treeHead,
                         "the proof stream saw every record the verifier acknowledged")
        }
        return (report, stream)
    }

    /// Whether this ledger extends `document` (verified in full, as `verify` does): nil when it
    /// does, else the failure (a broken log, or ORIGIN_MISMATCH, TRUNCATED, FORKED).
    public func failure(against document: CheckpointDocument,
                        progress: ((UInt64, UInt64) -> Void)? = nil) throws(LedgerError) -> VerifyFailure? {
        let (report, stream) = try verifyLog(checkpointSize: document.checkpoint.size, comparingSnapshots: false,
                                             progress: progress)
        if let failure = report.failure, !failure.kind.isCrashLeftover { return failure }
        guard let stream else { preconditionFailure("a checkpoint size was given") }
        return CheckpointCheck.evaluate(document, report: report, stream: stream).failure
    }
}

/// Checks a verified log against a checkpoint the auditor kept (Specs/proofs.md, section 5).
enum CheckpointCheck {
    static func evaluate(_ stored: CheckpointDocument, report: LogReport,
                         stream: StreamingConsistencyProof) -> (failure: VerifyFailure?, evidence: ConsistencyEvidence?) {
        let checkpoint = stored.checkpoint
        guard let genesis = report.genesis,
              let today = try? Checkpoint(origin: genesis.origin, size: report.recordCount, root: report.treeHead) else {
            // No genesis record: nothing to compare, but an empty log holds fewer records.
            guard checkpoint.size > 0 else { return (nil, nil) }
            return (failure(.truncated, seq: 0, "the checkpoint has \(checkpoint.size) records but the log has none"), nil)
        }
        let evidence = ConsistencyEvidence.make(
            stored: stored, current: today.text, currentCheckpoint: today,
            logTreeHeadAtStoredSize: {
                guard let head = report.treeHeadAtCheckpoint else { preconditionFailure("the log reached the checkpoint's size") }
                return head
            },
            proof: {
                do { return try stream.proof() } catch { preconditionFailure("the stream keeps every subtree a proof reads: \(error)") }
            })
        switch evidence.outcome {
        case .consistent:
            return (nil, evidence)
        case .originMismatch:
            let message = "the checkpoint is for \"\(checkpoint.origin)\" but this ledger is \"\(genesis.origin)\""
            return (failure(.originMismatch, seq: nil, message), evidence)
        case .truncated:
            return (failure(.truncated, seq: report.recordCount,
                            "the checkpoint has \(checkpoint.size) records but the log has only \(report.recordCount)"), evidence)
        case .forked:
            let now = evidence.logAtStoredSize.map { Base64.encode($0.root.bytes) } ?? "?"
            let message = "the first \(checkpoint.size) records have tree head \(now),"
                + " the checkpoint says \(Base64.encode(checkpoint.root.bytes)): one or more of them differ from those it certified"
                + " (a tree head cannot say which: compare with a copy of the log of that day; checkpoints kept more often narrow it)"
            return (failure(.forked, seq: checkpoint.size == 0 ? 0 : checkpoint.size - 1, message), evidence)
        }
    }

    static func failure(_ kind: FailureKind, seq: UInt64?, _ message: String) -> VerifyFailure {
        VerifyFailure(kind: kind, seq: seq, line: nil, offset: nil, message: message)
    }
}

/// The record checks of a verification, with the appends' signatures verified in batches on
/// every core (they are independent once `RecordChecks` has found each one's key): the first
/// failure in log order is reported whatever the order in which they were verified.
final class VerifyChecks {
    private(set) var records: RecordChecks
    private var signatures = SignatureBatch()

    init(_ records: RecordChecks) { self.records = records }

    func observe(_ record: Record, offset: UInt64) -> VerifyFailure? {
        switch records.observe(record) {
        case .failure(let failure):
            // A signature before this record may fail too: the earlier failure wins.
            return flush() ?? failure
        case .success(let signature?):
            return signatures.add(signature, offset: offset) ? flush() : nil
        case .success(nil):
            return nil
        }
    }

    /// Verifies the gathered signatures, on every core; the failure of the lowest record, if any.
    func flush() -> VerifyFailure? {
        guard let (signature, offset) = signatures.verify() else { return nil }
        let failure = signature.failure
        return VerifyFailure(kind: .badSignature, seq: failure.seq, line: failure.seq + 1, offset: offset, message: failure.message)
    }
}
