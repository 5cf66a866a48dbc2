/// Ballots and decisions: the electorate frozen at opening (directory), then what counted
/// records did (votes, proxies, recusals, close, decision).
extension Projections {
    mutating func applyBallotOpened(_ change: Change) {
        guard parts.contains(.governance) else { return }
        guard let id: BallotID = change.fields.id("ballot"), let bodyID: BodyID = change.fields.id("body"),
              let body = bodies[bodyID], let motionFields = change.fields.nested("motion"),
              let motion = Self.motion(motionFields) else { return }
        let ballot = BallotView(body: bodyID, motion: motion, motionText: motionFields.string("text"), rules: body.rules,
                                electorate: parts.contains(.ballotDetail) ? body.members.sorted() : [])
        guard change.counted else { return ballots.setRecent(id, ballot) }
        var opened = ballot
        opened.opened = change.stamp
        ballots.setRecent(id, opened)
        if let project = project(of: motion) { projects.modifyIfPresent(project) { $0.ballots.append(id) } }
    }

    static func motion(_ fields: Fields) -> Motion? {
        switch fields.choice("kind") as MotionKind? {
        case .fundProject:
            guard let project: ProjectID = fields.id("project"), let fund: FundID = fields.id("fund"),
                  let amount = fields.money("amount") else { return nil }
            return .fundProject(project: project, fund: fund, amount: amount)
        case .amendCommitment:
            guard let commitment: CommitmentID = fields.id("commitment"), let amount = fields.money("amount") else { return nil }
            return .amendCommitment(commitment: commitment, amount: amount)
        case .cancelCommitment:
            return fields.id("commitment").map { .cancelCommitment(commitment: $0) }
        case .writeOff:
            guard let commitment: CommitmentID = fields.id("commitment"), let amount = fields.money("amount") else { return nil }
            return .writeOff(commitment: commitment, amount: amount)
        case .resolution:
            return .resolution
        case nil:
            return nil
        }
    }

    /// The project a motion concerns, if any.
    func project(of motion: Motion) -> ProjectID? {
        switch motion {
        case .fundProject(let project, _, _): return project
        case .amendCommitment(let commitment, _), .cancelCommitment(let commitment), .writeOff(let commitment, _):
            return commitments.read(commitment) { $0.project }
        case .resolution: return nil
        }
    }

    mutating func applyBallotEvent(_ change: Change) {
        // A ballot of the base is read once, by the change that copies it up (`modifyIfPresent`).
        guard change.counted, parts.contains(.governance), let id: BallotID = change.fields.id("ballot") else { return }
        let fields = change.fields
        guard change.type == .ballotClosed || parts.contains(.ballotDetail) else { return }
        switch change.type {
        case .voteCast:
            guard let voter: PartyID = fields.id("voter"), let choice: Choice = fields.choice("choice") else { return }
            ballots.modifyIfPresent(id) { $0.votes[voter] = VoteView(choice: choice, seq: change.record.seq) }
        case .proxyGranted:
            guard let grantor: PartyID = fields.id("grantor"), let holder: PartyID = fields.id("holder") else { return }
            ballots.modifyIfPresent(id) { $0.proxies[grantor] = holder }
        case .recusalRecorded:
            guard let party: PartyID = fields.id("party") else { return }
            ballots.modifyIfPresent(id) { $0.recused.insert(party) }
        default:
            ballots.modifyIfPresent(id) { $0.closed = change.stamp }
        }
    }

    mutating func applyDecision(_ change: Change) {
        guard parts.contains(.governance) else { return }
        let fields = change.fields
        guard let id: DecisionID = fields.id("decision"), let ballotID: BallotID = fields.id("ballot"),
              let motion = ballots.read(ballotID, { $0.motion }), let adopted = fields.value("adopted")?.boolValue,
              let quorumMet = fields.value("quorum_met")?.boolValue, let tally = fields.nested("tally").flatMap(Self.tally) else { return }
        decisions.setRecent(id, DecisionView(ballot: ballotID, adopted: adopted, quorumMet: quorumMet, tally: tally,
                                     recorded: change.counted ? change.stamp : nil))
        guard change.counted else { return }
        ballots.modify(ballotID) { $0.decision = id }
        if adopted, case .fundProject(let project, _, let amount) = motion {
            projects.modifyIfPresent(project) { $0.approved += amount.minorUnits }
        }
    }

    static func tally(_ fields: Fields) -> Tally? {
        var tally = Tally()
        guard let votesFor = fields.integer("for"), let against = fields.integer("against"), let abstain = fields.integer("abstain"),
              let blank = fields.integer("blank"), let electorate = fields.integer("electorate"),
              let recused = fields.integer("recused"), let byProxy = fields.integer("by_proxy") else { return nil }
        (tally.votesFor, tally.against, tally.abstain, tally.blank) = (Int(votesFor), Int(against), Int(abstain), Int(blank))
        (tally.electorate, tally.recused, tally.byProxy) = (Int(electorate), Int(recused), Int(byProxy))
        return tally
    }
}
