import LedgerCore

/// Audit trails: which entities a record touches, and the chain of authority behind money.
public enum EntityKind: String, CaseIterable, Sendable, Comparable {
    case `operator`, party, territory, fund, body, project, ballot, decision, commitment, disbursement
    /// A bank or external reference: a contribution is named by its own.
    case reference

    public static func < (lhs: EntityKind, rhs: EntityKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

public struct EntityRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let kind: EntityKind
    public let id: String

    public init(_ kind: EntityKind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(kind.rawValue) \(id)" }

    public static func < (lhs: EntityRef, rhs: EntityRef) -> Bool {
        (lhs.kind, lhs.id) < (rhs.kind, rhs.id)
    }
}

extension Projections {
    /// Payload members that cite an entity directly, per kind (nested motion members included).
    static let citing: [(key: String, kind: EntityKind)] = [
        ("operator", .operator), ("party", .party), ("organisation", .party), ("voter", .party), ("grantor", .party),
        ("holder", .party), ("code", .territory), ("parent", .territory), ("territory", .territory), ("fund", .fund),
        ("body", .body), ("project", .project), ("ballot", .ballot), ("decision", .decision), ("commitment", .commitment),
        ("disbursement", .disbursement), ("ref", .reference),
    ]

    /// Every entity `record` touches: those it cites, its actor, and those whose money it moves
    /// (a reversal touches the contribution's party and fund; a disbursement step its
    /// commitment, project and fund), sorted.
    public func touches(_ record: Record) -> [EntityRef] {
        var found: Set<EntityRef> = [EntityRef(.operator, record.actor)]
        let fields = Fields(record.payload)
        var sources = [fields]
        if let motion = fields.nested("motion") { sources.append(motion) }
        for source in sources {
            for (key, kind) in Self.citing {
                guard let text = source.string(key) else { continue }
                found.insert(EntityRef(kind, text))
            }
            // A reversal's or a lender repayment's "contribution" names the contribution's reference.
            if let reference = source.string("contribution") { found.insert(EntityRef(.reference, reference)) }
        }
        for entity in Array(found) { found.formUnion(derived(from: entity)) }
        return found.sorted()
    }

    /// What money moved through `entity` also touches.
    func derived(from entity: EntityRef) -> [EntityRef] {
        switch entity.kind {
        case .reference:
            guard let id = ExternalReference(entity.id), let contribution = contributions[id] else { return [] }
            return [EntityRef(.party, contribution.party.text), EntityRef(.fund, contribution.fund.text)]
        case .disbursement:
            guard let id = DisbursementID(entity.id), let disbursement = disbursements[id] else { return [] }
            return [EntityRef(.commitment, disbursement.commitment.text)] + derived(from: EntityRef(.commitment, disbursement.commitment.text))
        case .commitment:
            guard let id = CommitmentID(entity.id), let commitment = commitments[id] else { return [] }
            return [EntityRef(.project, commitment.project.text), EntityRef(.fund, commitment.fund.text)]
        default:
            return []
        }
    }

    /// The kinds under which `id` is known (up to the cut), sorted.
    public func kinds(of id: String) -> [EntityKind] {
        EntityKind.allCases.filter { knows(EntityRef($0, id)) }
    }

    public func knows(_ entity: EntityRef) -> Bool {
        require(.governance, "an audit's lookup")
        let text = entity.id
        switch entity.kind {
        case .operator: return OperatorID(text).map { operators[$0] != nil } ?? false
        case .party: return PartyID(text).map { parties[$0] != nil } ?? false
        case .territory: return TerritoryCode(text).map { territories[$0] != nil } ?? false
        case .fund: return FundID(text).map { funds[$0] != nil } ?? false
        case .body: return BodyID(text).map { bodies[$0] != nil } ?? false
        case .project: return ProjectID(text).map { projects[$0] != nil } ?? false
        case .ballot: return BallotID(text).map { ballots[$0] != nil } ?? false
        case .decision: return DecisionID(text).map { decisions[$0] != nil } ?? false
        case .commitment: return CommitmentID(text).map { commitments[$0] != nil } ?? false
        case .disbursement: return DisbursementID(text).map { disbursements[$0] != nil } ?? false
        case .reference: return ExternalReference(text).map { contributions[$0] != nil } ?? false
        }
    }
}
