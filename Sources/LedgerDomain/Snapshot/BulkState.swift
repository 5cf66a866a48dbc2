/// What the snapshot code (LedgerEngine) does with the bulk tables of the rules' state and of
/// the projections: read them from a base file, list their rows to write a new one, and learn
/// whether a base read met damaged bytes. Each state names its tables once (`bulkSlots`).
extension FundState {
    /// The rule id of the refusal a damaged base causes (see `BulkBase`).
    public static var damagedBaseRule: String { BulkMap<ReferenceKind, ReferenceUse>.damagedRule }

    static var bulkSlots: [BulkSlot<FundState>] {
        [BulkSlot(\.references), BulkSlot(\.idempotencyKeys), BulkSlot(\.ballots), BulkSlot(\.decisions), BulkSlot(\.commitments),
         BulkSlot(\.disbursements), BulkSlot(\.parties), BulkSlot(\.projects), BulkSlot(\.lookAlikes.table)]
    }

    public mutating func attachBulkBase(_ base: (any BulkBase)?) { Self.bulkSlots.attach(base, to: &self) }
    public mutating func rebaseBulk(_ base: any BulkBase) { Self.bulkSlots.rebase(base, in: &self) }
    public var bulkIsDamaged: Bool { Self.bulkSlots.isDamaged(self) }
    /// Entries held in memory above the base (saved with the snapshot's core).
    public var recentBulkEntries: Int { Self.bulkSlots.recentEntries(self) }
    /// Every row of the rules' bulk tables, base and recent combined.
    public func forEachBulkRow(_ emit: (BulkTable, String, ArraySlice<UInt8>) -> Void) { Self.bulkSlots.forEachRow(self, emit) }
    /// The rows of the entries changed since the base, as a base merged with them stores them.
    public func forEachRecentBulkRow(_ emit: (BulkTable, String, ArraySlice<UInt8>) -> Void) { Self.bulkSlots.forEachRecentRow(self, emit) }

    /// Room for references and idempotency keys (a fold from the genesis: a table that grows by
    /// resizing rehashes every entry at each step, and holds the old table and the new at once).
    public mutating func reserveBulk(_ room: BulkRoom) {
        references.reserveCapacity(room.references)
        idempotencyKeys.reserveCapacity(room.idempotencyKeys)
    }
}

extension Projections {
    static var bulkSlots: [BulkSlot<Projections>] {
        [BulkSlot(\.contributions), BulkSlot(\.statements), BulkSlot(\.ballots), BulkSlot(\.decisions), BulkSlot(\.disbursements),
         BulkSlot(\.parties), BulkSlot(\.projects), BulkSlot(\.commitments)]
    }

    public mutating func attachBulkBase(_ base: (any BulkBase)?) { Self.bulkSlots.attach(base, to: &self) }
    public mutating func rebaseBulk(_ base: any BulkBase) { Self.bulkSlots.rebase(base, in: &self) }
    public var bulkIsDamaged: Bool { Self.bulkSlots.isDamaged(self) }
    /// Entries held in memory above the base (a statement counts its lines).
    public var recentBulkEntries: Int { Self.bulkSlots.recentEntries(self) }
    public func forEachBulkRow(_ emit: (BulkTable, String, ArraySlice<UInt8>) -> Void) { Self.bulkSlots.forEachRow(self, emit) }
    public func forEachRecentBulkRow(_ emit: (BulkTable, String, ArraySlice<UInt8>) -> Void) { Self.bulkSlots.forEachRecentRow(self, emit) }

    public mutating func reserveBulk(_ count: Int) { contributions.reserveCapacity(count) }
}

/// One bulk table of a state, reached through its key path: what the snapshot code does with a
/// table, whatever its keys and values.
struct BulkSlot<Owner> {
    let attach: (inout Owner, (any BulkBase)?) -> Void
    let rebase: (inout Owner, any BulkBase) -> Void
    let isDamaged: (Owner) -> Bool
    let recentEntries: (Owner) -> Int
    let forEachRow: (Owner, (BulkTable, String, ArraySlice<UInt8>) -> Void) -> Void
    let forEachRecentRow: (Owner, (BulkTable, String, ArraySlice<UInt8>) -> Void) -> Void

    init<Kind, Value>(_ path: WritableKeyPath<Owner, BulkMap<Kind, Value>>) {
        attach = { owner, base in owner[keyPath: path].attach(base) }
        rebase = { owner, base in owner[keyPath: path].rebase(base) }
        isDamaged = { $0[keyPath: path].isDamaged }
        recentEntries = { $0[keyPath: path].recentEntries }
        forEachRow = { owner, emit in
            let map = owner[keyPath: path]
            map.forEachCombined { emit(map.table, $0, $1) }
        }
        forEachRecentRow = { owner, emit in
            let map = owner[keyPath: path]
            map.forEachRecentRow { emit(map.table, $0, $1) }
        }
    }
}

extension Array {
    func attach<Owner>(_ base: (any BulkBase)?, to owner: inout Owner) where Element == BulkSlot<Owner> {
        for slot in self { slot.attach(&owner, base) }
    }

    func rebase<Owner>(_ base: any BulkBase, in owner: inout Owner) where Element == BulkSlot<Owner> {
        for slot in self { slot.rebase(&owner, base) }
    }

    func isDamaged<Owner>(_ owner: Owner) -> Bool where Element == BulkSlot<Owner> {
        contains { $0.isDamaged(owner) }
    }

    func recentEntries<Owner>(_ owner: Owner) -> Int where Element == BulkSlot<Owner> {
        reduce(0) { $0 + $1.recentEntries(owner) }
    }

    func forEachRow<Owner>(_ owner: Owner, _ emit: (BulkTable, String, ArraySlice<UInt8>) -> Void) where Element == BulkSlot<Owner> {
        for slot in self { slot.forEachRow(owner, emit) }
    }

    func forEachRecentRow<Owner>(_ owner: Owner, _ emit: (BulkTable, String, ArraySlice<UInt8>) -> Void) where Element == BulkSlot<Owner> {
        for slot in self { slot.forEachRecentRow(owner, emit) }
    }
}
