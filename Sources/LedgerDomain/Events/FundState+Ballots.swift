import LedgerCore

/// Ballots: opened on a motion with a frozen electorate and frozen rules, then proxies,
/// recusals and votes, then the close.
///
/// The checks read the ballot once (`open` hands it to them where it lies), and the stores
/// then change it in place (`BulkMap.modify`). A vote's checks copy nothing: a copy retains
/// each of the ballot's sets and tables. A proxy's (rare) work on a copy released before the
/// stores: a copy still alive at a store would make it copy the whole vote table
/// (copy-on-write), turning a ballot of n votes into n² work.
extension FundState {
    mutating func applyBallotOpened(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["ballot", "body", "motion"])
        let ballot: BallotID = try payload.identifier("ballot")
        let bodyID: BodyID = try payload.identifier("body")
        let motion = try decodeMotion(payload)
        try payload.decoded()
        try Self.fresh(ballots, ballot, event)
        let body = try Self.known(bodies, bodyID, event)
        guard !body.members.isEmpty else {
            throw Rules.electorate.violation("ballot.opened: body \"\(bodyID)\" has no members, so the ballot would have no electorate")
        }
        let project = try checkMotion(motion, body: bodyID, event)
        ballots.setRecent(ballot, BallotEntry(body: bodyID, motion: motion, project: project, rules: body.rules, electorate: body.members))
        created.ballots += 1
    }

    mutating func applyProxyGranted(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["ballot", "grantor", "holder"])
        let ballot: BallotID = try payload.identifier("ballot")
        let grantor: PartyID = try payload.identifier("grantor")
        let holder: PartyID = try payload.identifier("holder")
        let held: Int
        do {
            let entry = try open(ballot, event) { copy $0 }  // released at the end of this scope, before the stores
            for party in [grantor, holder] { try mayTakePart(party, in: entry, ballot, event) }
            if let problem = Self.proxyProblem(entry, grantor: grantor, holder: holder) {
                throw Rules.proxyRules.violation("proxy.granted on \"\(ballot)\": \(problem)")
            }
            held = entry.proxiesHeld[holder] ?? 0
            guard held < entry.rules.proxiesMax else {
                throw Rules.proxyLimit.violation("proxy.granted on \"\(ballot)\": \"\(holder)\" already holds \(held) prox\(held == 1 ? "y" : "ies"), the statutes allow \(entry.rules.proxiesMax)")
            }
        }
        ballots.modify(ballot) {
            $0.proxies[grantor] = holder
            $0.proxiesHeld[holder] = held + 1
        }
    }

    private static func proxyProblem(_ entry: BallotEntry, grantor: PartyID, holder: PartyID) -> String? {
        if grantor == holder { return "\"\(grantor)\" cannot hold their own proxy" }
        if let earlier = entry.proxies[grantor] { return "\"\(grantor)\" already gave a proxy to \"\(earlier)\"" }
        if entry.votes[grantor] != nil { return "\"\(grantor)\" has already voted" }
        if entry.proxies[holder] != nil { return "\"\(holder)\" gave their own proxy away, so cannot hold one (no chains)" }
        if entry.proxiesHeld[grantor] != nil { return "\"\(grantor)\" holds proxies, so cannot give theirs (no chains)" }
        return nil
    }

    mutating func applyRecusalRecorded(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["ballot", "party"])
        let ballot: BallotID = try payload.identifier("ballot")
        let party: PartyID = try payload.identifier("party")
        let type = event.type
        let problem = try open(ballot, event) { (entry) throws(RuleViolation) -> String? in
            try Self.inElectorate(party, entry, ballot, type)
            if entry.recused.contains(party) { return "is already recused" }
            if entry.votes[party] != nil { return "has already voted" }
            if entry.proxies[party] != nil || entry.proxiesHeld[party] != nil { return "already gave or holds a proxy" }
            return nil
        }
        if let problem { throw Rules.recusal.violation("recusal.recorded on \"\(ballot)\": \"\(party)\" \(problem); a recusal comes first") }
        ballots.modify(ballot) { $0.recused.insert(party) }
    }

    mutating func applyVoteCast(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["ballot", "choice", "voter"])
        let ballot: BallotID = try payload.identifier("ballot")
        let voter: PartyID = try payload.identifier("voter")
        let choice: Choice = try payload.choice("choice")
        // The checks on the ballot's own tables run on it where it lies; the closure holds no
        // `self` (capturing it would copy the fund's whole state at each vote), so the check on
        // the project's table comes after, in the order of `mayTakePart`. Nor the event: it
        // holds the event's type, where capturing the event copied its record.
        let type = event.type
        let (project, earlier) = try open(ballot, event) { (entry) throws(RuleViolation) in
            try Self.inElectorateNotRecused(voter, entry, ballot, type)
            return (entry.project, entry.votes[voter])
        }
        try noUndeclaredInterest(voter, in: project, ballot, event)
        if let earlier {
            throw Rules.oneVote.violation("vote.cast on \"\(ballot)\": \"\(voter)\" already voted (\(earlier.rawValue)); a vote is final")
        }
        ballots.modify(ballot) { $0.votes[voter] = choice }
    }

    mutating func applyBallotClosed(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["ballot"])
        let ballot: BallotID = try payload.identifier("ballot")
        try open(ballot, event) { _ in }
        ballots.modify(ballot) { $0.close() }
    }

    /// `checks` applied to the open ballot `ballot` names, or `I0.unknown-reference` or
    /// `I6.ballot-closed`.
    private func open<Result>(_ ballot: BallotID, _ event: Event,
                              _ checks: (borrowing BallotEntry) throws(RuleViolation) -> Result) throws(RuleViolation) -> Result {
        let type = event.type
        return try Self.known(ballots, ballot, event) { (entry) throws(RuleViolation) -> Result in
            if entry.isClosed { throw Rules.ballotClosed.violation("\(type.rawValue): ballot \"\(ballot)\" is closed") }
            return try checks(entry)
        }
    }

    private static func inElectorate(_ party: PartyID, _ entry: borrowing BallotEntry, _ ballot: BallotID, _ type: EventType) throws(RuleViolation) {
        guard entry.electorate.contains(party) else {
            let body = entry.body
            throw Rules.electorate.violation("\(type.rawValue) on \"\(ballot)\": \"\(party)\" is not in the electorate frozen when the ballot opened (members of \"\(body)\" then)")
        }
    }

    /// A voter, grantor or holder: in the electorate, not recused, without an undeclared conflict.
    private func mayTakePart(_ party: PartyID, in entry: BallotEntry, _ ballot: BallotID, _ event: Event) throws(RuleViolation) {
        try Self.inElectorateNotRecused(party, entry, ballot, event.type)
        try noUndeclaredInterest(party, in: entry.project, ballot, event)
    }

    private static func inElectorateNotRecused(_ party: PartyID, _ entry: borrowing BallotEntry, _ ballot: BallotID, _ type: EventType) throws(RuleViolation) {
        try inElectorate(party, entry, ballot, type)
        if entry.recused.contains(party) {
            throw Rules.recused.violation("\(type.rawValue) on \"\(ballot)\": \"\(party)\" is recused")
        }
    }

    private func noUndeclaredInterest(_ party: PartyID, in project: ProjectID?, _ ballot: BallotID, _ event: Event) throws(RuleViolation) {
        if let project, try Self.known(projects, project, event, { $0.interested.contains(party) }) {
            throw Rules.interest.violation("\(event.name) on \"\(ballot)\": \"\(party)\" declared an interest in project \"\(project)\" and must be recused (recusal.recorded)")
        }
    }
}
