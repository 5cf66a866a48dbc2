#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerProofs
import LedgerStorage

/// Key files (Specs/proofs.md, section 3): one key text per line; blank lines and lines starting
/// with '#' are ignored, so several trusted keys fit in one file (`cat a.pub b.pub > trusted`).
/// Messages never quote a line of a key file: a signer key file holds a secret.
enum KeyFile {
    static let keyCountMax = 16
    static let fileBytesMax = 16_384

    /// The verifier keys of every `--key` file given (each file may hold several keys), or nil
    /// when none was given.
    static func verifiers(_ arguments: Arguments) throws(CLIError) -> [NoteVerifier]? {
        let paths = arguments.allValues("key")
        guard !paths.isEmpty else { return nil }
        var all: [NoteVerifier] = []
        for path in paths { all += try verifiers(path) }
        return all
    }

    static func verifiers(_ path: String) throws(CLIError) -> [NoteVerifier] {
        var verifiers: [NoteVerifier] = []
        for (number, line) in try keyLines(path) {
            guard !line.hasPrefix("PRIVATE+KEY+") else {
                throw .usage("\(path) line \(number) is a signer (private) key; give the verifier key (.pub) instead")
            }
            do { verifiers.append(try NoteVerifier(keyText: line)) } catch {
                throw .usage("\(path) line \(number) is not a verifier key: \(error)")
            }
        }
        return verifiers
    }

    static func signers(_ path: String, context: Context) throws(CLIError) -> [NoteSigner] {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & 0o077 != 0 {
            context.warn("warning: \(path) can be read by other users (mode \(String(status.st_mode & 0o777, radix: 8))); chmod 600 it")
        }
        var signers: [NoteSigner] = []
        for (number, line) in try keyLines(path) {
            do { signers.append(try NoteSigner(keyText: line)) } catch {
                throw .usage("\(path) line \(number) is not a signer key: \(error)")
            }
        }
        return signers
    }

