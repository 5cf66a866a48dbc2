#if canImport(Glibc)
import Glibc
#endif
import LedgerProofs
import LedgerStorage

enum KeygenCommand {
    static let command = Command(
        name: "keygen",
        summary: "make an Ed25519 key pair for signing checkpoints",
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
        for path in [keyPath, publicPath] where exists(path) {
            throw .usage("\(path) already exists; keys are never overwritten")
        }
        let keys: (signerKeyText: String, verifierKeyText: String)
        do { keys = try NoteSigner.generate(name: name) } catch { throw .usage("--name: \(error)") }
        let verifier: NoteVerifier
        do { verifier = try NoteVerifier(keyText: keys.verifierKeyText) } catch {
            preconditionFailure("a generated verifier key parses: \(error)")
        }
        do {
            try OutputFile.create(keys.signerKeyText + "\n", at: keyPath, mode: 0o600)
        } catch {
            throw CLIError(message: "cannot create \(keyPath): \(error)", exitCode: error.isResourceFault ? .ioError : .usage)
        }
        do {
            try OutputFile.create(keys.verifierKeyText + "\n", at: publicPath, mode: 0o644)
            try Directory.sync(OutputFile.directory(of: keyPath))
        } catch {
            unlink(keyPath)  // ours, created just above: no half key pair is left behind
            throw CLIError(message: "cannot create \(publicPath): \(error)", exitCode: error.isResourceFault ? .ioError : .usage)
        }
        context.print("public key  \(verifier.keyText)")
        context.print("key ID      \(verifier.description)")
        context.print("wrote \(keyPath) (signer key, mode 0600: keep it secret) and \(publicPath) (verifier key: share it)")
        return .success
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }
}
