import LedgerJSON
@testable import LedgerDomain

/// Builders for every event type, with the operator who normally appends it.
enum E {
    static func genesis(actor: String = Op.admin) -> Ev {
        Ev("ledger.genesis", [("currency", "EUR"), ("key", TestKeys.publicKey(actor)), ("minor_units", 2), ("name", "Fonds de test"),
                              ("origin", "test.example/fund")], actor: actor)
    }
    static func note(_ text: String) -> Ev { Ev("note.recorded", [("text", .string(text))], actor: Op.clerk) }
    static func op(_ id: String, _ role: String) -> Ev {
        Ev("operator.registered", [("key", TestKeys.publicKey(id)), ("operator", .string(id)), ("role", .string(role))], actor: Op.admin)
    }
    static func rotateKey(_ id: String, seed: String) -> Ev {
        Ev("operator.key_rotated", [("key", TestKeys.publicKey(seed)), ("operator", .string(id))], actor: Op.admin)
    }
    static func revoke(_ id: String) -> Ev { Ev("operator.revoked", [("operator", .string(id))], actor: Op.admin) }
    static func close(through: String) -> Ev { Ev("period.closed", [("through", .string(through))], actor: Op.treasurer) }
    static func party(_ id: String, _ kind: String = "person") -> Ev {
        Ev("party.registered", [("kind", .string(kind)), ("party", .string(id))], actor: Op.clerk)
    }
    static func interest(_ party: String, _ project: String) -> Ev {
        Ev("interest.declared", [("party", .string(party)), ("project", .string(project))], actor: Op.clerk)
    }
    static func territory(_ code: String, parent: String? = nil) -> Ev {
        var event = Ev("territory.defined", [("code", .string(code)), ("name", .string("Territoire \(code)"))], actor: Op.admin)
        if let parent { event.payload["parent"] = .string(parent) }
        return event
    }
    static func fund(_ id: String, pool: String, accepts: [String], uses: [String], territory: String? = nil) -> Ev {
        var event = Ev("fund.opened", [("accepts", ids(accepts)), ("fund", .string(id)), ("name", .string("Fonds \(id)")),
                                       ("pool", .string(pool)), ("uses", ids(uses))], actor: Op.admin)
        if let territory { event.payload["territory"] = .string(territory) }
        return event
    }
    static func rules(quorum: (Int64, Int64) = (1, 2), majority: String = "simple", abstentions: String = "excluded",
                      blanks: String = "excluded", proxiesMax: Int64 = 1, amountMax: JSONValue = eur(1_000_000)) -> JSONValue {
        .object(JSONObject([("abstentions", .string(abstentions)), ("amount_max", amountMax), ("blanks", .string(blanks)),
                            ("majority", .string(majority)), ("proxies_max", .integer(proxiesMax)),
                            ("quorum", .object(JSONObject([("den", .integer(quorum.1)), ("num", .integer(quorum.0))])))]))
    }
    static func body(_ id: String, kind: String = "general_assembly", territory: String? = nil, rules: JSONValue = E.rules()) -> Ev {
        var event = Ev("body.constituted", [("body", .string(id)), ("kind", .string(kind)), ("name", .string("Instance \(id)")),
                                            ("rules", rules)], actor: Op.admin)
        if let territory { event.payload["territory"] = .string(territory) }
        return event
    }
    static func member(_ body: String, _ party: String) -> Ev {
        Ev("body.member_added", [("body", .string(body)), ("party", .string(party))], actor: Op.secretary)
    }
    static func removeMember(_ body: String, _ party: String) -> Ev {
        Ev("body.member_removed", [("body", .string(body)), ("party", .string(party))], actor: Op.secretary)
    }
    static func contribution(_ ref: String, party: String = "P-1", fund: String = "citizens", instrument: String = "donation",
                             amount: JSONValue = eur(100)) -> Ev {
        Ev("contribution.recorded", [("amount", amount), ("fund", .string(fund)), ("instrument", .string(instrument)),
                                     ("party", .string(party)), ("ref", .string(ref))], actor: Op.treasurer)
    }
    static func reversal(of original: String, amount: JSONValue, ref: String, reason: String = "refund") -> Ev {
        Ev("contribution.reversed", [("amount", amount), ("contribution", .string(original)), ("reason", .string(reason)),
                                     ("ref", .string(ref))], actor: Op.treasurer)
    }
    static func lenderRepaid(_ original: String, amount: JSONValue, ref: String) -> Ev {
        Ev("lender.repaid", [("amount", amount), ("contribution", .string(original)), ("ref", .string(ref))], actor: Op.treasurer)
    }
    static func project(_ id: String, organisation: String = "ORG-1", territory: String = "FR-75", instrument: String = "loan",
                        amount: JSONValue = eur(40_000)) -> Ev {
        Ev("project.applied", [("amount", amount), ("instrument", .string(instrument)), ("organisation", .string(organisation)),
                               ("project", .string(id)), ("territory", .string(territory))], actor: Op.clerk)
    }
    static func fundProject(_ project: String, fund: String, amount: JSONValue) -> JSONValue {
        ["kind": "fund_project", "project": .string(project), "fund": .string(fund), "amount": amount]
    }
    static func motion(_ kind: String, commitment: String, amount: JSONValue? = nil) -> JSONValue {
        var object = JSONObject([("commitment", .string(commitment)), ("kind", .string(kind))])
        if let amount { object["amount"] = amount }
        return .object(object)
    }
    static func ballot(_ id: String, body: String = "AG", motion: JSONValue) -> Ev {
        Ev("ballot.opened", [("ballot", .string(id)), ("body", .string(body)), ("motion", motion)], actor: Op.secretary)
    }
    static func vote(_ ballot: String, _ voter: String, _ choice: String = "for") -> Ev {
        Ev("vote.cast", [("ballot", .string(ballot)), ("choice", .string(choice)), ("voter", .string(voter))], actor: Op.clerk)
    }
    static func proxy(_ ballot: String, from grantor: String, to holder: String) -> Ev {
        Ev("proxy.granted", [("ballot", .string(ballot)), ("grantor", .string(grantor)), ("holder", .string(holder))], actor: Op.clerk)
    }
    static func recusal(_ ballot: String, _ party: String) -> Ev {
        Ev("recusal.recorded", [("ballot", .string(ballot)), ("party", .string(party))], actor: Op.secretary)
    }
    static func closeBallot(_ ballot: String) -> Ev { Ev("ballot.closed", [("ballot", .string(ballot))], actor: Op.secretary) }
    static func decision(_ id: String, ballot: String, _ outcome: BallotOutcome) -> Ev {
        let t = outcome.tally
        let tally = JSONObject([("abstain", .integer(Int64(t.abstain))), ("against", .integer(Int64(t.against))),
                                ("blank", .integer(Int64(t.blank))), ("by_proxy", .integer(Int64(t.byProxy))),
                                ("electorate", .integer(Int64(t.electorate))), ("for", .integer(Int64(t.votesFor))),
                                ("recused", .integer(Int64(t.recused)))])
        return Ev("decision.recorded", [("adopted", .bool(outcome.adopted)), ("ballot", .string(ballot)), ("decision", .string(id)),
                                        ("quorum_met", .bool(outcome.quorumMet)), ("tally", .object(tally))], actor: Op.secretary)
    }
    static func commitment(_ id: String, decision: String, project: String = "PRJ-1", fund: String = "citizens",
                           tranches: [Int64]) -> Ev {
        Ev("commitment.made", [("amount", eur(tranches.reduce(0, +))), ("commitment", .string(id)), ("decision", .string(decision)),
                               ("fund", .string(fund)), ("project", .string(project)), ("tranches", .array(tranches.map(eur)))],
           actor: Op.treasurer)
    }
    static func amend(_ id: String, decision: String, tranches: [Int64]) -> Ev {
        Ev("commitment.amended", [("amount", eur(tranches.reduce(0, +))), ("commitment", .string(id)), ("decision", .string(decision)),
                                  ("tranches", .array(tranches.map(eur)))], actor: Op.treasurer)
    }
    static func cancel(_ id: String, decision: String) -> Ev {
        Ev("commitment.cancelled", [("commitment", .string(id)), ("decision", .string(decision))], actor: Op.treasurer)
    }
    static func request(_ id: String, commitment: String = "C-1", tranche: Int64 = 1, amount: JSONValue) -> Ev {
        Ev("disbursement.requested", [("amount", amount), ("commitment", .string(commitment)), ("disbursement", .string(id)),
                                      ("tranche", .integer(tranche))], actor: Op.clerk)
    }
    static func approve(_ id: String) -> Ev { Ev("disbursement.approved", [("disbursement", .string(id))], actor: Op.secretary) }
    static func reject(_ id: String) -> Ev {
        Ev("disbursement.rejected", [("disbursement", .string(id)), ("reason", "pièces manquantes")], actor: Op.secretary)
    }
    static func execute(_ id: String, ref: String) -> Ev {
        Ev("disbursement.executed", [("disbursement", .string(id)), ("ref", .string(ref))], actor: Op.treasurer)
    }
    static func repayment(_ commitment: String, amount: JSONValue, ref: String) -> Ev {
        Ev("repayment.received", [("amount", amount), ("commitment", .string(commitment)), ("ref", .string(ref))], actor: Op.treasurer)
    }
    static func writeOff(_ commitment: String, decision: String, amount: JSONValue) -> Ev {
        Ev("loan.written_off", [("amount", amount), ("commitment", .string(commitment)), ("decision", .string(decision))], actor: Op.treasurer)
    }
}
