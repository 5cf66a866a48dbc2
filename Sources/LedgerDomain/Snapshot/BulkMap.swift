/// The tables read in place rather than loaded: those that grow with every contribution (the
/// references the rules keep unique, with the contributions they name; the projections'
/// contributions; the contributors' statements, Specs/reports.md section 7; the idempotency
/// keys used so far, with the seq of the record that used each), and the rules' entities that
/// grow with the fund's activity (ballots, decisions, commitments, disbursements): an append
/// reads the rows its events cite, not every entity.
public enum BulkTable: UInt8, CaseIterable, Sendable {
    case references = 1
    case contributions = 2
    case statements = 3
    case idempotency = 4
    case ballots = 5
    case decisions = 6
    case commitments = 7
    case disbursements = 8
    /// The projections' ballots (with their electorates and votes), decisions and disbursements.
    case ballotViews = 9
    case decisionViews = 10
    case disbursementViews = 11
    /// The projections' parties, projects and commitments.
    case partyViews = 12
    case projectViews = 13
    case commitmentViews = 14
    /// The rules' parties and projects, and the look-alike index of every identifier family.
    case parties = 15
    case projects = 16
    case lookAlikes = 17

    /// Whether a key's rows extend one another rather than replace: a statement's lines in a
    /// base's upper file follow those of the files under it, and a merge appends them
    /// (Specs/reports.md section 6), so that a batch writes the lines it adds, not every
    /// statement it touches whole.
    public var extendsSaved: Bool { self == .statements }
}

/// How many references and idempotency keys a fold from the genesis makes room for: the
/// counts it expects, for the tables' indexes, and the most it could meet, for their entries'
/// arrays (`DenseMap.reserveCapacity`).
public struct BulkRoom: Sendable, Equatable {
    public let references: Int
    public let idempotencyKeys: Int
    /// At least `references` and `idempotencyKeys`.
    public let entriesAtMost: Int

    public init(references: Int, idempotencyKeys: Int, entriesAtMost: Int = 0) {
        (self.references, self.idempotencyKeys) = (references, idempotencyKeys)
        self.entriesAtMost = max(entriesAtMost, references, idempotencyKeys)
    }
}

/// Where the bulk tables saved with a snapshot are read in place (a `TableFile`), so that an
/// append or a report never loads them whole. A read that meets damaged bytes returns nil and
/// marks the base damaged; whoever folded or reported meanwhile must then throw that work away
/// and fold the log from the genesis (`FundState` refuses the record at hand with
/// `BulkMap.damagedRule` so that nothing is appended on a wrong answer).
///
/// A base may lie in several files (a large one and the entries changed since, Specs/reports.md
/// section 6); it answers as one: a key's row is its newest, or for a table whose rows extend
/// (`BulkTable.extendsSaved`), its rows appended, the older first.
public protocol BulkBase: AnyObject, Sendable {
    func value(in table: BulkTable, key: String) -> [UInt8]?
    /// Every row of `table` (one per key: its newest, or its rows appended for a table whose
    /// rows extend), keys and values as stored.
    func forEach(in table: BulkTable, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void)
    /// The rows stored for `table` (a key in both files counts twice): a bound on its entries.
    func rowsBound(in table: BulkTable) -> Int
    var isDamaged: Bool { get }
    func markDamaged(_ reason: String)
}

/// A value of a bulk table. Most values are replaced by a newer one; a statement is extended.
protocol BulkValue: CompactCodable, Equatable, Sendable {
    /// Whether a recent part extends the saved one (`combined`) rather than replacing it.
    static var extendsSaved: Bool { get }
    /// How many entries a recent value counts for (a statement: its lines).
    var entryCount: Int { get }
    /// The value of an entry whose base holds `saved` and whose recent part holds `recent`.
    static func combined(saved: Self, recent: Self) -> Self
    /// The value of a base's row: its compact encoding, or for a value that extends its saved
    /// part, its elements back to back with no count, so that two rows appended as bytes are
    /// the row of the values combined.
    init(row: [UInt8]) throws(CompactError)
    func writeRow(to writer: inout CompactWriter)
}

extension BulkValue {
    static var extendsSaved: Bool { false }
    var entryCount: Int { 1 }
    static func combined(saved: Self, recent: Self) -> Self { recent }

    init(row: [UInt8]) throws(CompactError) {
        var reader = CompactReader(bytes: row)
        self = try Self(from: &reader)
        guard reader.isAtEnd else { throw CompactError.invalid("bytes after a row's value") }
    }

    func writeRow(to writer: inout CompactWriter) { write(to: &writer) }
}

