import LedgerCore
import LedgerEngine
import LedgerProofs

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
        let ledger = try context.ledger(arguments)
        if let keyPath = arguments.value("sign") {
            let signers = try VerifyCommand.signers(keyPath, context)
            let (checkpoint, note) = try signedCheckpoint(ledger, signers: signers, context: context)
            let names = signers.map(\.verifier.description).joined(separator: ", ")
            try OutputFile.emit(String(decoding: note.bytes, as: UTF8.self), arguments: arguments, context: context,
                                what: "checkpoint of \(Format.grouped(checkpoint.size)) records, signed by \(names)")
            return .success
        }
        let checkpoint: Checkpoint
        do { checkpoint = try ledger.checkpoint() } catch { throw CLIError(error) }
        try OutputFile.emit(checkpoint.text, arguments: arguments, context: context,
                            what: "checkpoint of \(Format.grouped(checkpoint.size)) records")
        return .success
    }

    /// Today's checkpoint after a full verification, signed by `signers`.
    static func signedCheckpoint(_ ledger: Ledger, signers: [NoteSigner],
                                 context: Context) throws(CLIError) -> (Checkpoint, SignedNote) {
        let progress = context.errorIsTerminal ? VerifyCommand.progressPrinter(context) : nil
        defer { if context.errorIsTerminal { context.standardError("\r\u{1B}[K") } }
        do {
            let checkpoint = try ledger.verifiedCheckpoint(progress: progress)
            return (checkpoint, try Ledger.sign(checkpoint.text, by: signers))
        } catch {
            throw CLIError(error)
        }
    }
}
