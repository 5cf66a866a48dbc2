/// A state whose big tables are bulk tables (`BulkMap`): the rules' state and the projections.
/// What the snapshot code (LedgerEngine) does with them: read them from a base file, list their
/// rows to write a new one, and learn whether a base read met damaged bytes. Each state names
/// its tables once (`bulkSlots`); everything else is written here once for both.
public protocol BulkTableHolder {
    static var bulkSlots: [BulkSlot<Self>] { get }
}

extension BulkTableHolder {
    public mutating func attachBulkBase(_ base: (any BulkBase)?) {
        for slot in Self.bulkSlots { slot.attach(&self, base) }
    }

    public mutating func rebaseBulk(_ base: any BulkBase) {
        for slot in Self.bulkSlots { slot.rebase(&self, base) }
    }

    public var bulkIsDamaged: Bool { Self.bulkSlots.contains { $0.isDamaged(self) } }

    /// Entries held in memory above the base, saved with the snapshot's core (a statement
    /// counts its lines).
    public var recentBulkEntries: Int { Self.bulkSlots.reduce(0) { $0 + $1.recentEntries(self) } }

    /// Every row of table `table`, base and recent combined (none if this holder has no such
    /// table): a whole base is written a table at a time.
    public func forEachBulkRow(of table: BulkTable, _ emit: (BulkTable, String, ArraySlice<UInt8>) -> Void) {
        for slot in Self.bulkSlots where slot.table(self) == table { slot.forEachRow(self, emit) }
    }

    /// The tables this holder has.
    public var bulkTables: [BulkTable] { Self.bulkSlots.map { $0.table(self) } }

    /// The rows of the entries changed since the base, as a base merged with them stores them.
    public func forEachRecentBulkRow(_ emit: (BulkTable, String, ArraySlice<UInt8>) -> Void) {
        for slot in Self.bulkSlots { slot.forEachRecentRow(self, emit) }
    }
}

extension FundState: BulkTableHolder {
    /// The rule id of the refusal a damaged base causes (see `BulkBase`).
    public static var damagedBaseRule: String { BulkMap<ReferenceKind, ReferenceUse>.damagedRule }

    public static var bulkSlots: [BulkSlot<FundState>] {
        [BulkSlot(\.references), BulkSlot(\.idempotencyKeys), BulkSlot(\.ballots), BulkSlot(\.decisions), BulkSlot(\.commitments),
         BulkSlot(\.disbursements), BulkSlot(\.parties), BulkSlot(\.projects), BulkSlot(\.lookAlikes.table)]
    }

    /// Room for references and idempotency keys (a fold from the genesis: a table that grows by
    /// resizing rehashes every entry at each step, and holds the old table and the new at once):
    /// indexes for the counts expected, entries' arrays for the most there could be.
    public mutating func reserveBulk(_ room: BulkRoom) {
        references.reserveCapacity(room.references, entries: room.entriesAtMost)
        idempotencyKeys.reserveCapacity(room.idempotencyKeys, entries: room.entriesAtMost)
    }
}

extension Projections {
    /// Room for the contributions' entries (a fold from the genesis), as for the rules'
    /// references (`FundState.reserveBulk`), but not for their index, which grows as they come:
    /// the contributions are some of the references, and an index sized for all would be a
    /// larger one, all of it touched.
    public mutating func reserveBulk(_ room: BulkRoom) {
        contributions.reserveCapacity(0, entries: room.entriesAtMost)
    }
}

extension Projections: BulkTableHolder {
    public static var bulkSlots: [BulkSlot<Projections>] {
        [BulkSlot(\.contributions), BulkSlot(\.statements), BulkSlot(\.ballots), BulkSlot(\.decisions), BulkSlot(\.disbursements),
         BulkSlot(\.parties), BulkSlot(\.projects), BulkSlot(\.commitments)]
    }
}

/// One bulk table of a state, reached through its key path: what the snapshot code does with a
/// table, whatever its keys and values.
public struct BulkSlot<Owner> {
    let table: (Owner) -> BulkTable
    let attach: (inout Owner, (any BulkBase)?) -> Void
    let rebase: (inout Owner, any BulkBase) -> Void
    let isDamaged: (Owner) -> Bool
    let recentEntries: (Owner) -> Int
    let forEachRow: (Owner, (BulkTable, String, ArraySlice<UInt8>) -> Void) -> Void
    let forEachRecentRow: (Owner, (BulkTable, String, ArraySlice<UInt8>) -> Void) -> Void

    init<Kind, Value>(_ path: WritableKeyPath<Owner, BulkMap<Kind, Value>>) {
        table = { $0[keyPath: path].table }
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
