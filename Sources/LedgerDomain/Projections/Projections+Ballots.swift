/// Governance records: every ballot with its frozen electorate and rules, each member's part
/// (vote, proxy, recusal), the tally and outcome recomputed under the frozen rules, and the
/// decision that recorded them.
public struct MemberPart: Sendable, Equatable {
    public enum Part: String, Sendable {
        /// Voted in person.
        case voted
        /// Counted with their proxy holder's vote.
        case byProxy = "by_proxy"
        /// Gave a proxy whose holder did not vote.
        case proxyUnused = "proxy_unused"
        case recused
        case absent
    }

    public let party: PartyID
    public let part: Part
    public let choice: Choice?
    /// The holder of this member's proxy, if they gave one.
    public let proxyHolder: PartyID?
    /// The vote's record, for a member who voted.
    public let voteSeq: UInt64?
}

public struct BallotReport: Sendable, Equatable {
    public let ballot: BallotID
    public let body: BodyID
    public let motion: Motion
    public let motionText: String?
    public let rules: BodyRules
    public let opened: Stamp?
    public let closed: Stamp?
    public let members: [MemberPart]
    /// Recomputed from the votes, proxies and recusals (Specs/events.md, section 5).
    public let outcome: BallotOutcome
    public let decision: DecisionID?
    /// What the decision recorded (equal to `outcome` in a log the rules accepted).
    public let recorded: (adopted: Bool, quorumMet: Bool, tally: Tally)?

    public static func == (lhs: BallotReport, rhs: BallotReport) -> Bool {
        lhs.ballot == rhs.ballot && lhs.opened == rhs.opened && lhs.closed == rhs.closed && lhs.members == rhs.members
            && lhs.outcome == rhs.outcome && lhs.decision == rhs.decision
    }
}

extension Projections {
    /// Listed ballots (opened by a counted record), sorted by identifier.
    public func ballotList() -> [BallotReport] {
        require(.governance, "the ballot list")
        let all = ballots.all
        return all.keys.sorted().compactMap { all[$0]!.opened == nil ? nil : ballot($0, all[$0]!) }
    }

    public func ballot(_ id: BallotID) -> BallotReport? {
        require(.governance, "a ballot's report")
        return ballots[id].map { ballot(id, $0) }
    }

    private func ballot(_ id: BallotID, _ entry: BallotView) -> BallotReport {
        require(.ballotDetail, "a ballot's report")
        var tally = Tally()
        tally.electorate = entry.electorate.count
        var members: [MemberPart] = []
        for member in entry.electorate {
            let holder = entry.proxies[member]
            if entry.recused.contains(member) {
                tally.recused += 1
                members.append(MemberPart(party: member, part: .recused, choice: nil, proxyHolder: holder, voteSeq: nil))
            } else if let vote = entry.votes[member] {
                tally.count(vote.choice)
                members.append(MemberPart(party: member, part: .voted, choice: vote.choice, proxyHolder: holder, voteSeq: vote.seq))
            } else if let holder, let vote = entry.votes[holder] {
                tally.count(vote.choice)
                tally.byProxy += 1
                members.append(MemberPart(party: member, part: .byProxy, choice: vote.choice, proxyHolder: holder, voteSeq: vote.seq))
            } else {
                members.append(MemberPart(party: member, part: holder == nil ? .absent : .proxyUnused, choice: nil,
                                          proxyHolder: holder, voteSeq: nil))
            }
        }
        let decision = entry.decision.flatMap { decisions[$0] }
        return BallotReport(ballot: id, body: entry.body, motion: entry.motion, motionText: entry.motionText, rules: entry.rules,
                            opened: entry.opened, closed: entry.closed, members: members, outcome: entry.rules.outcome(of: tally),
                            decision: entry.decision, recorded: decision.map { ($0.adopted, $0.quorumMet, $0.tally) })
    }

    /// The decision's ballot, if the decision is known.
    public func ballot(ofDecision id: DecisionID) -> BallotID? {
        require(.governance, "a decision's ballot")
        return decisions[id]?.ballot
    }
}
