#if canImport(Glibc)
import Glibc
#endif

/// A map whose entries lie side by side in one array, in the order they were added, found
/// through an open-addressing index of 8-byte slots: what a bulk table holds in memory
/// (`BulkMap.recent`).
///
/// Why not a `Dictionary`: a dictionary keeps a key and a value in each bucket, empty or not,
/// and a table of 800,000 references sits in 2^21 buckets. A lookup there reads the bucket's
/// key, then its position, then the entry: three cache misses in tables of tens of megabytes,
/// and hash tables were two fifths of the rules' fold and a third of the projections'. Here a
/// slot holds the upper half of the key's hash and the entry's position (8 bytes: 16 MB for
/// the same table, where the dictionary took 40), so a lookup reads one slot, usually one
/// cache line of them, then the entry it names, whose key and value lie together.
///
/// Entries are added and changed, never removed (a bulk table forgets its entries only all at
/// once, when a new base holds them).
struct DenseMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    struct Entry: Sendable {
        let key: Key
        var value: Value
    }

    private(set) var entries: ContiguousArray<Entry> = []
    private var index = SlotIndex(slots: 0)

    init() {}

    var count: Int { entries.count }
    /// The index's slots (what its room costs in memory: 8 bytes each).
    var indexSlots: Int { index.slots }
    var isEmpty: Bool { entries.isEmpty }
    var keys: LazyMapSequence<ContiguousArray<Entry>, Key> { entries.lazy.map(\.key) }
    var values: LazyMapSequence<ContiguousArray<Entry>, Value> { entries.lazy.map(\.value) }

    /// Room for `capacity` entries without growing, and room for `entryRoom` of them (at least
    /// `capacity`) in the entries' array. The index is zeroed memory that the system hands out
    /// untouched, but inserts at random slots touch every page of it: it is sized for the
    /// entries expected. The entries fill their room in order, so room for entries that never
    /// come costs address space, not memory; and entries that outgrow their room are copied
    /// into an array twice as large, both held at once (an estimate short by one entry at the
    /// end of a fold made its table take twice its memory).
    mutating func reserveCapacity(_ capacity: Int, entries entryRoom: Int? = nil) {
        entries.reserveCapacity(Swift.max(capacity, entryRoom ?? capacity))
        // Room is a hint (sized from a log's length): never more than an index can address.
        let slots = SlotIndex.slots(for: Swift.min(capacity, SlotIndex.entriesMax))
        if slots > index.slots { index = index.resized(to: slots) }
    }

    /// The value of `key`; setting adds or replaces it (nil is not a value here: nothing is removed).
    subscript(key: Key) -> Value? {
        get { position(of: key).map { entries[$0].value } }
        set {
            guard let newValue else { preconditionFailure("a DenseMap's entries are never removed") }
            // One walk of the index (a lookup then an insert walked it twice for a new key).
            if let position = insertOrFind(key, newValue) { entries[position].value = newValue }
        }
    }

    func contains(_ key: Key) -> Bool { position(of: key) != nil }

    /// Hands `key`'s value to `body` where it lies, nil if there is none: the subscript copies
    /// it, and a copy of an entry holding sets and tables (an open ballot's) retains each.
    func read<Result, Failure: Error>(_ key: Key, _ body: (borrowing Value) throws(Failure) -> Result) throws(Failure) -> Result? {
        guard let position = position(of: key) else { return nil }
        // Through `pointee`, which is addressed: `buffer[position]` returned the entry by value,
        // and so copied it (the copies of commitments were 45 ms of a verify).
        return try entries.withUnsafeBufferPointer { (buffer) throws(Failure) -> Result in
            try body((buffer.baseAddress! + position).pointee.value)
        }
    }

    /// Adds the entry unless `key` has one, which it returns, changing nothing: one walk of the
    /// index (a rebuild adds a million references, each new).
    mutating func insertIfAbsent(_ key: Key, _ value: Value) -> Value? {
        insertOrFind(key, value).map { entries[$0].value }
    }

    /// Adds the entry unless `key` has one, whose position it returns, changing nothing.
    private mutating func insertOrFind(_ key: Key, _ value: Value) -> Int? {
        let hash = index.hash(key)
        if index.slots > 0, let found = index.find(hash, { entries[$0].key == key }) { return found }
        if SlotIndex.isFull(holding: entries.count + 1, slots: index.slots) {
            grow()
        } else if !isKnownUniquelyReferenced(&index) {
            index = index.resized(to: index.slots)
        }
        index.claim(hash, position: entries.count)
        entries.append(Entry(key: key, value: value))
        return nil
    }

    /// Changes the value of `key` in place, if there is one; false otherwise.
    @discardableResult
    mutating func modify(_ key: Key, _ change: (inout Value) -> Void) -> Bool {
        guard let position = position(of: key) else { return false }
        change(&entries[position].value)
        return true
    }

    /// Changes the value of `key` in place, `value` first if it has none.
    mutating func modify(_ key: Key, default value: @autoclosure () -> Value, _ change: (inout Value) -> Void) {
        if !modify(key, change) {
            var added = value()
            change(&added)
            _ = insertIfAbsent(key, added)
        }
    }

    /// The entries as a dictionary (comparisons, tests).
    var dictionary: [Key: Value] {
        var result: [Key: Value] = [:]
        result.reserveCapacity(entries.count)
        for entry in entries { result[entry.key] = entry.value }
        return result
    }

    private func position(of key: Key) -> Int? {
        guard index.slots > 0 else { return nil }
        return index.find(index.hash(key)) { entries[$0].key == key }
    }

    /// Twice the slots, each slot moved by the hash it holds (no key is hashed again).
    private mutating func grow() {
        index = index.resized(to: Swift.max(SlotIndex.slotsMin, index.slots * 2))
    }
}

