import LedgerCore
import LedgerEngine
import LedgerJSON
import LedgerProofs

enum VerifyProofCommand {
    static let command = Command(
        name: "verify-proof",
        summary: "check an inclusion bundle offline: the record is in a signed ledger",
        help: """
        Usage: ledger verify-proof BUNDLE --key PUBKEY [--json]

        Checks an inclusion bundle written by `ledger prove` (BUNDLE may be - for standard
        input) without any ledger at hand, in this order (Specs/proofs.md, section 7):
          1. the bundle is well formed, and its checkpoint is a signed note around a checkpoint
             of size tree_size;
          2. a key in PUBKEY (one verifier key per line) signed the checkpoint, and no
             signature by one of those keys fails; signatures by other keys are ignored;
          3. the record line is a valid record whose stored hash is the hash of its bytes,
             and its seq is the bundle's index;
          4. the inclusion proof leads from the record's leaf hash to the checkpoint's tree head.
        If all hold, the record is in the ledger the signer signed, at that position.

        Exit status: 0 valid; 1 the proof does not hold (BAD_SIGNATURE, RECORD_INVALID,
        INDEX_MISMATCH, PROOF_INVALID: a hash too many or too few, an index beyond the size,
        another tree head); 2 usage, unreadable file or malformed bundle.

        Example:
          ledger verify-proof 4182.proof --key treasurer.pub

        """,
        valued: ["key"],
        flags: ["json"],
        repeatable: ["key"],
        run: run)

    typealias Refusal = InclusionBundle.Refusal

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw .usage("give exactly one BUNDLE file (or - for standard input)")
        }
        _ = try arguments.required("key")
        let verifiers = try VerifyCommand.trustedKeys(arguments) ?? []
        let bytes = try readInput(path, limits: UserFiles.Limits(bytesMax: InclusionBundle.bytesMax), context: context)
        let bundle: InclusionBundle, document: CheckpointDocument
        do throws(BundleError) {
            bundle = try InclusionBundle.parse(bytes)
            document = try bundle.checkedCheckpoint()
        } catch {
            let refusal = Refusal(kind: "MALFORMED_BUNDLE", message: error.description)
            report(.failure(refusal), bundle: nil, arguments: arguments, context: context)
            return .usage
        }
        let result = bundle.check(against: document, trusting: verifiers)
        report(result, bundle: bundle, arguments: arguments, context: context)
        switch result {
        case .success: return .success
        case .failure: return .integrityFailure
        }
    }

    static func report(_ result: Result<(record: Record, signers: [NoteVerifier]), Refusal>, bundle: InclusionBundle?,
                       arguments: Arguments, context: Context) {
        let json = arguments.has("json")
        switch result {
        case .success(let (record, signers)):
            guard let bundle else { preconditionFailure("a valid result has a bundle") }
            let origin = (try? CheckpointDocument.parse(Array(bundle.checkpoint.utf8)))?.checkpoint.origin ?? "?"
            if json {
                let object = JSONObject([
                    ("hash", .string(record.hash.hex)), ("origin", .string(origin)), ("seq", .integer(Int64(record.seq))),
                    ("signers", .array(signers.map { .string($0.description) })), ("status", .string("valid")),
                    ("tree_size", .integer(Int64(bundle.treeSize))), ("type", .string(record.type)),
                ])
                context.printData(String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self))
                return
            }
            context.print("ledger verify-proof: VALID")
            context.print("  record     seq \(record.seq), \(record.type), recorded \(record.recordedAt), effective \(record.effective), by \(record.actor)")
            context.print("  hash       \(record.hash.hex)")
            context.print("  ledger     \(origin), signed checkpoint of \(Format.grouped(bundle.treeSize)) records")
            context.print("  signed by  \(signers.map(\.description).joined(separator: ", "))")
            context.print("  proof      \(bundle.proof.count) hashes from the record's leaf to the signed tree head (RFC 9162 2.1.3)")
        case .failure(let refusal):
            let status = refusal.kind == "MALFORMED_BUNDLE" ? "malformed" : "invalid"
            if json {
                let object = JSONObject([("kind", .string(refusal.kind)), ("message", .string(refusal.message)), ("status", .string(status))])
                context.printData(String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self))
                return
            }
            context.print("ledger verify-proof: \(status.uppercased())")
            context.print("  kind       \(refusal.kind)")
            context.print("  reason     \(refusal.message)")
        }
    }
}
