import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerProofs

/// Self-contained evidence that a log does or does not extend a stored checkpoint
/// (Specs/proofs.md, section 6); `scripts/check_consistency.py` checks it without the ledger.
public struct ConsistencyEvidence: Sendable {
    public static let format = "ledger.consistency-evidence.v1"

    public enum Outcome: String, Sendable {
        case consistent = "CONSISTENT"
        case forked = "FORKED"
        case truncated = "TRUNCATED"
        case originMismatch = "ORIGIN_MISMATCH"
    }

    public let outcome: Outcome
    /// The stored checkpoint, exactly as kept (a bare body or a signed note).
    public let stored: String
    public let storedCheckpoint: Checkpoint
    /// The log's checkpoint at the stored size (CONSISTENT and FORKED only).
    public let logAtStoredSize: Checkpoint?
    /// Today's checkpoint of the log (a bare body, or a signed note given by the user).
    public let current: String
    public let currentCheckpoint: Checkpoint
    /// The consistency proof from the stored size to the current size (CONSISTENT and FORKED).
    public let proof: [SHA256Digest]?

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

    public var json: JSONValue {
        var object = JSONObject([
            ("current", .string(current)), ("format", .string(Self.format)),
            ("stored", .string(stored)), ("verdict", .string(outcome.rawValue)),
        ])
        if let logAtStoredSize { object["log_at_stored_size"] = .string(logAtStoredSize.text) }
        if let proof { object["proof"] = .array(proof.map { .string(Base64.encode($0.bytes)) }) }
        return .object(object)
    }

    public var document: String { String(decoding: CanonicalJSON.encode(json), as: UTF8.self) + "\n" }
}
