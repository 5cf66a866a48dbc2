import LedgerCore
import LedgerCrypto
import LedgerJSON
import Testing
@testable import LedgerDomain

/// Operators of the test world (the genesis actor is the founding administrator).
enum Op {
    static let admin = "OP-ADMIN"
    static let treasurer = "OP-TRE"
    static let treasurer2 = "OP-TRE2"
    static let secretary = "OP-SEC"
    static let clerk = "OP-CLK"
    static let auditor = "OP-AUD"
}

/// One event to append: type, payload and the operator who appends it.
struct Ev {
    var type: String
    var payload: JSONObject
    var actor: String
    var idempotencyKey: String?

    init(_ type: String, _ members: [(String, JSONValue)], actor: String) {
        self.type = type
        self.payload = JSONObject(members)
        self.actor = actor
    }

    func by(_ actor: String) -> Ev {
        var copy = self
        copy.actor = actor
        return copy
    }

    func keyed(_ idempotencyKey: String) -> Ev {
        var copy = self
        copy.idempotencyKey = idempotencyKey
        return copy
    }

    func with(_ key: String, _ value: JSONValue?) -> Ev {
        var copy = self
        copy.payload[key] = value
        return copy
    }
}

/// Deterministic operator keys for tests: the seed is the SHA-256 of a name.
enum TestKeys {
    static func privateKey(_ name: String) -> Ed25519.PrivateKey { Ed25519.PrivateKey(seed: SHA256.hash(Array(name.utf8)).bytes) }
    static func publicKey(_ name: String) -> JSONValue { .string(Base64.encode(privateKey(name).publicKey.bytes)) }
}

/// Euros as minor units (cents).
func eur(_ euros: Int64) -> JSONValue { .integer(euros * 100) }
func ids(_ texts: [String]) -> JSONValue { .array(texts.map { .string($0) }) }

/// A ledger folded in memory: records encoded exactly as the writer encodes them, then applied.
/// Each is recorded at noon of its effective date, in format `version` (the fold checks the
/// rules, not the signatures: those are `AppendChecks`', tested apart).
struct Fold {
    var state = FundState()
    var seq: UInt64 = 0
    var prev = SHA256Digest.zero
    var effective = "2024-06-01"
    var version = Record.currentVersion

    func record(_ event: Ev, on date: String? = nil) -> Record {
        let effective = CalendarDate(date ?? self.effective)!
        let recordedAt = Timestamp("\(effective)T12:00:00.000000Z")!
        let draft = RecordDraft(type: event.type, effective: effective, actor: event.actor, idempotencyKey: event.idempotencyKey,
                                payload: event.payload)
        return RecordCodec.encode(draft: draft, seq: seq, prev: prev, recordedAt: recordedAt, effective: effective, version: version).record
    }

    /// Every record accepted so far, the genesis included (the projections' tests fold them again).
    var log: [Record] = []

    mutating func apply(_ event: Ev, on date: String? = nil) throws(RuleViolation) {
        let record = record(event, on: date)
        try state.apply(record)
        seq += 1
        prev = record.hash
        log.append(record)
    }