extension ReferenceUse: BulkValue {}
/// The seq of the record that used an idempotency key.
extension UInt64: BulkValue {}
extension ContributionView: BulkValue {}
extension BallotEntry: BulkValue {}
extension DecisionEntry: BulkValue {}
extension CommitmentEntry: BulkValue {}
extension DisbursementEntry: BulkValue {}
extension BallotView: BulkValue {}
extension DecisionView: BulkValue {}
extension DisbursementView: BulkValue {}
extension PartyView: BulkValue {}
extension ProjectView: BulkValue {}
extension CommitmentView: BulkValue {}
extension PartyKind: BulkValue {}
extension ProjectEntry: BulkValue {}
extension LookAlikeTexts: BulkValue {}

/// A party's statement lines: those saved in the base come first, the recent ones after.
extension Array: BulkValue where Element == StatementLine {
    static var extendsSaved: Bool { true }
    var entryCount: Int { count }
    static func combined(saved: [StatementLine], recent: [StatementLine]) -> [StatementLine] { saved + recent }

    init(row: [UInt8]) throws(CompactError) {
        var reader = CompactReader(bytes: row)
        self = []
        while !reader.isAtEnd { append(try StatementLine(from: &reader)) }
    }

    func writeRow(to writer: inout CompactWriter) {
        for line in self { line.write(to: &writer) }
    }
}

/// One bulk table: the entries of the base (a saved file, read in place), under the entries
/// added or changed since (in memory, saved with the snapshot's core until the base is
/// rewritten). A fold from the genesis has no base: everything is recent.
struct BulkMap<Kind: IdentifierKind, Value: BulkValue>: Sendable, Equatable {
    typealias Key = Identifier<Kind>

    /// The rule id a `FundState` throws when its base is damaged: not a rule of the fund, a
    /// signal to fold again from the genesis (never shown to a user, never written in a log).
    static var damagedRule: String { "cache.damaged" }

    let table: BulkTable
    private(set) var base: (any BulkBase)?
    /// Set whole only by a snapshot's decoding; otherwise changed through the methods below.
    var recent = DenseMap<Key, Value>()

    init(_ table: BulkTable) {
        precondition(table.extendsSaved == Value.extendsSaved, "the base file extends the rows of the tables whose values extend")
        self.table = table
    }

    var isDamaged: Bool { base?.isDamaged ?? false }

    subscript(key: Key) -> Value? {
        let recentValue = recent[key]
        // A recent value that replaces the saved one is the answer: no read of the base.
        if !Value.extendsSaved, recentValue != nil { return recentValue }
        guard let base, let bytes = base.value(in: table, key: key.text) else { return recentValue }
        guard let saved = try? Value(row: bytes) else {
            base.markDamaged("a row of the \(table) table does not decode")
            return recentValue
        }
        return recentValue.map { Value.combined(saved: saved, recent: $0) } ?? saved
    }

    /// Hands the entry of `key` held in memory to `body` where it lies, if it is the answer
    /// (a recent value that replaces the saved one); nil otherwise, the base then to be read.
    func readRecent<Result, Failure: Error>(_ key: Key, _ body: (borrowing Value) throws(Failure) -> Result) throws(Failure) -> Result? {
        Value.extendsSaved ? nil : try recent.read(key, body)
    }

    /// Whether `key` has an entry: `self[key] != nil` without copying an entry held in memory,
    /// nor looking the recent entries up twice when there is no base (a rebuild).
    func contains(_ key: Key) -> Bool {
        if recent.contains(key) { return true }
        return base != nil && self[key] != nil
    }

    /// `body` applied to the entry of `key`, nil if there is none: an entry held in memory is
    /// read where it lies (the subscript copies it, retaining each of its arrays and texts),
    /// one from the base is decoded first.
    func read<Result>(_ key: Key, _ body: (borrowing Value) -> Result) -> Result? {
        if let result = readRecent(key, body) { return result }
        // Not held in memory whole: the base's entry (none without a base), or a statement's parts.
        guard base != nil || Value.extendsSaved else { return nil }
        return self[key].map { body($0) }
    }

    mutating func reserveCapacity(_ capacity: Int, entries: Int? = nil) { recent.reserveCapacity(capacity, entries: entries) }

    /// Sets the entry's recent part (for a statement: the lines after those of the base).
    mutating func setRecent(_ key: Key, _ value: Value) { recent[key] = value }

    /// Adds an entry unless the key has one (base or recent), which it returns, changing nothing
    /// (nor when the base turns out damaged). One hash-table operation where a lookup and an
    /// insertion would take two: a rebuild adds a million references.
    mutating func insertIfAbsent(_ key: Key, _ value: Value) -> Value? {
        if let base {
            let existing = self[key]
            if existing != nil || base.isDamaged { return existing }
        }
        return recent.insertIfAbsent(key, value)
    }

