import LedgerCrypto
import LedgerProofs

/// Key files (Specs/proofs.md, section 3): one key text per line; blank lines and lines starting
/// with '#' are ignored, so several trusted keys fit in one file (`cat a.pub b.pub > trusted`).
/// Messages never quote a line of a key file: a signer key file holds a secret.
public enum KeyFile {
    static let keyCountMax = 16
    static let fileBytesMax = 16_384

    /// The verifier keys of every file in `paths` (each may hold several keys).
    public static func verifiers(_ paths: [String]) throws(LedgerError) -> [NoteVerifier] {
        var all: [NoteVerifier] = []
        for path in paths { all += try verifiers(path) }
        return all
    }

    public static func verifiers(_ path: String) throws(LedgerError) -> [NoteVerifier] {
        var verifiers: [NoteVerifier] = []
        for (number, line) in try keyLines(path) {
            guard !line.hasPrefix("PRIVATE+KEY+") else {
                throw .invalidInput("\(path) line \(number) is a signer (private) key; give the verifier key (.pub) instead")
            }
            do { verifiers.append(try NoteVerifier(keyText: line)) } catch {
                throw .invalidInput("\(path) line \(number) is not a verifier key: \(error)")
            }
        }
        return verifiers
    }

    /// The signer keys of a file; `warn` hears about a file that group or others may read.
    public static func signers(_ path: String, warn: (LedgerWarning) -> Void) throws(LedgerError) -> [NoteSigner] {
        if let mode = UserFiles.permissions(path), mode & 0o077 != 0 {
            warn(LedgerWarning(.fileMode, "warning: \(path) can be read by other users (mode \(String(mode, radix: 8))); chmod 600 it"))
        }
        var signers: [NoteSigner] = []
        for (number, line) in try keyLines(path) {
            do { signers.append(try NoteSigner(keyText: line)) } catch {
                throw .invalidInput("\(path) line \(number) is not a signer key: \(error)")
            }
        }
        return signers
    }

    /// The numbered key lines of a file: at least one, at most `keyCountMax`.
    private static func keyLines(_ path: String) throws(LedgerError) -> [(Int, String)] {
        let bytes = try UserFiles.read(path, limits: UserFiles.Limits(bytesMax: fileBytesMax))
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidInput("\(path) is not a key file (UTF-8 text of at most \(fileBytesMax) bytes)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { ($0.offset + 1, String($0.element)) }
            .filter { !$0.1.isEmpty && !$0.1.hasPrefix("#") }
        guard !lines.isEmpty else { throw .invalidInput("\(path) holds no key") }
        guard lines.count <= keyCountMax else { throw .invalidInput("\(path) holds more than \(keyCountMax) keys") }
        return lines
    }
}

#if canImport(Glibc)
import Glibc
#endif
import LedgerCore

extension KeyFile {
    /// The operator's append signer from a signer key file (one key), which must lie outside the
    /// ledger `directory`: whoever can write the directory must not find a key in it
    /// (Specs/trust.md, section 1).
    public static func appendSigner(_ path: String, outside directory: String,
                                    warn: (LedgerWarning) -> Void) throws(LedgerError) -> AppendSigner {
        if let key = realPath(path), let ledger = realPath(directory), key == ledger || key.hasPrefix(ledger + "/") {
            throw .invalidInput("\(path) lies inside the ledger directory \(directory): a private key never enters the ledger directory (move it out, and chmod 600 it)")
        }
        let signers = try signers(path, warn: warn)
        guard signers.count == 1, let signer = signers.first else {
            throw .invalidInput("\(path) holds \(signers.count) keys; an operator signs with one")
        }
        return AppendSigner(privateKey: signer.ed25519Key)
    }

    /// The public key of a verifier key file holding one key (an operator's .pub file).
    public static func publicKey(_ path: String) throws(LedgerError) -> Ed25519.PublicKey {
        let keys = try verifiers(path)
        guard keys.count == 1, let key = keys.first else {
            throw .invalidInput("\(path) holds \(keys.count) keys; give the .pub file of one operator")
        }
        return key.publicKey
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
