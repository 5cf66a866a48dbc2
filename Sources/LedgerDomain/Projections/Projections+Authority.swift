import LedgerCore

/// The chain of authority behind money: a disbursement was paid on a commitment, made (and
/// amended, cancelled, written off) on decisions, each recording a ballot of a body.
/// A chain of authority: its links in order, and the last record that matters (for a
/// disbursement, its last step: later acts on its commitment did not authorise it).
public struct Authority: Sendable, Equatable {
    public let links: [EntityRef]
    public let through: UInt64?
}

extension Projections {
    /// The entities whose own events authorise `entity`'s, in chain order (empty when nothing
    /// authorises it: a contribution, a party...). For a disbursement, only what preceded its
    /// last step: the decisions that made or amended its commitment before it was paid, not
    /// those that later wrote the loan off or cancelled the rest.
    public func authority(of entity: EntityRef) -> Authority {
        require(.governance, "an audit's chain of authority")
        var chain: [EntityRef] = []
        var through: UInt64?
        switch entity.kind {
        case .disbursement:
            guard let id = DisbursementID(entity.id), let disbursement = disbursements[id] else { return Authority(links: [], through: nil) }
            through = [disbursement.requested, disbursement.approved, disbursement.executed, disbursement.rejected]
                .compactMap { $0?.seq }.max()
            chain.append(EntityRef(.commitment, disbursement.commitment.text))
            chain += commitmentAuthority(disbursement.commitment, through: through)
        case .commitment:
            guard let id = CommitmentID(entity.id) else { return Authority(links: [], through: nil) }
            chain += commitmentAuthority(id, through: nil)
        case .project:
            guard let id = ProjectID(entity.id), let project = projects[id] else { return Authority(links: [], through: nil) }
            for ballot in project.ballots { chain.append(EntityRef(.ballot, ballot.text)) }
            for commitment in project.commitments {
                chain.append(EntityRef(.commitment, commitment.text))
                chain += commitmentAuthority(commitment, through: nil)
            }
        case .decision:
            guard let id = DecisionID(entity.id), let decision = decisions[id] else { return Authority(links: [], through: nil) }
            chain.append(EntityRef(.ballot, decision.ballot.text))
        default:
            break
        }
        var seen: Set<EntityRef> = [entity]
        return Authority(links: chain.filter { seen.insert($0).inserted }, through: through)
    }

    func commitmentAuthority(_ id: CommitmentID, through: UInt64?) -> [EntityRef] {
        guard let commitment = commitments[id] else { return [] }
        return zip(commitment.decisions, commitment.acts).flatMap { decision, act -> [EntityRef] in
            if let through, act > through { return [] }
            return [EntityRef(.decision, decision.text)] + (decisions[decision].map { [EntityRef(.ballot, $0.ballot.text)] } ?? [])
        }
    }

    /// The entities a record is about (its subject), as opposed to those it merely cites: a
    /// vote is about its ballot, not about its voter; a commitment.made about its commitment,
    /// not its decision. The events of a chain of authority are those about its links.
    public static func subjects(_ record: Record) -> [EntityRef] {
        let fields = Fields(record.payload)
        func ref(_ kind: EntityKind, _ key: String) -> [EntityRef] { fields.string(key).map { [EntityRef(kind, $0)] } ?? [] }
        switch EventType(type: record.type) {
        case .ballotOpened, .proxyGranted, .recusalRecorded, .voteCast, .ballotClosed: return ref(.ballot, "ballot")
        case .decisionRecorded: return ref(.decision, "decision") + ref(.ballot, "ballot")
        case .commitmentMade, .commitmentAmended, .commitmentCancelled, .repaymentReceived, .loanWrittenOff:
            return ref(.commitment, "commitment")
        case .disbursementRequested, .disbursementApproved, .disbursementRejected, .disbursementExecuted:
            return ref(.disbursement, "disbursement")
        case .projectApplied: return ref(.project, "project")
        default: return []
        }
    }

    /// How to find an audit trail fast in the log's bytes: a record that touches `entity` or is
    /// about one of `chain` holds one of `needles` (quoted identifiers: identifiers need no
    /// escaping, so they appear verbatim), or is of one of `types` (money moved through a
    /// contribution or a commitment, cited by other identifiers). Lines that match neither need
    /// not be decoded. At most `needlesMax` derived needles; beyond, their types are decoded.
    public func auditFilter(for entity: EntityRef, chain: [EntityRef], needlesMax: Int = 16) -> (needles: [String], types: [EventType]) {
        var needles = [entity.id] + chain.map(\.id)
        var derived: [String] = []
        var types: [EventType] = []
        let steps: [EventType] = [.disbursementApproved, .disbursementRejected, .disbursementExecuted]
        let loanSteps: [EventType] = [.commitmentAmended, .commitmentCancelled, .repaymentReceived, .loanWrittenOff]
        switch entity.kind {
        case .party:
            require(.statements, "an audit of a party")
            let lines = PartyID(entity.id).flatMap { statements[$0] } ?? []
            derived = lines.filter { $0.kind == .contribution }.map(\.reference.text)
            if derived.count > needlesMax { types = [.contributionReversed, .lenderRepaid] }
        case .fund:
            types = [.contributionReversed, .lenderRepaid] + steps + [.disbursementRequested] + loanSteps
        case .project:
            let own = ProjectID(entity.id).flatMap { projects[$0]?.commitments } ?? []
            derived = own.map(\.text) + own.flatMap { commitments[$0]?.disbursements.map(\.text) ?? [] }
            if derived.count > needlesMax { types = steps + [.disbursementRequested] + loanSteps }
        case .commitment:
            derived = CommitmentID(entity.id).flatMap { commitments[$0]?.disbursements.map(\.text) } ?? []
            if derived.count > needlesMax { types = steps }
        default:
            break
        }
        if types.isEmpty { needles += derived }
        var seen: Set<String> = []
        return (needles.filter { seen.insert($0).inserted }, types)
    }
}

extension Projections {
    /// The project a commitment finances, if the commitment is known.
    public func commitmentProject(_ id: CommitmentID) -> ProjectID? { commitments[id]?.project }
}
