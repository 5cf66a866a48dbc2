import Foundation
import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerEngine
import LedgerJSON

/// A clock the test moves by hand.
final class ManualClock: Clock, @unchecked Sendable {
    var instant: Timestamp
    init(_ text: String = "2026-03-02T09:00:00.000000Z") { instant = Timestamp(text)! }
    func now() -> Timestamp { instant }
    func advance(seconds: Int64 = 1) {
        instant = Timestamp(microsecondsSinceEpoch: instant.microsecondsSinceEpoch + seconds * 1_000_000)!
    }
}

/// Collects the engine's warnings.
final class WarningLog: @unchecked Sendable {
    var messages: [String] = []
    func record(_ warning: LedgerWarning) { messages.append(warning.message) }
}

/// A small fund, built in-process: a founder, a treasurer and a clerk, one citizens' fund.
struct EngineFixture {
    static let founder = "OP-ADMIN"
    static let treasurer = "OP-TRESORIERE"
    static let clerk = "OP-SAISIE"

    let directory: String
    let clock: ManualClock
    let warnings = WarningLog()

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-engine-\(UUID().uuidString)").path
        clock = ManualClock()
    }

    var options: Ledger.Options {
        var options = Ledger.Options()
        options.clock = clock
        options.signer = Self.signer(Self.treasurer)   // most appends of the tests are donations
        let warnings = warnings
        options.warn = { warnings.record($0) }
        return options
    }

    /// Creates the ledger and its structure: operators, a fund, two parties. The ledger
    /// returned signs with the treasurer's key.
    func create() throws -> Ledger {
        let genesis = Genesis(origin: "engine.test/fund", currency: "EUR", minorUnits: 2, name: "Fonds de test")
        var founding = options
        founding.signer = Self.signer(Self.founder)
        let ledger = try Ledger.create(directory: directory, genesis: genesis, founder: Self.founder,
                                       effective: CalendarDate("2026-03-02"), simulatedClock: true, options: founding).ledger
        _ = try ledger.append([
            Self.draft("operator.registered", by: Self.founder, [("key", Self.publicKey(Self.treasurer)),
                                                                 ("operator", .string(Self.treasurer)), ("role", "treasurer")]),
            Self.draft("operator.registered", by: Self.founder, [("key", Self.publicKey(Self.clerk)),
                                                                 ("operator", .string(Self.clerk)), ("role", "clerk")]),
            Self.draft("fund.opened", by: Self.founder, [
                ("accepts", .array(["donation"])), ("fund", "citizens"), ("name", "Fondation citoyenne"),
                ("pool", "citizens"), ("uses", .array(["grant"])),
            ]),
        ])
        _ = try ledger.append([
            Self.draft("party.registered", by: Self.clerk, [("kind", "person"), ("party", "P-1")]),
            Self.draft("party.registered", by: Self.clerk, [("kind", "person"), ("party", "P-2")]),
        ], signer: Self.signer(Self.clerk))
        return try reopen()
    }

    /// Deterministic keys: the seed of an operator's key is the SHA-256 of its identifier.
    static func signer(_ name: String) -> AppendSigner {
        AppendSigner(privateKey: Ed25519.PrivateKey(seed: SHA256.hash(Array(name.utf8)).bytes))
    }

    static func publicKey(_ name: String) -> JSONValue { .string(Base64.encode(signer(name).publicKey.bytes)) }

    func reopen(_ configure: (inout Ledger.Options) -> Void = { _ in }) throws -> Ledger {
        var options = options
        configure(&options)
        return try Ledger(directory: directory, options: options)
    }

    /// The ledger opened so that every append saves (and seals) a snapshot; a reader never does.
    func reopenSavingEveryAppend() throws -> Ledger {
        try reopen { $0.snapshots.tailRecordsMin = 1 }
    }

    static func draft(_ type: String, by actor: String, _ members: [(String, JSONValue)], idem: String? = nil) -> RecordDraft {
        RecordDraft(type: type, effective: CalendarDate("2026-03-02"), actor: actor, idempotencyKey: idem,
                    payload: JSONObject(members))
    }

    static func donation(_ reference: String, party: String = "P-1", cents: Int64) -> RecordDraft {
        draft("contribution.recorded", by: treasurer, [
            ("amount", .integer(cents)), ("fund", "citizens"), ("instrument", "donation"), ("party", .string(party)),
            ("ref", .string(reference)),
        ])
    }

    var logPath: String { directory + "/log.jsonl" }

    /// Where the ledger's state snapshots lie.
    var snapshots: String { directory + "/cache/snapshots" }

    func logBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: logPath)) }

    /// The citizens' fund's cash at the view's cut, in cents.
    static func cash(_ view: LedgerView) -> Int64? {
        view.rules.funds.first { $0.fund.text == "citizens" }?.balances.cash.minorUnits
    }
}
