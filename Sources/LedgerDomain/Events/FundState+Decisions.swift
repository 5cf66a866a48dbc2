import LedgerCore
import LedgerJSON

/// The decision a closed ballot produces: its recorded tally must be the one the votes give.
extension FundState {
    static let tallyMembers = ["abstain", "against", "blank", "by_proxy", "electorate", "for", "recused"]

    mutating func applyDecisionRecorded(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["adopted", "ballot", "decision", "quorum_met", "tally"], optional: ["minutes"])
        let decision: DecisionID = try payload.identifier("decision")
        let ballot: BallotID = try payload.identifier("ballot")
        let recorded = try decodeOutcome(payload)
        if payload.has("minutes") {
            let minutes = try payload.text("minutes", bytesMax: 64)
            guard minutes.utf8.count == 64, minutes.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw payload.schemaError("minutes", "the SHA-256 of the minutes (64 lowercase hex digits)")
            }
        }
        try Self.fresh(decisions, decision, event)
        let computed: BallotOutcome
        let motion: Motion
        do {
            let entry = try Self.known(ballots, ballot, event)
            guard entry.isClosed else {
                throw Rules.ballotOpen.violation("decision.recorded: ballot \"\(ballot)\" is still open; close it first")
            }
            if let earlier = entry.decision {
                throw Rules.ballotOpen.violation("decision.recorded: ballot \"\(ballot)\" already produced decision \"\(earlier)\"")
            }
            computed = entry.rules.outcome(of: entry.tally())
            motion = entry.motion
        }
        guard recorded == computed else {
            throw Rules.tally.violation("decision.recorded on \"\(ballot)\": recorded \(Self.describe(recorded)) but the votes, proxies and recusals give \(Self.describe(computed))")
        }
        decisions.setRecent(decision, DecisionEntry(ballot: ballot, motion: motion, adopted: computed.adopted))
        created.decisions += 1
        ballots.modify(ballot) { $0.decision = decision }
    }

    private func decodeOutcome(_ payload: Payload) throws(RuleViolation) -> BallotOutcome {
        let counts = try payload.nested("tally", required: Self.tallyMembers)
        func count(_ key: String) throws(RuleViolation) -> Int { Int(try counts.integer(key, in: 0...Int64(Self.membersMax))) }
        var tally = Tally()
        tally.votesFor = try count("for")
        tally.against = try count("against")
        tally.abstain = try count("abstain")
        tally.blank = try count("blank")
        tally.electorate = try count("electorate")
        tally.recused = try count("recused")
        tally.byProxy = try count("by_proxy")
        return BallotOutcome(tally: tally, quorumMet: try payload.bool("quorum_met"), adopted: try payload.bool("adopted"))
    }

    static func describe(_ outcome: BallotOutcome) -> String {
        let t = outcome.tally
        return "for \(t.votesFor), against \(t.against), abstain \(t.abstain), blank \(t.blank) (electorate \(t.electorate), recused \(t.recused), by proxy \(t.byProxy)), quorum \(outcome.quorumMet ? "met" : "not met"), \(outcome.adopted ? "adopted" : "not adopted")"
    }
}
