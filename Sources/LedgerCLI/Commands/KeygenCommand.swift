import LedgerEngine
import LedgerProofs

enum KeygenCommand {
    static let command = Command(
        name: "keygen",
        summary: "make an Ed25519 key pair (an operator signs appends with it; an auditor, checkpoints)",
        help: """
        Usage: ledger keygen --name NAME --output PREFIX

        Makes a new Ed25519 key pair from the system's secure random source and writes
          PREFIX.key  the signer key, "PRIVATE+KEY+NAME+<key ID>+<base64>", mode 0600;
                      keep it secret: whoever holds it signs checkpoints in your name;
          PREFIX.pub  the verifier key, "NAME+<key ID>+<base64>": give it to whoever checks
                      your signatures (`ledger verify --key`, `ledger verify-proof --key`).
        The formats are those of golang.org/x/mod/sumdb/note (Specs/proofs.md, section 3).
        Neither file may exist already: keys are never overwritten. The private key is never
        printed; the public key and its key ID are.

        NAME identifies the signer in signature lines: no spaces, no '+', for example
        treasurer.operation-milliard.example or an auditor's domain.

        Exit status: 0 done, 2 usage error or a file exists, 7 I/O error.

        Example:
          ledger keygen --name auditor.example.org --output ~/keys/auditor

        """,
        valued: ["name", "output"],
        flags: [],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let name = try arguments.required("name")
        let prefix = try arguments.required("output")
        guard !prefix.isEmpty else { throw .usage("--output needs a path prefix") }
        let keyPath = prefix + ".key", publicPath = prefix + ".pub"
        for path in [keyPath, publicPath] where UserFiles.exists(path) {
            throw .usage("\(path) already exists; keys are never overwritten")
        }
        let keys: (signerKeyText: String, verifierKeyText: String)
        do { keys = try NoteSigner.generate(name: name) } catch { throw .usage("--name: \(error)") }
        let verifier: NoteVerifier
        do { verifier = try NoteVerifier(keyText: keys.verifierKeyText) } catch {
            preconditionFailure("a generated verifier key parses: \(error)")
        }
        do {
            try UserFiles.create(keyPath, with: keys.signerKeyText + "\n", mode: 0o600)
        } catch {
            throw Self.failure(creating: keyPath, error)
        }
        do {
            try UserFiles.create(publicPath, with: keys.verifierKeyText + "\n", mode: 0o644)
            try UserFiles.syncDirectory(of: keyPath)
        } catch {
            UserFiles.remove(keyPath)  // ours, created just above: no half key pair is left behind
            throw Self.failure(creating: publicPath, error)
        }
        context.print("public key  \(verifier.keyText)")
        context.print("key ID      \(verifier.description)")
        context.print("wrote \(keyPath) (signer key, mode 0600: keep it secret) and \(publicPath) (verifier key: share it)")
        return .success
    }

    /// A file that could not be created: a usage error (it exists, a bad path) unless the
    /// system refused (a full disk, a read-only file system).
    static func failure(creating path: String, _ error: LedgerError) -> CLIError {
        CLIError(message: "cannot create \(path): \(error)", exitCode: error.isResourceFault ? .ioError : .usage)
    }
}
