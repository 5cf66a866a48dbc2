import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerProofs
import LedgerStorage

enum VerifyCommand {
    static let command = Command(
        name: "verify",
        summary: "check the log's integrity, optionally against a (signed) checkpoint you kept",
        help: """
        Usage: ledger verify --ledger DIR [--checkpoint FILE [--key PUBKEY]] [--snapshots] [--json]

        Reads the whole log once and re-checks everything Specs/log-format.md requires: every
        line's canonical form and schema, the dense sequence, the genesis record, every hash,
        every link, the order of recorded times, and the fund's rules of Specs/events.md (a
        record that breaks one is a RULE_VIOLATION). It trusts nothing else in
        the directory: caches are neither read nor written. It stops at the first failure and
        names its kind, sequence number, line and byte offset.

        With --checkpoint FILE (the output of `ledger checkpoint` you kept, bare or signed), it
        also proves that the log still extends it: same origin (else ORIGIN_MISMATCH), at least
        as many records (else TRUNCATED), the same Merkle tree head over the first SIZE records
        (else FORKED). It prints evidence a third party checks without the ledger
        (scripts/check_consistency.py): the stored checkpoint, the log's checkpoint at that size
        when it differs, today's checkpoint and the RFC 9162 consistency proof between them.

        With --key PUBKEY (a verifier key file: one key per line, e.g. `cat a.pub b.pub`), the
        checkpoint must carry a valid signature by one of those keys before anything else is
        checked; signatures by other keys are ignored; a bare checkpoint, a signature by a given
        key that fails, or no signature by any given key is BAD_SIGNATURE. Without --key the
        signatures of a signed checkpoint are not checked, and the output says so.

        With --snapshots it also reads the newest state snapshot in cache/snapshots/ and compares
        it with its own fold when it reaches the records the snapshot covers: one that holds
        another state is STATE_MISMATCH (Specs/reports.md, section 6).

        Exit status: 0 intact, 1 integrity failure (including BAD_SIGNATURE, ORIGIN_MISMATCH,
        TRUNCATED, FORKED), 2 usage or I/O error, 3 records intact but a torn tail follows
        (a crash; never acknowledged).

        Example:
          ledger verify --ledger ./fund --checkpoint ~/audit/fund-2026-06-30.checkpoint --key treasurer.pub

        """,
        valued: ["checkpoint", "key"],
        flags: ["json", "snapshots"],
        repeatable: ["key"],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let paths = try context.ledgerPaths(arguments)
        if arguments.has("snapshots") { SnapshotCheck.enable(paths, warn: context.warn) }
        let stored = try arguments.value("checkpoint").map { (path) throws(CLIError) in try CheckpointDocument.load(path) }
        guard stored != nil || arguments.value("key") == nil else {
            throw .usage("--key checks a checkpoint's signature: give --checkpoint FILE")
        }
        let verifiers = try KeyFile.verifiers(arguments)
        guard Directory.fileExists(paths.log) else {
            throw .usage("\(paths.directory) is not a ledger: no log.jsonl")
        }
        var signature: SignatureStatus?
        if let stored {
            switch stored.signatureStatus(trusting: verifiers) {
            case .failure(let failure):
                // An untrusted checkpoint proves nothing about the log: it is not read.
                return finish(Verdict(report: nil, failure: failure, checkpoint: stored, signature: nil, evidence: nil),
                              arguments, context)
            case .success(let status):
                signature = status
            }
        }
        let (report, stream) = try verifyLog(paths, checkpointSize: stored?.checkpoint.size, context: context)
        var failure = report.failure
        var evidence: ConsistencyEvidence?
        if let stored, let stream, failure == nil || failure?.kind.isTornTail == true {
            let check = CheckpointCheck.evaluate(stored, report: report, stream: stream)
            evidence = check.evidence
            // A torn tail must not hide a truncation or a fork: the checkpoint's verdict wins.
            if let checkFailure = check.failure { failure = checkFailure }
        }
        return finish(Verdict(report: report, failure: failure, checkpoint: stored, signature: signature, evidence: evidence),
                      arguments, context)
    }

    /// One pass over the log; with a checkpoint size, it also gathers the consistency proof.
    static func verifyLog(_ paths: LedgerPaths, checkpointSize: UInt64?,
                          context: Context) throws(CLIError) -> (LogVerification.Report, StreamingConsistencyProof?) {
        var stream = checkpointSize.map { StreamingConsistencyProof(oldSize: $0) }
        let fundRules = FundRules.verifier()
        let observe: (Record) -> VerifyFailure? = { record in
            if let failure = fundRules(record) { return failure }
            stream?.append(leafHash: RecordLeaf.hash(record.hash))
            return nil
        }
        let report: LogVerification.Report
        do {
            report = try LogVerification.run(path: paths.log, rootAtSize: checkpointSize, observe: observe,
                                             progress: context.errorIsTerminal ? progressPrinter(context) : nil)
        } catch {
            throw .usage("cannot read the log: \(error)")
        }
        if context.errorIsTerminal { context.standardError("\r\u{1B}[K") }
        if let stream, report.failure == nil {
            precondition(stream.size == report.recordCount && stream.treeHead == report.treeHead,
                         "the proof stream saw every record the verifier accepted")
        }
        return (report, stream)
    }

    static func finish(_ verdict: Verdict, _ arguments: Arguments, _ context: Context) -> ExitCode {
        context.standardOutput(arguments.has("json") ? verdict.json + "\n" : verdict.text)
        guard let failure = verdict.failure else { return .success }
        return failure.kind.isTornTail ? .tornTail : .integrityFailure
    }

    static func progressPrinter(_ context: Context) -> (UInt64, UInt64) -> Void {
        { records, bytes in
            context.standardError("\rverifying: \(Format.grouped(records)) records, \(Format.grouped(bytes / 1_000_000)) MB")
        }
    }
}

/// Checks a verified log against a checkpoint the auditor kept (Specs/proofs.md, section 5).
enum CheckpointCheck {
    static func evaluate(_ stored: CheckpointDocument, report: LogVerification.Report,
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
                + " the checkpoint says \(Base64.encode(checkpoint.root.bytes))"
            return (failure(.forked, seq: checkpoint.size == 0 ? 0 : checkpoint.size - 1, message), evidence)
        }
    }

    static func failure(_ kind: FailureKind, seq: UInt64?, _ message: String) -> VerifyFailure {
        VerifyFailure(kind: kind, seq: seq, line: nil, offset: nil, message: message)
    }
}
