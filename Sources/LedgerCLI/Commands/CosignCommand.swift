import LedgerCore
import LedgerEngine
import LedgerProofs

enum CosignCommand {
    static let command = Command(
        name: "cosign",
        summary: "add your signature to a checkpoint (an auditor's co-signature)",
        help: """
        Usage: ledger cosign FILE --sign KEYFILE [--key PUBKEY] [--ledger DIR] [--output FILE]

        Adds a signature by each key in KEYFILE (a .key file of `ledger keygen`) to the
        checkpoint in FILE, keeping the signatures already there: a C2SP signed note carries
        any number of them, and verifiers ignore the ones whose keys they do not know. A bare
        checkpoint becomes a signed note. Signing again with the same key replaces that
        signature (Ed25519 is deterministic: the same bytes).

        Before signing it checks what it can, and signs nothing if a check fails:
          --key PUBKEY   the note must carry a valid signature by one of these keys (the
                         ledger's, usually); otherwise BAD_SIGNATURE;
          --ledger DIR   (or LEDGER_DIR) the ledger is verified in full, as `ledger verify`
                         does, and must extend the checkpoint: same origin, at least SIZE
                         records, the same tree head over the first SIZE. Without a ledger the
                         output says that it was not checked against one.

        The note goes to standard output, or to --output FILE (which may be FILE itself:
        it is replaced whole, never half-written).

        Exit status: 0 signed, 1 a check failed (BAD_SIGNATURE, or the ledger does not match),
        2 usage, malformed checkpoint or key file, 7 I/O error.

        Example:
          ledger cosign minutes/2026-06-30.checkpoint --sign auditor.key --key treasurer.pub \\
                 --ledger ./fund --output minutes/2026-06-30.checkpoint

        """,
        valued: ["sign", "key", "output"],
        flags: [],
        repeatable: ["key"],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw .usage("give exactly one checkpoint FILE")
        }
        let signers = try VerifyCommand.signers(try arguments.required("sign"), context)
        let verifiers = try VerifyCommand.trustedKeys(arguments)
        let document = try VerifyCommand.loadCheckpoint(path)
        var checked: [String] = []
        switch document.signatureStatus(trusting: verifiers) {
        case .failure(let failure):
            context.warn("not signed: \(failure.kind.rawValue): \(failure.message)")
            return .integrityFailure
        case .success(let status):
            if case .trusted = status { checked.append("signatures \(SignatureText.text(status))") }
        }
        if let directory = arguments.value("ledger") ?? context.environment["LEDGER_DIR"], !directory.isEmpty {
            if let failure = try ledgerFailure(document, directory: directory, arguments: arguments, context: context) {
                context.warn("not signed: \(failure.kind.rawValue): \(failure.message)")
                return .integrityFailure
            }
            checked.append("the ledger in \(directory) extends it")
        } else {
            checked.append("NOT checked against a ledger (no --ledger)")
        }
        let note: SignedNote
        do { note = try Ledger.sign(document.checkpoint.text, by: signers, onto: document.note) } catch { throw CLIError(error) }
        let names = signers.map(\.verifier.description).joined(separator: ", ")
        try OutputFile.emit(String(decoding: note.bytes, as: UTF8.self), arguments: arguments, context: context,
                            what: "checkpoint co-signed by \(names) (\(note.signatures.count) signatures)")
        context.warn("checked: " + checked.joined(separator: "; "))
        return .success
    }

    /// Verifies the ledger in full against the checkpoint; nil when it extends it.
    static func ledgerFailure(_ document: CheckpointDocument, directory: String, arguments: Arguments,
                              context: Context) throws(CLIError) -> VerifyFailure? {
        let options = try context.options(arguments)
        let ledger: Ledger
        do { ledger = try Ledger(directory: directory, options: options) } catch {
            throw .usage("\(directory) is not a ledger: no log.jsonl")
        }
        defer { if context.errorIsTerminal { context.standardError("\r\u{1B}[K") } }
        do {
            return try ledger.failure(against: document,
                                      progress: context.errorIsTerminal ? VerifyCommand.progressPrinter(context) : nil)
        } catch {
            throw .usage("cannot read the log: \(error)")
        }
    }
}
