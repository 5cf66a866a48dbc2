import LedgerCore
import LedgerCrypto

/// Who wrote it: the checks of Specs/log-format.md section 10.3, beside the fund's rules. The
/// records of a version-2 log fall into appends, each ending with the one record that carries
/// `sig`; every record of an append has its actor, and the signature must verify under the key
/// that actor had when the append began.
///
/// The checks that need order (where an append begins and ends, whose key) run here, record by
/// record; the Ed25519 verification itself is returned as a `PendingSignature` that the caller
/// may run on any core (they are independent once the keys are known).
public struct AppendChecks: Sendable {
    /// An append being read: where it began, whose it is, and the key it must be signed by.
    struct Open: Sendable {
        let firstSeq: UInt64
        let actor: String
        /// Resolved before the append's first record was applied (nil: see `resolution`).
        let key: Ed25519.PublicKey?
        let resolution: KeyResolution
    }

    /// How the key of an append that starts with no registered key is found after its first record.
    enum KeyResolution: Sendable {
        case registered
        /// The genesis record names its own key.
        case genesis
        /// The one bootstrap append of a log that began in version 1.
        case bootstrap
        case missing(String)
    }

    private var open: Open?
    /// Version-1 records read (unsigned: they prove what, not who).
    public private(set) var unsignedRecords: UInt64 = 0
    /// The bootstrap append, if the log has one: its operator and seq.
    public private(set) var bootstrap: (actor: String, seq: UInt64)?
    /// The last record that ended an append (carried `sig`).
    public private(set) var lastSignedSeq: UInt64?

    public init() {}

    /// A failure of these checks: always `BAD_SIGNATURE` at `seq`.
    public struct Failure: Error, Sendable, Equatable {
        public let seq: UInt64
        public let message: String
    }

    /// Before `state` applies `record`: an append that begins here takes the key its actor has now.
    public mutating func before(_ record: Record, state: FundState) {
        guard record.version >= 2, open == nil else { return }
        let key = state.key(of: record.actor)
        let resolution: KeyResolution
        if key != nil {
            resolution = .registered
        } else if record.isGenesis {
            resolution = .genesis
        } else if Self.isBootstrap(record, state: state) {
            resolution = .bootstrap
        } else {
            let why = state.role(of: record.actor) == nil ? "is not an active operator" : "has no registered key"
            resolution = .missing("operator \"\(record.actor)\" \(why) at seq \(record.seq): nobody can sign as them")
        }
        open = Open(firstSeq: record.seq, actor: record.actor, key: key, resolution: resolution)
    }

    /// After `state` accepted `record` (the rules come first): the order checks, and for the
    /// append's last record the signature to verify.
    public mutating func after(_ record: Record, state: FundState) -> Result<PendingSignature?, Failure> {
        guard record.version >= 2 else {
            unsignedRecords += 1
            return .success(nil)
        }
        guard let append = open else { preconditionFailure("before(_:state:) opened the append") }
        guard record.actor == append.actor else {
            return .failure(Failure(seq: record.seq, message: "an append holds records of \"\(append.actor)\" (from seq \(append.firstSeq)) and of \"\(record.actor)\": one append is one operator's, signed at its end"))
        }
        var key = append.key
        switch append.resolution {
        case .registered: break
        case .genesis, .bootstrap: key = state.key(of: record.actor)
        case .missing(let why): return .failure(Failure(seq: record.seq, message: why))
        }
        guard let signature = record.signature else {
            if record.isGenesis {
                return .failure(Failure(seq: record.seq, message: "the genesis record of a version-2 log carries its own signature"))
            }
            return .success(nil)
        }
        guard let key else { preconditionFailure("a genesis or bootstrap record registers the key it is checked against") }
        if case .bootstrap = append.resolution { bootstrap = (record.actor, record.seq) }
        open = nil
        lastSignedSeq = record.seq
        return .success(PendingSignature(firstSeq: append.firstSeq, lastRecord: record, key: key, signature: signature))
    }

    /// The first record of an append that never ended (no signed record after it), if any:
    /// after the last record, an unfinished batch (log-format §10.3).
    public var unfinishedAppendStart: UInt64? { open?.firstSeq }

    /// The one append that may be signed by a key it sets itself: while no key was ever registered,
    /// an active administrator's `operator.key_rotated` of their own key (log-format §10.3).
    /// A batch may hold nothing else, which the caller checks (the append ends with this record).
    static func isBootstrap(_ record: Record, state: FundState) -> Bool {
        guard !state.hasOperatorKeys, record.type == EventType.operatorKeyRotated.rawValue,
              state.role(of: record.actor) == .admin, record.signature != nil else { return false }
        return record.payload["operator"] == .string(record.actor)
    }

    /// What an append by `actor` would be signed with, for a writer about to append `drafts`:
    /// the actor's registered key, or the key a bootstrap append sets, or why there is none.
    public static func signingKey(for actor: String, drafts: [RecordDraft], state: FundState) -> Result<Ed25519.PublicKey, Failure> {
        if let key = state.key(of: actor) { return .success(key) }
        if drafts.count == 1, let draft = drafts.first, !state.hasOperatorKeys, draft.type == EventType.operatorKeyRotated.rawValue,
           state.role(of: actor) == .admin, draft.payload["operator"] == .string(actor),
           case .string(let text)? = draft.payload["key"], let bytes = Base64.decode(text), let key = Ed25519.PublicKey(bytes: bytes) {
            return .success(key)
        }
        let why = state.role(of: actor) == nil ? "is not an active operator"
            : state.hasOperatorKeys ? "has no registered key (an administrator gives them one: ledger operator rotate-key)"
            : "has no registered key: this log began in version 1; an administrator first sets their own key (ledger operator rotate-key --id THEM --public-key FILE, signed by that key)"
        return .failure(Failure(seq: state.recordCount, message: "operator \"\(actor)\" \(why)"))
    }
}

/// An append's signature to verify: independent of every other once the key is known. It keeps
/// what the check and its message need, not the record (verify makes one per append, in its
/// ordered loop, where copying a whole record costs).
public struct PendingSignature: Sendable {
    public let firstSeq: UInt64
    /// The append's last record, which carries the signature.
    public let lastSeq: UInt64
    public let lastHash: SHA256Digest
    public let actor: String
    public let key: Ed25519.PublicKey
    public let signature: [UInt8]

    init(firstSeq: UInt64, lastRecord record: Record, key: Ed25519.PublicKey, signature: [UInt8]) {
        (self.firstSeq, lastSeq, lastHash, actor) = (firstSeq, record.seq, record.hash, record.actor)
        (self.key, self.signature) = (key, signature)
    }

    public var holds: Bool { AppendSignature.holds(signature, firstSeq: firstSeq, lastSeq: lastSeq, lastHash: lastHash, key: key) }

    /// The bytes the signature must sign (Specs/log-format.md, section 10.2).
    public var message: [UInt8] { AppendSignature.message(firstSeq: firstSeq, lastSeq: lastSeq, lastHash: lastHash) }

    /// Why it does not hold, for people.
    public var failure: AppendChecks.Failure {
        AppendChecks.Failure(seq: lastSeq, message: "the signature of the append of records \(firstSeq)-\(lastSeq) by \"\(actor)\" does not verify under their registered key \(KeyText.short(key))")
    }
}

/// Keys in messages: the first 8 bytes of the base64, as a reader can compare them with a .pub file.
public enum KeyText {
    public static func short(_ key: Ed25519.PublicKey) -> String { String(Base64.encode(key.bytes).prefix(12)) + "…" }
}
