/// The directory, entity family by entity family, for the back office's `list` reports: what
/// the cut counts (an entity whose introducing record is effective after `--as-of` is not
/// listed), sorted by identifier.
extension Projections {
    public struct OperatorListing: Sendable, Equatable {
        public let id: OperatorID
        public let role: Role
        public let registered: Stamp?
        public let revoked: Stamp?
    }

    public struct PartyListing: Sendable, Equatable {
        public let id: PartyID
        public let kind: PartyKind
    }

    public struct TerritoryListing: Sendable, Equatable {
        public let code: TerritoryCode
        public let name: String
        public let parent: TerritoryCode?
    }

    public struct FundListing: Sendable, Equatable {
        public let id: FundID
        public let name: String
        public let pool: Pool
        public let territory: TerritoryCode?
    }

    public struct BodyListing: Sendable, Equatable {
        public let id: BodyID
        public let kind: BodyKind
        public let name: String
        public let territory: TerritoryCode?
        public let rules: BodyRules
        public let memberCount: Int
    }

    /// Operators registered in the cut (the genesis actor, the founding administrator, included).
    public var operatorList: [OperatorListing] {
        operators.filter { $0.value.registered != nil }.sorted { $0.key < $1.key }
            .map { OperatorListing(id: $0.key, role: $0.value.role, registered: $0.value.registered, revoked: $0.value.revoked) }
    }

    public var partyList: [PartyListing] {
        parties.all.filter(\.value.listed).sorted { $0.key < $1.key }.map { PartyListing(id: $0.key, kind: $0.value.kind) }
    }

    public var territoryList: [TerritoryListing] {
        territories.filter(\.value.listed).sorted { $0.key < $1.key }
            .map { TerritoryListing(code: $0.key, name: $0.value.name, parent: $0.value.parent) }
    }

    public var fundList: [FundListing] {
        funds.filter(\.value.listed).sorted { $0.key < $1.key }
            .map { FundListing(id: $0.key, name: $0.value.name, pool: $0.value.pool, territory: $0.value.territory) }
    }

    public var bodyList: [BodyListing] {
        bodies.filter(\.value.listed).sorted { $0.key < $1.key }.map {
            BodyListing(id: $0.key, kind: $0.value.kind, name: $0.value.name, territory: $0.value.territory, rules: $0.value.rules,
                        memberCount: $0.value.members.count)
        }
    }
}
