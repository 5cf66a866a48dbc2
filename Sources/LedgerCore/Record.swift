import LedgerCrypto
import LedgerJSON

/// One record of the log, as read back and checked (see Specs/log-format.md, section 4).
public struct Record: Sendable, Equatable {
    /// The format versions this code reads (Specs/log-format.md, section 7).
    public static let versions: ClosedRange<Int64> = 1...2
    /// The version a writer writes: 2, signed appends (section 10).
    public static let currentVersion: Int64 = 2
    public static let genesisType = "ledger.genesis"

    /// The format version (`v`).
    public let version: Int64
    public let seq: UInt64
    public let prev: SHA256Digest
    public let type: String
    public let recordedAt: Timestamp
    public let effective: CalendarDate
    public let actor: String
    public let idempotencyKey: String?
    public let payload: JSONObject
    public let hash: SHA256Digest
    /// The append's signature (`sig`), on the last record of a version-2 append only.
    public let signature: [UInt8]?

    public var isGenesis: Bool { seq == 0 }

    /// The same record with its append's signature (the hash, which the signature signs, is
    /// the same with or without it).
    public func signed(_ signature: [UInt8]) -> Record {
        precondition(version >= 2 && signature.count == AppendSignature.signatureByteCount, "a version-2 record, 64 bytes")
        return Record(version: version, seq: seq, prev: prev, type: type, recordedAt: recordedAt, effective: effective,
                      actor: actor, idempotencyKey: idempotencyKey, payload: payload, hash: hash, signature: signature)
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
