import LedgerCore
import LedgerProofs

/// A checkpoint file as kept: a bare C2SP checkpoint body, or a signed note around one.
public struct CheckpointDocument: Sendable {
    public let checkpoint: Checkpoint
    /// nil for a bare checkpoint.
    public let note: SignedNote?

    public init(checkpoint: Checkpoint, note: SignedNote?) {
        self.checkpoint = checkpoint
        self.note = note
    }

    /// The document's exact text: the note with its signature lines, or the bare body.
    public var text: String { note.map { String(decoding: $0.bytes, as: UTF8.self) } ?? checkpoint.text }

    /// A ledger never holds more records than a `seq` can number (Specs/log-format.md, section 3).
    static let sizeMax: UInt64 = (1 << 53) - 1

    /// Strict: a note whose text is not exactly a checkpoint body, or anything else, is refused.
    public static func parse(_ bytes: [UInt8]) throws -> CheckpointDocument {
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

    /// The checkpoint file at `path`.
    public static func load(_ path: String) throws(LedgerError) -> CheckpointDocument {
        let bytes = try UserFiles.read(path, limits: UserFiles.Limits(bytesMax: SignedNote.byteCountMax + 1))
        do { return try parse(bytes) } catch { throw .invalidInput("\(path) is not a checkpoint: \(error)") }
    }

    /// Whether a trusted key vouches for it (Specs/proofs.md, section 4): nil keys, nothing checked.
    public func signatureStatus(trusting verifiers: [NoteVerifier]?) -> Result<SignatureStatus, VerifyFailure> {
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
public enum SignatureStatus: Sendable {
    case unsigned
    case notChecked(signatureCount: Int)
    case trusted([NoteVerifier])
}