    /// Changes an entry that exists (a programming error otherwise: the rules check first)
    /// in place: the first change copies it from the base into the recent part, the next ones
    /// change it there, without copying it (a ballot's votes: n votes must not cost n²).
    mutating func modify(_ key: Key, _ change: (inout Value) -> Void) {
        guard modifyIfPresent(key, change) else { preconditionFailure("\(table): \(key) is modified before it exists") }
    }

    /// `modify` if the entry exists; false (nothing changed) otherwise.
    @discardableResult
    mutating func modifyIfPresent(_ key: Key, _ change: (inout Value) -> Void) -> Bool {
        precondition(!Value.extendsSaved, "a value that extends its saved part is changed through its recent part")
        if recent.modify(key, change) { return true }
        guard let saved = self[key] else { return false }
        recent[key] = saved
        return recent.modify(key, change)
    }

    /// At least the number of entries, base and recent combined (exact without a base): enough
    /// to tell a table small enough to scan, without reading the base through.
    var countBound: Int { (base?.rowsBound(in: table) ?? 0) + recent.count }

    /// Entries held above the base.
    var recentEntries: Int { Value.extendsSaved ? recent.values.reduce(0) { $0 + $1.entryCount } : recent.count }

    mutating func modifyRecent(_ key: Key, default value: Value, _ change: (inout Value) -> Void) {
        recent.modify(key, default: value, change)
    }

    /// Every entry, base and recent combined (slow on a big base: comparisons and tests).
    var all: [Key: Value] {
        var entries = recent.dictionary
        base?.forEach(in: table) { keyBytes, valueBytes in
            guard let key = Key(String(decoding: keyBytes, as: UTF8.self)), let saved = try? Value(row: Array(valueBytes)) else {
                base?.markDamaged("a row of the \(table) table does not decode")
                return
            }
            entries[key] = entries[key].map { Value.combined(saved: saved, recent: $0) } ?? saved
        }
        return entries
    }

    /// Calls `emit` with every entry, base and recent combined, encoded as a base stores it: the
    /// rows of a new base.
    func forEachCombined(_ emit: (String, ArraySlice<UInt8>) -> Void) {
        var merged = Set<Key>()
        var writer = CompactWriter()
        func encoded(_ value: Value) -> ArraySlice<UInt8> {
            writer.reset()
            value.writeRow(to: &writer)
            return writer.bytes[...]
        }
        // A base row is handed on as the slice read (no copy per row): a base rewrite reads a
        // million of them. Its key was checked when the row was written, under the page hashes.
        base?.forEach(in: table) { keyBytes, valueBytes in
            let text = String(decoding: keyBytes, as: UTF8.self)
            guard !recent.isEmpty, let recentValue = recent[Key(checkedText: text)] else { return emit(text, valueBytes) }
            guard let saved = try? Value(row: Array(valueBytes)) else { return base!.markDamaged("a row of the \(table) table does not decode") }
            merged.insert(Key(checkedText: text))
            emit(text, encoded(Value.combined(saved: saved, recent: recentValue)))
        }
        for (key, value) in recent where !merged.contains(key) { emit(key.text, encoded(value)) }
    }

    /// Calls `emit` with the row of every recent entry as a new base stores it, for a base
    /// merged with them (`TableFileWriter.write(merging:)`, whose other rows are the old
    /// base's) or for an upper file over the old base. A statement's row is its recent lines
    /// only: the merge appends them to the old row, and an upper file's follow those under it.
    /// So no row of the base is read (when a statement was written whole, a batch of 100,000
    /// gifts from 30,000 donors read each donor's statement from the base to write it again).
    func forEachRecentRow(_ emit: (String, ArraySlice<UInt8>) -> Void) {
        var writer = CompactWriter()
        for (key, value) in recent {
            writer.reset()
            value.writeRow(to: &writer)
            emit(key.text, writer.bytes[...])
        }
    }

    /// Reads on `base` from now on; the recent entries stay on top of it.
    mutating func attach(_ base: (any BulkBase)?) { self.base = base }

    /// After a new base holding every entry was written: read it, nothing recent.
    mutating func rebase(_ base: any BulkBase) {
        self.base = base
        recent = DenseMap()
    }

    static func == (lhs: BulkMap, rhs: BulkMap) -> Bool {
        if lhs.base == nil && rhs.base == nil { return lhs.recent == rhs.recent }
        return lhs.all == rhs.all
    }
}
