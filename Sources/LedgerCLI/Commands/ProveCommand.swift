import LedgerCore
import LedgerEngine
import LedgerProofs

enum ProveCommand {
    static let command = Command(
        name: "prove",
        summary: "write an inclusion proof of one record that anyone can check offline",
        help: """
        Usage: ledger prove SEQ --ledger DIR (--checkpoint SIGNEDFILE | --sign KEYFILE) [--output FILE]

        Writes an inclusion bundle for record SEQ (Specs/proofs.md, section 7): the record's
        line exactly as stored, its index, the tree size, the RFC 9162 inclusion proof, and a
        signed checkpoint. `ledger verify-proof BUNDLE --key PUBKEY` checks it with no ledger
        at hand, and scripts/check_bundle.py re-checks its Merkle part independently.

          --checkpoint SIGNEDFILE  prove against a signed checkpoint you have (the one the
                                   assembly approved): the log must still have its tree head
                                   over the first SIZE records, and SEQ must be below SIZE.
          --sign KEYFILE           verify the whole log as `ledger verify` does, sign today's
                                   checkpoint with KEYFILE and prove against it.

        The proof comes from the proof cache (cache/), extended or rebuilt as needed; it is
        checked against the checkpoint's tree head and the record's own hash before it is
        written, so a damaged cache can never yield a wrong bundle.

        Exit status: 0 written, 1 the log does not extend the checkpoint (ORIGIN_MISMATCH,
        TRUNCATED, FORKED: run `ledger verify --checkpoint`), 2 usage, no such record,
        malformed checkpoint or key file, 5 the log is broken, 7 I/O error.

        Example:
          ledger prove 4182 --ledger ./fund --checkpoint minutes/2026-06-30.checkpoint --output 4182.proof

        """,
        valued: ["checkpoint", "sign", "output"],
        flags: [],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        guard arguments.positionals.count == 1, let text = arguments.positionals.first else {
            throw .usage("give exactly one record sequence number SEQ")
        }
        guard let seq = UInt64(text), String(seq) == text else {
            throw .usage("SEQ must be a sequence number (a non-negative integer without leading zeros), got \"\(text)\"")
        }
        let ledger = try context.ledger(arguments)
        let document: CheckpointDocument
        switch (arguments.value("checkpoint"), arguments.value("sign")) {
        case (let path?, nil):
            document = try VerifyCommand.loadCheckpoint(path)
            guard let note = document.note, !note.signatures.isEmpty else {
                throw .usage("\(path) is not signed; a bundle needs a signed checkpoint (ledger checkpoint --sign)")
            }
        case (nil, let keyPath?):
            let signers = try VerifyCommand.signers(keyPath, context)
            let (checkpoint, note) = try CheckpointCommand.signedCheckpoint(ledger, signers: signers, context: context)
            document = CheckpointDocument(checkpoint: checkpoint, note: note)
        default:
            throw .usage("give either --checkpoint SIGNEDFILE or --sign KEYFILE")
        }
        let bundle: InclusionBundle
        do {
            bundle = try ledger.inclusionBundle(seq: seq, in: document)
        } catch .integrity(let refusal) {
            context.warn("no bundle: \(refusal.kind.rawValue): \(refusal.message); run `ledger verify --checkpoint`")
            return .integrityFailure
        } catch {
            throw CLIError(error)
        }
        try OutputFile.emit(bundle.document, arguments: arguments, context: context,
                            what: "inclusion proof of record \(seq) in \(Format.grouped(document.checkpoint.size)) records")
        return .success
    }
}