/// The index of a `DenseMap`: a power of two of 8-byte slots, each 0 (empty) or the upper 32
/// bits of a key's hash above the key's position plus one. A key's home slot is taken from the
/// same 32 bits, so a table that grows moves each slot without reading its entry; a lookup
/// compares the 32 bits before it reads an entry's key. Linear probing, at most 3/4 full.
/// Copy on write: a `DenseMap` copied and then changed copies its index first.
final class SlotIndex: @unchecked Sendable {
    static let slotsMin = 16
    /// The most entries an index of 2^32 slots holds at 3/4 full.
    static let entriesMax = (1 << 32) / 4 * 3
    /// Mixed into every hash, drawn once per process, as `Hasher` does: keys cannot be
    /// chosen to collide without it (the identifiers' hash is `Identifier._rawHashValue`).
    private static let processSeed = Int.random(in: .min ... .max)

    let slots: Int
    private let mask: UInt64
    /// The process's seed, read once here rather than through a global's accessor per hash.
    private let seed: Int
    private let storage: UnsafeMutablePointer<UInt64>?

    /// `slots` zeroed slots (0 or a power of two).
    init(slots: Int) {
        precondition(slots == 0 || (slots.nonzeroBitCount == 1 && slots <= 1 << 32), "a power of two of slots, at most 2^32")
        self.slots = slots
        mask = slots == 0 ? 0 : UInt64(slots - 1)
        seed = Self.processSeed
        // calloc: a large table's pages come from the system already zero, touched only as
        // slots are used.
        storage = slots == 0 ? nil : calloc(slots, MemoryLayout<UInt64>.stride)!.assumingMemoryBound(to: UInt64.self)
    }

    deinit { free(storage) }

    func hash<Key: Hashable>(_ key: Key) -> UInt64 {
        UInt64(bitPattern: Int64(key._rawHashValue(seed: seed)))
    }

    /// The slots a table of `count` entries needs.
    static func slots(for count: Int) -> Int {
        var slots = slotsMin
        while isFull(holding: count, slots: slots) { slots *= 2 }
        return slots
    }

    static func isFull(holding count: Int, slots: Int) -> Bool { count > slots / 4 * 3 }

    /// The position whose entry `matches`, among those whose slots hold `hash`'s upper bits.
    @inline(__always)
    func find(_ hash: UInt64, _ matches: (Int) -> Bool) -> Int? {
        let tag = hash >> 32
        var slot = tag & mask
        while true {
            let held = storage![Int(slot)]
            if held == 0 { return nil }
            if held >> 32 == tag, matches(Int(held & 0xFFFF_FFFF) - 1) { return Int(held & 0xFFFF_FFFF) - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// Takes the first empty slot from `hash`'s home for the entry at `position` (the caller
    /// has made sure the key is not there, and that this index is not shared).
    func claim(_ hash: UInt64, position: Int) {
        precondition(position < Int(UInt32.max) - 1, "a bulk table holds at most 2^32 - 2 entries in memory")
        place((hash >> 32) << 32 | UInt64(position + 1))
    }

    /// A copy with `slots` slots (as many or more), each held slot moved to its home there.
    func resized(to slots: Int) -> SlotIndex {
        let resized = SlotIndex(slots: slots)
        if slots == self.slots {
            if slots > 0 { resized.storage!.update(from: storage!, count: slots) }
        } else {
            for slot in 0..<self.slots where storage![slot] != 0 { resized.place(storage![slot]) }
        }
        return resized
    }

    private func place(_ held: UInt64) {
        var slot = (held >> 32) & mask
        while storage![Int(slot)] != 0 { slot = (slot + 1) & mask }
        storage![Int(slot)] = held
    }
}

extension DenseMap: Sequence {
    /// In the order the entries were added.
    struct Iterator: IteratorProtocol {
        fileprivate var entries: ContiguousArray<Entry>.Iterator

        mutating func next() -> (key: Key, value: Value)? { entries.next().map { ($0.key, $0.value) } }
    }

    func makeIterator() -> Iterator { Iterator(entries: entries.makeIterator()) }
    var underestimatedCount: Int { entries.count }
}

extension DenseMap: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (Key, Value)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }
}

extension DenseMap: Equatable where Value: Equatable {
    /// The same entries, whatever the order they were added in.
    static func == (lhs: DenseMap, rhs: DenseMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }
}

/// Written as a `Dictionary` is (a count, then each key and value): snapshots read the same.
extension DenseMap: CompactCodable where Key: CompactCodable, Value: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.unsigned(UInt64(count))
        for (key, value) in self {
            key.write(to: &writer)
            value.write(to: &writer)
        }
    }

    init(from reader: inout CompactReader) throws(CompactError) {
        let count = try reader.count()
        self.init()
        reserveCapacity(count)
        for _ in 0..<count {
            let key = try Key(from: &reader)
            guard insertIfAbsent(key, try Value(from: &reader)) == nil else { throw .invalid("dictionary: duplicate keys") }
        }
    }
}
