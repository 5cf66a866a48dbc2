import LedgerCore
import LedgerCrypto
import LedgerProofs
import LedgerStorage

enum CheckpointCommand {
    static let command = Command(
        name: "checkpoint",
        summary: "print the checkpoint (origin, size, tree head) an auditor keeps; --sign signs it",
        help: """
        Usage: ledger checkpoint --ledger DIR [--sign KEYFILE] [--output FILE]

        Prints the log's checkpoint in the C2SP tlog-checkpoint format: the ledger's origin, its
        number of records and the base64 RFC 9162 Merkle tree head over them (Specs/log-format.md,
        section 9). Keep it outside the ledger: later, `ledger verify --checkpoint FILE` proves
        that the log still extends it, so a truncated or rewritten history is caught.

        Without --sign it is computed from the proof cache (cache/merkle.hashes, rebuilt or
        extended from the log as needed), checking the hash chain of every record it adds: each
        record's hash over its bytes, each link, the sequence. A log whose chain breaks gets no
        checkpoint; `ledger verify` checks the rest.

        With --sign KEYFILE it first verifies the whole log as `ledger verify` does (signing
        commits you: a log with any failure gets no signature), then prints a C2SP signed note:
        the checkpoint, a blank line and one signature line per key in KEYFILE (the .key file
        of `ledger keygen`). Others add theirs with `ledger cosign` (Specs/proofs.md).

        Exit status: 0 done, 2 usage or unreadable key, 5 the log is broken, 7 I/O error.

        Examples:
          ledger checkpoint --ledger ./fund --output ~/audit/fund-2026-06-30.checkpoint
          ledger checkpoint --ledger ./fund --sign treasurer.key --output minutes/2026-06-30.checkpoint

        """,
        valued: ["sign", "output"],
        flags: [],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let paths = try context.ledgerPaths(arguments)
        guard Directory.fileExists(paths.log) else {
            throw CLIError(StorageError.notALedger(path: paths.directory, reason: "no log.jsonl"))
        }
        if let keyPath = arguments.value("sign") {
            let signers = try KeyFile.signers(keyPath, context: context)
            let checkpoint = try verifiedCheckpoint(paths, context: context)
            let note = try sign(checkpoint.text, by: signers)
            let names = signers.map(\.verifier.description).joined(separator: ", ")
            try OutputFile.emit(String(decoding: note.bytes, as: UTF8.self), arguments: arguments, context: context,
                                what: "checkpoint of \(Format.grouped(checkpoint.size)) records, signed by \(names)")
            return .success
        }
        let cache = try MerkleCache.open(for: paths, context: context)
        let checkpoint = try cachedCheckpoint(cache)
        cache.showNotices(context)
        try OutputFile.emit(checkpoint.text, arguments: arguments, context: context,
                            what: "checkpoint of \(Format.grouped(checkpoint.size)) records")
        return .success
    }

    /// Today's checkpoint from the proof cache (whose tree head was re-derived when it opened).
    static func cachedCheckpoint(_ cache: MerkleCache) throws(CLIError) -> Checkpoint {
        let origin = try cache.origin()
        let size = cache.recordCount
        do {
            return try Checkpoint(origin: origin, size: size, root: cache.treeHead(size: size))
        } catch let error as MerkleCacheError {
            throw CLIError(error)
        } catch {
            throw CLIError(message: "cannot form a checkpoint: \(error)", exitCode: .notALedger)
        }
    }

    /// Today's checkpoint after a full verification: the one thing a signer may sign.
    static func verifiedCheckpoint(_ paths: LedgerPaths, context: Context) throws(CLIError) -> Checkpoint {
        try recoverBeforeIssuingEvidence(paths, context: context)
        let report: LogVerification.Report
        do {
            report = try LogVerification.run(path: paths.log, observe: FundRules.verifier(),
                                             progress: context.errorIsTerminal ? VerifyCommand.progressPrinter(context) : nil)
        } catch {
            throw CLIError(error)
        }
        if context.errorIsTerminal { context.standardError("\r\u{1B}[K") }
        if let failure = report.failure, !failure.kind.isTornTail {
            throw CLIError(message: "the log is broken, nothing signed: \(failure)", exitCode: .notALedger)
        }
        guard let genesis = report.genesis else {
            throw CLIError(message: "the log has no genesis record, nothing signed", exitCode: .notALedger)
        }
        do {
            return try Checkpoint(origin: genesis.origin, size: report.recordCount, root: report.treeHead)
        } catch {
            throw CLIError(message: "cannot form a checkpoint: \(error)", exitCode: .notALedger)
        }
    }

    /// A signed note over `text`, one signature per signer.
    static func sign(_ text: String, by signers: [NoteSigner], onto existing: SignedNote? = nil) throws(CLIError) -> SignedNote {
        precondition(!signers.isEmpty, "a key file holds at least one key")
        do {
            var note = try existing ?? SignedNote(text: text)
            for signer in signers { try note.addSignature(signer: signer) }
            precondition(note.text == text, "signing never changes the text")
            return note
        } catch {
            throw .input("cannot sign: \(error)")
        }
    }
}
