import LedgerCore

/// Ballots: opened on a motion with a frozen electorate and frozen rules, then proxies,
/// recusals and votes, then the close.
///
/// The checks read the ballot through `ballots[id]!` expressions and never keep a copy of the
/// entry while a vote or proxy is stored: a live copy would make each store copy the ballot's
/// whole vote table (copy-on-write), turning a ballot of n votes into n² work.
extension FundState {
    mutating func applyBallotOpened(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["ballot", "body", "motion"])
        let ballot: BallotID = try payload.identifier("ballot")
        let bodyID: BodyID = try payload.identifier("body")
        let motion = try decodeMotion(payload)
        try payload.decoded()
        try fresh(ballots, ballot, event)
        let body = try known(bodies, bodyID, event)
        guard !body.members.isEmpty else {
            throw Rules.electorate.violation("ballot.opened: body \"\(bodyID)\" has no members, so the ballot would have no electorate")
        }
        let project = try checkMotion(motion, body: bodyID, event)
        ballots[ballot] = BallotEntry(body: bodyID, motion: motion, project: project, rules: body.rules, electorate: body.members)
    }

    mutating func applyProxyGranted(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["ballot", "grantor", "holder"])
        let ballot: BallotID = try payload.identifier("ballot")
        let grantor: PartyID = try payload.identifier("grantor")
        let holder: PartyID = try payload.identifier("holder")
        try openBallot(ballot, event)
        for party in [grantor, holder] { try mayTakePart(party, in: ballot, event) }
        let held: Int
        do {
            let entry = ballots[ballot]!  // released at the end of this scope, before the stores
            if let problem = Self.proxyProblem(entry, grantor: grantor, holder: holder) {
                throw Rules.proxyRules.violation("proxy.granted on \"\(ballot)\": \(problem)")
            }
            held = entry.proxiesHeld[holder] ?? 0
            guard held < entry.rules.proxiesMax else {
                throw Rules.proxyLimit.violation("proxy.granted on \"\(ballot)\": \"\(holder)\" already holds \(held) prox\(held == 1 ? "y" : "ies"), the statutes allow \(entry.rules.proxiesMax)")
            }
        }
        ballots[ballot]!.proxies[grantor] = holder
        ballots[ballot]!.proxiesHeld[holder] = held + 1
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
        try openBallot(ballot, event)
        try inElectorate(party, ballot, event)
        let problem: String?
        if ballots[ballot]!.recused.contains(party) {
            problem = "is already recused"
        } else if ballots[ballot]!.votes[party] != nil {
            problem = "has already voted"
        } else if ballots[ballot]!.proxies[party] != nil || ballots[ballot]!.proxiesHeld[party] != nil {
            problem = "already gave or holds a proxy"
        } else {
            problem = nil
        }
        if let problem { throw Rules.recusal.violation("recusal.recorded on \"\(ballot)\": \"\(party)\" \(problem); a recusal comes first") }
        ballots[ballot]!.recused.insert(party)
    }

    mutating func applyVoteCast(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["ballot", "choice", "voter"])
        let ballot: BallotID = try payload.identifier("ballot")
        let voter: PartyID = try payload.identifier("voter")
        let choice: Choice = try payload.choice("choice")
        try openBallot(ballot, event)
        try mayTakePart(voter, in: ballot, event)
        if let earlier = ballots[ballot]!.votes[voter] {
            throw Rules.oneVote.violation("vote.cast on \"\(ballot)\": \"\(voter)\" already voted (\(earlier.rawValue)); a vote is final")
        }
        ballots[ballot]!.votes[voter] = choice
    }

    mutating func applyBallotClosed(_ event: Event) throws(RuleViolation) {
        let payload = try event.payload(required: ["ballot"])
        let ballot: BallotID = try payload.identifier("ballot")
        try openBallot(ballot, event)
        ballots[ballot]!.close()
    }

    /// `I0.unknown-reference` or `I6.ballot-closed`.
    private func openBallot(_ ballot: BallotID, _ event: Event) throws(RuleViolation) {
        guard let isClosed = ballots[ballot]?.isClosed else {
            throw Rules.unknownReference.violation("\(event.name): unknown ballot \"\(ballot)\"")
        }
        if isClosed { throw Rules.ballotClosed.violation("\(event.name): ballot \"\(ballot)\" is closed") }
    }

    private func inElectorate(_ party: PartyID, _ ballot: BallotID, _ event: Event) throws(RuleViolation) {
        guard ballots[ballot]!.electorate.contains(party) else {
            let body = ballots[ballot]!.body
            throw Rules.electorate.violation("\(event.name) on \"\(ballot)\": \"\(party)\" is not in the electorate frozen when the ballot opened (members of \"\(body)\" then)")
        }
    }

    /// A voter, grantor or holder: in the electorate, not recused, without an undeclared conflict.
    private func mayTakePart(_ party: PartyID, in ballot: BallotID, _ event: Event) throws(RuleViolation) {
        try inElectorate(party, ballot, event)
        if ballots[ballot]!.recused.contains(party) {
            throw Rules.recused.violation("\(event.name) on \"\(ballot)\": \"\(party)\" is recused")
        }
        if let project = ballots[ballot]!.project, projects[project]!.interested.contains(party) {
            throw Rules.interest.violation("\(event.name) on \"\(ballot)\": \"\(party)\" declared an interest in project \"\(project)\" and must be recused (recusal.recorded)")
        }
    }
}