    mutating func accept(_ event: Ev, on date: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        do throws(RuleViolation) {
            try apply(event, on: date)
        } catch {
            Issue.record("\(event.type) refused: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Expects `rule` to refuse the event, with the state left exactly as it was; returns the message.
    @discardableResult
    mutating func refuse(_ rule: String, _ event: Ev, on date: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let before = state
        do throws(RuleViolation) {
            try apply(event, on: date)
            Issue.record("\(event.type) accepted, expected rule \(rule)", sourceLocation: sourceLocation)
            return ""
        } catch {
            #expect(error.rule == rule, "\(error)", sourceLocation: sourceLocation)
            #expect(state == before, "a refused event changed the state", sourceLocation: sourceLocation)
            return error.message
        }
    }
}

extension Fold {
    /// The test world: operators, territories, parties, three funds with money, two bodies with
    /// members, two project applications. Every test starts from it (or from a bare genesis).
    static func world() -> Fold {
        var fold = Fold()
        fold.accept(E.genesis())
        for (id, role) in [(Op.treasurer, "treasurer"), (Op.treasurer2, "treasurer"), (Op.secretary, "secretary"),
                           (Op.clerk, "clerk"), (Op.auditor, "auditor")] {
            fold.accept(E.op(id, role))
        }
        fold.accept(E.territory("FR"))
        fold.accept(E.territory("FR-IDF", parent: "FR"))
        fold.accept(E.territory("FR-BRE", parent: "FR"))
        fold.accept(E.territory("FR-75", parent: "FR-IDF"))
        for party in ["P-1", "P-2", "P-3", "P-4", "P-5", "P-6"] { fold.accept(E.party(party)) }
        fold.accept(E.party("ORG-1", "organisation"))
        fold.accept(E.party("ORG-2", "organisation"))
        fold.accept(E.party("BANK-1", "financial_actor"))
        fold.accept(E.party("STATE-1", "public_actor"))
        fold.accept(E.fund("citizens", pool: "citizens", accepts: ["donation", "membership_fee"], uses: ["grant", "loan", "investment"]))
        fold.accept(E.fund("financial", pool: "financial", accepts: ["loan_received", "investment", "titre_associatif", "apport"],
                           uses: ["loan", "investment"]))
        fold.accept(E.fund("public", pool: "public", accepts: ["subsidy", "loan_received", "investment"], uses: ["grant", "loan"],
                           territory: "FR-IDF"))
        fold.accept(E.body("AG"))
        fold.accept(E.body("CT-IDF", kind: "territorial_committee", territory: "FR-IDF",
                           rules: E.rules(quorum: (1, 3), majority: "absolute", abstentions: "counted", proxiesMax: 2, amountMax: eur(50_000))))
        for party in ["P-1", "P-2", "P-3", "P-4", "P-5", "P-6"] { fold.accept(E.member("AG", party)) }
        for party in ["P-1", "P-2", "P-3"] { fold.accept(E.member("CT-IDF", party)) }
        fold.accept(E.project("PRJ-1"))
        fold.accept(E.project("PRJ-2", organisation: "ORG-2", territory: "FR-BRE", instrument: "grant", amount: eur(10_000)))
        fold.accept(E.contribution("DON-1", amount: eur(60_000)))
        fold.accept(E.contribution("LOAN-IN-1", party: "BANK-1", fund: "financial", instrument: "loan_received", amount: eur(100_000)))
        fold.accept(E.contribution("SUB-1", party: "STATE-1", fund: "public", instrument: "subsidy", amount: eur(50_000)))
        return fold
    }

    /// Opens a ballot, casts `votes`, closes it and records its decision with the tally the state computes.
    mutating func decide(_ decision: String, ballot: String, body: String = "AG", motion: JSONValue,
                         votes: [(String, String)] = [("P-1", "for"), ("P-2", "for"), ("P-3", "for"), ("P-4", "for")],
                         sourceLocation: SourceLocation = #_sourceLocation) {
        accept(E.ballot(ballot, body: body, motion: motion), sourceLocation: sourceLocation)
        for (voter, choice) in votes { accept(E.vote(ballot, voter, choice), sourceLocation: sourceLocation) }
        accept(E.closeBallot(ballot), sourceLocation: sourceLocation)
        accept(E.decision(decision, ballot: ballot, outcome(ballot)), sourceLocation: sourceLocation)
    }

    func outcome(_ ballot: String) -> BallotOutcome { state.ballot(BallotID(ballot)!)!.outcome }

    /// The world plus an adopted decision D-1 and a 2-tranche loan commitment C-1 of 30,000 € to PRJ-1 from the citizens' fund.
    static func committed() -> Fold {
        var fold = world()
        fold.decide("D-1", ballot: "B-1", motion: E.fundProject("PRJ-1", fund: "citizens", amount: eur(30_000)))
        fold.accept(E.commitment("C-1", decision: "D-1", tranches: [20_000, 10_000]))
        return fold
    }

    func balances(_ fund: String) -> FundBalances { state.funds.first { $0.fund.text == fund }!.balances }
}