    /// The numbered key lines of a file: at least one, at most `keyCountMax`.
    private static func keyLines(_ path: String) throws(CLIError) -> [(Int, String)] {
        let bytes = try readFile(path)
        guard bytes.count <= fileBytesMax, let text = String(validating: bytes, as: UTF8.self) else {
            throw .usage("\(path) is not a key file (UTF-8 text of at most \(fileBytesMax) bytes)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { ($0.offset + 1, String($0.element)) }
            .filter { !$0.1.isEmpty && !$0.1.hasPrefix("#") }
        guard !lines.isEmpty else { throw .usage("\(path) holds no key") }
        guard lines.count <= keyCountMax else { throw .usage("\(path) holds more than \(keyCountMax) keys") }
        return lines
    }
}

/// A checkpoint file as kept: a bare C2SP checkpoint body, or a signed note around one.
struct CheckpointDocument {
    let checkpoint: Checkpoint
    /// nil for a bare checkpoint.
    let note: SignedNote?

    /// The document's exact text: the note with its signature lines, or the bare body.
    var text: String { note.map { String(decoding: $0.bytes, as: UTF8.self) } ?? checkpoint.text }

    /// A ledger never holds more records than a `seq` can number (Specs/log-format.md, section 3).
    static let sizeMax: UInt64 = (1 << 53) - 1

    /// Strict: a note whose text is not exactly a checkpoint body, or anything else, is refused.
    static func parse(_ bytes: [UInt8]) throws -> CheckpointDocument {
        guard bytes.count <= SignedNote.byteCountMax, let text = String(validating: bytes, as: UTF8.self) else {
            throw CheckpointDocumentError.notText
        }
        // Checkpoint lines are never empty, so a blank line means a signed note.
        let document: CheckpointDocument
        if text.contains("\n\n") {
            let note = try SignedNote.parse(bytes)
            document = CheckpointDocument(checkpoint: try Checkpoint.parse(note.text), note: note)
        } else {
            document = CheckpointDocument(checkpoint: try Checkpoint.parse(text), note: nil)
        }
        guard document.checkpoint.size <= sizeMax else { throw CheckpointDocumentError.sizeTooLarge }
        return document
    }

    static func load(_ path: String) throws(CLIError) -> CheckpointDocument {
        let bytes = try readFile(path)
        do { return try parse(bytes) } catch { throw .input("\(path) is not a checkpoint: \(error)") }
    }

    /// Whether a trusted key vouches for it (Specs/proofs.md, section 4): nil keys, nothing checked.
    func signatureStatus(trusting verifiers: [NoteVerifier]?) -> Result<SignatureStatus, VerifyFailure> {
        guard let verifiers else {
            return .success(note.map { .notChecked(signatureCount: $0.signatures.count) } ?? .unsigned)
        }
        guard let note else {
            return .failure(Self.badSignature("the checkpoint is not signed, and --key asks for a trusted signature"))
        }
        do {
            return .success(.trusted(try note.verified(by: verifiers)))
        } catch {
            return .failure(Self.badSignature("\(error)"))
        }
    }

    static func badSignature(_ message: String) -> VerifyFailure {
        VerifyFailure(kind: .badSignature, seq: nil, line: nil, offset: nil, message: message)
    }
}

enum CheckpointDocumentError: Error, CustomStringConvertible {
    case notText
    case sizeTooLarge

    var description: String {
        switch self {
        case .notText: "not UTF-8 text of at most \(SignedNote.byteCountMax) bytes"
        case .sizeTooLarge: "its size is beyond 2^53 - 1 records, more than a ledger can hold"
        }
    }
}

/// What was learnt about a checkpoint's signatures.
enum SignatureStatus {
    case unsigned
    case notChecked(signatureCount: Int)
    case trusted([NoteVerifier])

    var text: String {
        switch self {
        case .unsigned: "none (a bare checkpoint)"
        case .notChecked(let count): "\(count) signature\(count == 1 ? "" : "s"), NOT checked (no --key given)"
        case .trusted(let signers): "verified: " + signers.map(\.description).joined(separator: ", ")
        }
    }

    var json: JSONValue {
        switch self {
        case .unsigned: .object(JSONObject([("status", .string("unsigned"))]))
        case .notChecked(let count):
            .object(JSONObject([("count", .integer(Int64(count))), ("status", .string("not_checked"))]))
        case .trusted(let signers):
            .object(JSONObject([("signers", .array(signers.map { .string($0.description) })), ("status", .string("verified"))]))
        }
    }
}

/// Self-contained evidence that a log does or does not extend a stored checkpoint
/// (Specs/proofs.md, section 6); `scripts/check_consistency.py` checks it without the ledger.
struct ConsistencyEvidence {
    static let format = "ledger.consistency-evidence.v1"

    enum Outcome: String {
        case consistent = "CONSISTENT"
        case forked = "FORKED"
        case truncated = "TRUNCATED"
        case originMismatch = "ORIGIN_MISMATCH"
    }

    let outcome: Outcome
    /// The stored checkpoint, exactly as kept (a bare body or a signed note).
    let stored: String
    let storedCheckpoint: Checkpoint
    /// The log's checkpoint at the stored size (CONSISTENT and FORKED only).
    let logAtStoredSize: Checkpoint?
    /// Today's checkpoint of the log (a bare body, or a signed note given by the user).
    let current: String
    let currentCheckpoint: Checkpoint
    /// The consistency proof from the stored size to the current size (CONSISTENT and FORKED).
    let proof: [SHA256Digest]?

    /// Builds the evidence from the two checkpoints and the log's tree head at the stored size.
    /// `proof` is asked for only when the outcome needs one; it must verify (a postcondition).
    static func make(stored: CheckpointDocument, current: String, currentCheckpoint: Checkpoint,
                     logTreeHeadAtStoredSize: () throws -> SHA256Digest,
                     proof: () throws -> [SHA256Digest]) rethrows -> ConsistencyEvidence {
        let old = stored.checkpoint
        func evidence(_ outcome: Outcome, _ atSize: Checkpoint?, _ proof: [SHA256Digest]?) -> ConsistencyEvidence {
            ConsistencyEvidence(outcome: outcome, stored: stored.text, storedCheckpoint: old, logAtStoredSize: atSize,
                                current: current, currentCheckpoint: currentCheckpoint, proof: proof)
        }
        guard old.origin == currentCheckpoint.origin else { return evidence(.originMismatch, nil, nil) }
        guard old.size <= currentCheckpoint.size else { return evidence(.truncated, nil, nil) }
        let head = try logTreeHeadAtStoredSize()
        guard let atSize = try? Checkpoint(origin: old.origin, size: old.size, root: head) else {
            preconditionFailure("the stored checkpoint's origin passed Checkpoint's checks already")
        }
        let hashes = try proof()
        if old.size > 0 {
            do {
                try Merkle.verifyConsistency(oldSize: old.size, newSize: currentCheckpoint.size, oldRoot: head,
                                             newRoot: currentCheckpoint.root, proof: hashes)
            } catch {
                preconditionFailure("a consistency proof built from the log must verify: \(error)")
            }
        }
        return evidence(head == old.root ? .consistent : .forked, atSize, hashes)
    }

    var json: JSONValue {
        var object = JSONObject([
            ("current", .string(current)), ("format", .string(Self.format)),
            ("stored", .string(stored)), ("verdict", .string(outcome.rawValue)),
        ])
        if let logAtStoredSize { object["log_at_stored_size"] = .string(logAtStoredSize.text) }
        if let proof { object["proof"] = .array(proof.map { .string(Base64.encode($0.bytes)) }) }
        return .object(object)
    }

    var document: String { String(decoding: CanonicalJSON.encode(json), as: UTF8.self) + "\n" }

    /// For people: what the evidence says, then the evidence itself.
    var lines: [String] {
        let old = storedCheckpoint, now = currentCheckpoint
        var lines: [String] = []
        switch outcome {
        case .consistent:
            lines.append("  extends    the log's first \(Format.grouped(old.size)) records have the stored tree head;"
                         + " today's \(Format.grouped(now.size)) records extend them")
        case .forked:
            lines.append("  forked     the log's first \(Format.grouped(old.size)) records have another tree head"
                         + " than the stored checkpoint")
        case .truncated:
            lines.append("  truncated  the stored checkpoint has \(Format.grouped(old.size)) records,"
                         + " the log only \(Format.grouped(now.size))")
        case .originMismatch:
            lines.append("  origin     the stored checkpoint is for \(old.origin), the log is \(now.origin)")
        }
        lines.append("  evidence   stored checkpoint:")
        lines.append(contentsOf: Self.indented(stored))
        if let logAtStoredSize, outcome == .forked {
            lines.append("             the log's checkpoint at size \(old.size):")
            lines.append(contentsOf: Self.indented(logAtStoredSize.text))
        }
        lines.append("             the log's checkpoint now:")
        lines.append(contentsOf: Self.indented(current))
        if let proof {
            lines.append("             consistency proof, size \(old.size) -> \(now.size) (RFC 9162 2.1.4), \(proof.count) hashes:")
            lines.append(contentsOf: proof.map { "               " + Base64.encode($0.bytes) })
        }
        lines.append("             (save it with --json: scripts/check_consistency.py checks it without the ledger)")
        return lines
    }

    static func indented(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.isEmpty ? "" : "               " + $0 }
    }
}

/// Writing files the proof commands produce: whole or not at all (a temporary file, fsync,
/// rename, fsync of the directory), never over a file that should not be replaced.
enum OutputFile {
    static func write(_ text: String, to path: String) throws(CLIError) {
        let temporary = path + ".tmp-\(getpid())"
        do {
            let file = try SystemFile(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
            try file.write(Array(text.utf8), at: 0)
            try file.sync()
            try Directory.rename(temporary, path)
            try Directory.sync(directory(of: path))
        } catch {
            unlink(temporary)
            throw CLIError(error)
        }
    }

    /// Creates `path` (it must not exist) with `mode`, writes `text` and syncs it.
    static func create(_ text: String, at path: String, mode: mode_t) throws(StorageError) {
        let file = try SystemFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        guard fchmod(file.descriptor, mode) == 0 else { throw .system(operation: "chmod", path: path, errno: errno) }
        try file.write(Array(text.utf8), at: 0)
        try file.sync()
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Writes to --output FILE (with a note on standard error) or to standard output.
    static func emit(_ text: String, arguments: Arguments, context: Context, what: String) throws(CLIError) {
        if let output = arguments.value("output") {
            try write(text, to: output)
            context.warn("\(what) written to \(output)")
        } else {
            context.standardOutput(text)
        }
    }
}

extension CLIError {
    /// The proof cache's errors, as the proof commands report them.
    init(_ error: MerkleCacheError) {
        switch error {
        case .storage(let storage): self.init(storage)
        case .brokenLog, .cacheDisagrees: self.init(message: error.description, exitCode: .notALedger)
        case .noRecord, .proof: self.init(message: error.description, exitCode: .usage)
        }
    }
}

extension MerkleCache {
    /// Opens the proof cache for a command (which shows `notices` once it is done), after the
    /// writer's recovery has run: evidence never covers records a recovery would take back.
    static func open(for paths: LedgerPaths, context: Context) throws(CLIError) -> MerkleCache {
        try recoverBeforeIssuingEvidence(paths, context: context)
        do { return try MerkleCache.open(paths: paths) } catch { throw CLIError(error) }
    }
}

/// Takes the writers' lock once, which sets aside a torn tail and rolls back the complete lines
/// of an unfinished batch (Specs/log-format.md, section 6), and reports what it did. Without
/// this, a checkpoint taken between a crash and the next append would certify records that the
/// next append removes, and the auditor would later see a false FORKED.
func recoverBeforeIssuingEvidence(_ paths: LedgerPaths, context: Context) throws(CLIError) {
    // Nothing to recover (no batch note, the log ends with a newline): no lock needed, so a
    // read-only copy can still be checkpointed as far as the cache allows.
    guard LedgerWriter.mayNeedRecovery(paths) else { return }
    do {
        let writer = try LedgerWriter(paths: paths)
        for notice in writer.notices { context.warn(notice) }
    } catch {
        throw CLIError(error)
    }
}

extension MerkleCache {

    func showNotices(_ context: Context) {
        for notice in notices { context.warn(notice) }
    }

    /// The ledger's origin, from its genesis record.
    func origin() throws(CLIError) -> String {
        let genesis: Record
        do { genesis = try record(seq: 0).record } catch { throw CLIError(error) }
        guard genesis.type == Record.genesisType, let origin = genesis.payload["origin"]?.stringValue else {
            throw CLIError(message: "the log's first record is not a genesis record; run `ledger verify`", exitCode: .notALedger)
        }
        return origin
    }
}
