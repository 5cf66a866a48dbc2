import LedgerCrypto
import LedgerJSON

/// One record of the log, as read back and checked (see Specs/log-format.md, section 4).
///
/// Its fields live in one shared, immutable object: a record is handed from the decoder to the
/// chain, the rules, the signatures and the projections, and each hand-over of a struct of
/// eleven fields copied 170 bytes and retained five of them (verify does it several times for
/// each of a million records). Now a copy is one reference.
public struct Record: Sendable, Equatable, CustomDebugStringConvertible {
    /// The format versions this code reads (Specs/log-format.md, section 7).
    public static let versions: ClosedRange<Int64> = 1...2
    /// The version a writer writes: 2, signed appends (section 10).
    public static let currentVersion: Int64 = 2
    public static let genesisType = "ledger.genesis"

    private final class Fields: Sendable {
        let version: Int64
        let seq: UInt64
        let prev: SHA256Digest
        let type: String
        let recordedAt: Timestamp
        let effective: CalendarDate
        let actor: String
        let idempotencyKey: String?
        let payload: JSONObject
        let hash: SHA256Digest
        let signature: [UInt8]?

        init(version: Int64, seq: UInt64, prev: SHA256Digest, type: String, recordedAt: Timestamp, effective: CalendarDate,
             actor: String, idempotencyKey: String?, payload: JSONObject, hash: SHA256Digest, signature: [UInt8]?) {
            (self.version, self.seq, self.prev, self.type, self.recordedAt, self.effective) = (version, seq, prev, type, recordedAt, effective)
            (self.actor, self.idempotencyKey, self.payload, self.hash, self.signature) = (actor, idempotencyKey, payload, hash, signature)
        }
    }

    private let fields: Fields

    init(version: Int64, seq: UInt64, prev: SHA256Digest, type: String, recordedAt: Timestamp, effective: CalendarDate,
         actor: String, idempotencyKey: String?, payload: JSONObject, hash: SHA256Digest, signature: [UInt8]?) {
        fields = Fields(version: version, seq: seq, prev: prev, type: type, recordedAt: recordedAt, effective: effective,
                        actor: actor, idempotencyKey: idempotencyKey, payload: payload, hash: hash, signature: signature)
    }

    /// The format version (`v`).
    public var version: Int64 { fields.version }
    public var seq: UInt64 { fields.seq }
    public var prev: SHA256Digest { fields.prev }
    public var type: String { fields.type }
    public var recordedAt: Timestamp { fields.recordedAt }
    public var effective: CalendarDate { fields.effective }
    public var actor: String { fields.actor }
    public var idempotencyKey: String? { fields.idempotencyKey }
    public var payload: JSONObject { fields.payload }
    public var hash: SHA256Digest { fields.hash }
    /// The append's signature (`sig`), on the last record of a version-2 append only.
    public var signature: [UInt8]? { fields.signature }

    public var isGenesis: Bool { seq == 0 }

    /// The same record with its append's signature (the hash, which the signature signs, is
    /// the same with or without it).
    public func signed(_ signature: [UInt8]) -> Record {
        precondition(version >= 2 && signature.count == AppendSignature.signatureByteCount, "a version-2 record, 64 bytes")
        return Record(version: version, seq: seq, prev: prev, type: type, recordedAt: recordedAt, effective: effective,
                      actor: actor, idempotencyKey: idempotencyKey, payload: payload, hash: hash, signature: signature)
    }

    /// For test failures and debugging: where it is, what it is, which bytes it hashes to.
    public var debugDescription: String { "Record(seq: \(seq), type: \(type), actor: \(actor), hash: \(hash.hex))" }

    public static func == (lhs: Record, rhs: Record) -> Bool {
        if lhs.fields === rhs.fields { return true }
        return lhs.version == rhs.version && lhs.seq == rhs.seq && lhs.prev == rhs.prev && lhs.type == rhs.type
            && lhs.recordedAt == rhs.recordedAt && lhs.effective == rhs.effective && lhs.actor == rhs.actor
            && lhs.idempotencyKey == rhs.idempotencyKey && lhs.payload == rhs.payload && lhs.hash == rhs.hash
            && lhs.signature == rhs.signature
    }
}

/// What a client asks to append: the writer fills in `seq`, `prev`, `recorded_at` and `hash`.
public struct RecordDraft: Sendable, Equatable {
    public var type: String
    public var effective: CalendarDate?
    public var actor: String
    public var idempotencyKey: String?
    public var payload: JSONObject

    public init(type: String, effective: CalendarDate? = nil, actor: String,
                idempotencyKey: String? = nil, payload: JSONObject) {
        self.type = type
        self.effective = effective
        self.actor = actor
        self.idempotencyKey = idempotencyKey
        self.payload = payload
    }
}

/// The genesis payload: the ledger's identity, fixed forever by record 0.
public struct Genesis: Sendable, Equatable {
    public let origin: String
    public let currency: String
    public let minorUnits: Int
    public let name: String
    /// The founding administrator's Ed25519 public key (version 2; nil in a version-1 genesis).
    public let key: [UInt8]?
    /// A demonstration or test ledger whose recorded times its writer chose (`"clock":"simulated"`).
    public let isSimulated: Bool

    public init(origin: String, currency: String, minorUnits: Int, name: String, key: [UInt8]? = nil,
                isSimulated: Bool = false) {
        precondition(key == nil || key?.count == 32, "an Ed25519 public key is 32 bytes")
        self.origin = origin
        self.currency = currency
        self.minorUnits = minorUnits
        self.name = name
        self.key = key
        self.isSimulated = isSimulated
    }

    /// The same identity with the founder's key (what a version-2 `init` writes).
    public func keyed(_ key: [UInt8], simulated: Bool) -> Genesis {
        Genesis(origin: origin, currency: currency, minorUnits: minorUnits, name: name, key: key, isSimulated: simulated)
    }

    public var payload: JSONObject {
        var payload = JSONObject([
            ("currency", .string(currency)), ("minor_units", .integer(Int64(minorUnits))),
            ("name", .string(name)), ("origin", .string(origin)),
        ])
        if let key { payload["key"] = .string(Base64.encode(key)) }
        if isSimulated { payload["clock"] = .string(Self.simulatedClock) }
        return payload
    }

    /// The value of the genesis `clock` member of a simulated ledger.
    public static let simulatedClock = "simulated"
}
