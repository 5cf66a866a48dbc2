import LedgerCore
import LedgerJSON
import Testing
@testable import LedgerDomain

/// The generator's ballots, commitments and payments.
extension HistoryGenerator {
    /// A whole ballot: a motion the AG may decide, recusals of interested members, random
    /// proxies, recusals and votes, the close and the decision with the tally the votes give.
    mutating func ballot() {
        guard let motion = motion() else { return }
        let ballot = fresh("B")
        guard emit(E.ballot(ballot, motion: motion.json)) else { return }
        let electorate = fold.state.ballots[BallotID(ballot)!]!.electorate.map(\.text).sorted()
        let interested = motion.project.map { fold.state.projects[$0]!.interested } ?? []
        for member in electorate where interested.contains(PartyID(member)!) { emit(E.recusal(ballot, member)) }
        for member in electorate where !interested.contains(PartyID(member)!) {
            let entry = fold.state.ballots[BallotID(ballot)!]!
            let id = PartyID(member)!
            let involved = entry.proxies[id] != nil || entry.proxiesHeld[id] != nil
            switch Int.random(in: 0..<10, using: &random) {
            case 0 where !involved: emit(E.recusal(ballot, member))
            case 1 where entry.proxiesHeld[id] == nil:
                let holders = electorate.filter { holder in
                    let h = PartyID(holder)!
                    return holder != member && !interested.contains(h) && !entry.recused.contains(h) && entry.proxies[h] == nil
                        && (entry.proxiesHeld[h] ?? 0) < entry.rules.proxiesMax
                }
                if let holder = pick(holders) { emit(E.proxy(ballot, from: member, to: holder)) }
            case 2: break  // absent
            default: emit(E.vote(ballot, member, pick(["for", "for", "for", "against", "abstain", "blank"])!))
            }
        }
        emit(E.closeBallot(ballot))
        emit(E.decision(fresh("D"), ballot: ballot, fold.outcome(ballot)))
    }

    struct GeneratedMotion {
        let json: JSONValue
        let project: ProjectID?
    }

    mutating func motion() -> GeneratedMotion? {
        let active = fold.state.commitments.all.filter { !$0.value.isCancelled }.map(\.key.text).sorted()
        switch Int.random(in: 0..<10, using: &random) {
        case 0 where !active.isEmpty:
            let id = pick(active)!
            let entry = fold.state.commitments[CommitmentID(id)!]!
            let free = fold.state.fundsByID[entry.fund]!.balances.available.minorUnits
            let ceiling = fold.state.bodies[BodyID("AG")!]!.rules.amountMax.minorUnits
            let floor = max(entry.trancheTaken.map(\.minorUnits).reduce(0, +), 1)
            guard floor <= ceiling else { return nil }
            let amount = cents(floor...min(ceiling, entry.amount.minorUnits + free / 2))
            return GeneratedMotion(json: E.motion("amend_commitment", commitment: id, amount: .integer(amount)), project: entry.project)
        case 1 where !active.isEmpty:
            let id = pick(active)!
            return GeneratedMotion(json: E.motion("cancel_commitment", commitment: id), project: fold.state.commitments[CommitmentID(id)!]!.project)
        case 2:
            let loans = fold.state.commitments.all.filter { $0.value.instrument == .loan && !$0.value.outstanding.isZero }.map(\.key.text).sorted()
            guard let id = pick(loans) else { return nil }
            let entry = fold.state.commitments[CommitmentID(id)!]!
            return GeneratedMotion(json: E.motion("write_off", commitment: id, amount: .integer(cents(1...entry.outstanding.minorUnits))),
                                   project: entry.project)
        case 3:
            return GeneratedMotion(json: ["kind": "resolution", "text": .string("Résolution \(counter)")], project: nil)
        default:
            guard let project = pick(fold.state.projects.all.keys.map(\.text).sorted()) else { return nil }
            let entry = fold.state.projects[ProjectID(project)!]!
            let amount = cents(1...entry.requested.minorUnits)
            // The citizens' fund may use every instrument everywhere; the others are earmarked.
            var funds = ["citizens"]
            if entry.instrument != .grant { funds.append("financial") }
            if entry.instrument != .investment && fold.state.territory(entry.territory, isWithin: TerritoryCode("FR-IDF")!) {
                funds.append("public")
            }
            return GeneratedMotion(json: E.fundProject(project, fund: pick(funds)!, amount: .integer(amount)), project: ProjectID(project)!)
        }
    }

    /// Acts on an adopted decision not yet acted upon, when the fund can afford it.
    mutating func commitment() {
        let pending = fold.state.decisions.all.filter { $0.value.adopted && !$0.value.isUsed }.map(\.key.text).sorted()
        guard let decision = pick(pending) else { return }
        let id = DecisionID(decision)!
        switch fold.state.decisions[id]!.motion {
        case .fundProject(let project, let fund, let decided):
            let free = fold.state.fundsByID[fund]!.balances.available.minorUnits
            let amount = min(decided.minorUnits, free)
            guard amount > 0 else { return }
            emit(E.commitment(fresh("C"), decision: decision, project: project.text, fund: fund.text, tranches: [])
                .with("amount", .integer(amount)).with("tranches", split(amount)))
        case .amendCommitment(let commitment, let decided):
            guard let entry = fold.state.commitments[commitment], !entry.isCancelled else { return }
            let increase = decided.minorUnits - entry.amount.minorUnits
            guard increase <= fold.state.fundsByID[entry.fund]!.balances.available.minorUnits else { return }
            guard let plan = amendedPlan(entry, total: decided.minorUnits) else { return }
            emit(E.amend(commitment.text, decision: decision, tranches: []).with("amount", .integer(decided.minorUnits)).with("tranches", plan))
        case .cancelCommitment(let commitment):
            guard fold.state.commitments[commitment]?.isCancelled == false else { return }
            emit(E.cancel(commitment.text, decision: decision))
        case .writeOff(let commitment, let decided):
            let outstanding = fold.state.commitments[commitment]!.outstanding.minorUnits
            guard outstanding > 0 else { return }
            emit(E.writeOff(commitment.text, decision: decision, amount: .integer(min(outstanding, decided.minorUnits))))
        case .resolution:
            return
        }
    }

    mutating func split(_ amount: Int64) -> JSONValue {
        let count = Int64.random(in: 1...min(4, amount), using: &random)
        var parts = Array(repeating: amount / count, count: Int(count))
        parts[0] += amount % count
        return .array(parts.map { .integer($0) })
    }

    /// A plan for `total` that keeps every tranche at or above what was already taken from it.
    func amendedPlan(_ entry: CommitmentEntry, total: Int64) -> JSONValue? {
        var plan = entry.trancheTaken.map(\.minorUnits)
        let taken = plan.reduce(0, +)
        guard total >= taken else { return nil }
        plan[plan.count - 1] += total - taken
        if plan.count > 1 && plan[plan.count - 1] == 0 { return nil }
        guard plan.allSatisfy({ $0 > 0 }) else { return nil }
        return .array(plan.map { .integer($0) })
    }
}
