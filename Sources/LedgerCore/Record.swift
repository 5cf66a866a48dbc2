import LedgerCrypto
import LedgerJSON

/// One record of the log, as read back and checked (see Specs/log-format.md, section 4).
public struct Record: Sendable, Equatable {
    public static let formatVersion: Int64 = 1
    public static let genesisType = "ledger.genesis"

    public let seq: UInt64
    public let prev: SHA256Digest
    public let type: String
    public let recordedAt: Timestamp
    public let effective: CalendarDate
    public let actor: String
    public let idempotencyKey: String?
    public let payload: JSONObject
    public let hash: SHA256Digest

    public var isGenesis: Bool { seq == 0 }
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

    public init(origin: String, currency: String, minorUnits: Int, name: String) {
        self.origin = origin
        self.currency = currency
        self.minorUnits = minorUnits
        self.name = name
    }

    public var payload: JSONObject {
        JSONObject([
            ("currency", .string(currency)), ("minor_units", .integer(Int64(minorUnits))),
            ("name", .string(name)), ("origin", .string(origin)),
        ])
    }
}
