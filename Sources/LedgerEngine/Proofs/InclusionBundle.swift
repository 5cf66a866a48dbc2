import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerProofs

/// An inclusion bundle (Specs/proofs.md, section 7): canonical JSON, one object, then "\n".
public struct InclusionBundle: Sendable {
    public static let format = "ledger.inclusion-bundle.v1"
    static let members = ["checkpoint", "format", "index", "proof", "record", "tree_size"]
    static let proofCountMax = 64
    /// The largest bundle document read (its limits' input size).
    public static let bytesMax = 1 << 19
    /// A record line, a signed note, the proof and the JSON around them, escapes included.
    static let limits = JSONLimits(inputBytesMax: bytesMax, depthMax: 2, stringBytesMax: SignedNote.byteCountMax,
                                   keyBytesMax: 16, arrayCountMax: proofCountMax, memberCountMax: 16)

    /// The record's line exactly as stored, without its newline.
    public let record: [UInt8]
    public let index: UInt64
    public let treeSize: UInt64
    public let proof: [SHA256Digest]
    /// The signed note: checkpoint, blank line, signature lines.
    public let checkpoint: String

    public var document: String {
        let object = JSONObject([
            ("checkpoint", .string(checkpoint)), ("format", .string(Self.format)), ("index", .integer(Int64(index))),
            ("proof", .array(proof.map { .string(Base64.encode($0.bytes)) })),
            ("record", .string(String(decoding: record, as: UTF8.self))), ("tree_size", .integer(Int64(treeSize))),
        ])
        return String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self) + "\n"
    }

    /// Parses a bundle document strictly; the error says what is malformed.
    public static func parse(_ bytes: [UInt8]) throws(BundleError) -> InclusionBundle {
        let body = bytes.last == 0x0A ? Array(bytes.dropLast()) : bytes
        let value: JSONValue
        do { value = try CanonicalJSON.decode(body, mode: .canonical, limits: limits) } catch {
            throw .malformed("not canonical JSON: \(error)")
        }
        guard let object = value.objectValue, object.keys == members else {
            throw .malformed("a bundle is an object with exactly the members \(members.joined(separator: ", "))")
        }
        guard object["format"]?.stringValue == format else { throw .malformed("\"format\" is not \"\(format)\"") }
        guard let index = object["index"]?.integerValue, index >= 0 else { throw .malformed("\"index\" is not a non-negative integer") }
        guard let size = object["tree_size"]?.integerValue, size >= 0 else { throw .malformed("\"tree_size\" is not a non-negative integer") }
        guard let record = object["record"]?.stringValue, let checkpoint = object["checkpoint"]?.stringValue else {
            throw .malformed("\"record\" and \"checkpoint\" must be strings")
        }
        guard let hashes = object["proof"]?.arrayValue else { throw .malformed("\"proof\" is not an array") }
        var proof: [SHA256Digest] = []
        for (position, hash) in hashes.enumerated() {
            guard let text = hash.stringValue, let decoded = Base64.decode(text), decoded.count == SHA256Digest.byteCount else {
                throw .malformed("proof hash \(position + 1) is not the base64 of 32 bytes")
            }
            proof.append(SHA256Digest(bytes: decoded))
        }
        return InclusionBundle(record: Array(record.utf8), index: UInt64(index), treeSize: UInt64(size), proof: proof,
                               checkpoint: checkpoint)
    }
}

public enum BundleError: Error, Sendable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let reason): reason
        }
    }
}

extension InclusionBundle {
    /// Why a bundle does not hold: a kind of Specs/proofs.md section 7 and a reason.
    public struct Refusal: Error, Sendable {
        public let kind: String
        public let message: String

        public init(kind: String, message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// Step 1's second half: the checkpoint is a signed note of the bundle's tree size.
    public func checkedCheckpoint() throws(BundleError) -> CheckpointDocument {
        let bundle = self
        let document: CheckpointDocument
        do { document = try CheckpointDocument.parse(Array(bundle.checkpoint.utf8)) } catch {
            throw .malformed("\"checkpoint\" is not a signed checkpoint: \(error)")
        }
        guard let note = document.note, !note.signatures.isEmpty else {
            throw .malformed("\"checkpoint\" is a bare checkpoint; a bundle carries a signed note")
        }
        guard document.checkpoint.size == bundle.treeSize else {
            throw .malformed("\"tree_size\" is \(bundle.treeSize) but the checkpoint's size is \(document.checkpoint.size)")
        }
        return document
    }

    /// Steps 2 to 4; on success, the keys that signed.
    public func check(against document: CheckpointDocument,
                      trusting verifiers: [NoteVerifier]) -> Result<(record: Record, signers: [NoteVerifier]), Refusal> {
        let bundle = self
        let signers: [NoteVerifier]
        switch document.signatureStatus(trusting: verifiers) {
        case .failure(let failure): return .failure(Refusal(kind: failure.kind.rawValue, message: failure.message))
        case .success(.trusted(let trusted)): signers = trusted
        case .success: preconditionFailure("keys were given, so a success names the trusted signers")
        }
        let record: Record
        do { record = try RecordCodec.decodeChecked(line: bundle.record) } catch {
            return .failure(Refusal(kind: "RECORD_INVALID", message: "the record line does not hold: \(error.kind.rawValue): \(error.message)"))
        }
        guard record.seq == bundle.index else {
            return .failure(Refusal(kind: "INDEX_MISMATCH", message: "the record has seq \(record.seq) but the bundle says index \(bundle.index)"))
        }
        do {
            try Merkle.verifyInclusion(leafHash: RecordLeaf.hash(record.hash), index: bundle.index, size: bundle.treeSize,
                                       proof: bundle.proof, root: document.checkpoint.root)
        } catch {
            return .failure(Refusal(kind: "PROOF_INVALID", message: "\(error)"))
        }
        return .success((record, signers))
    }
}
