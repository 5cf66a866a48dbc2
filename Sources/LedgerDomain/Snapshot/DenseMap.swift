/// A map whose values lie side by side in one array, found through a hash table of their
/// positions: what a bulk table holds in memory (`BulkMap.recent`).
///
/// Why not a `Dictionary`: a dictionary keeps a slot for each bucket, empty or not, as wide as a
/// value, and a table of 800,000 references (each with the contribution it names, 72 bytes)
/// sits in 2^21 buckets: 185 MB, every page of it touched. Here a bucket holds a key and a
/// 4-byte position, and the values take what they need: 100 MB for the same table.
///
/// Entries are added and changed, never removed (a bulk table forgets its entries only all at
/// once, when a new base holds them).
struct DenseMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private var positions: [Key: UInt32] = [:]
    private(set) var values: ContiguousArray<Value> = []

    init() {}

    var count: Int { values.count }
    var isEmpty: Bool { values.isEmpty }
    var keys: Dictionary<Key, UInt32>.Keys { positions.keys }

    mutating func reserveCapacity(_ capacity: Int) {
        positions.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// The value of `key`; setting adds or replaces it (nil is not a value here: nothing is removed).
    subscript(key: Key) -> Value? {
        get { positions[key].map { values[Int($0)] } }
        set {
            guard let newValue else { preconditionFailure("a DenseMap's entries are never removed") }
            if let position = positions[key] { values[Int(position)] = newValue } else { append(key, newValue) }
        }
    }

    /// Hands `key`'s value to `body` where it lies, nil if there is none: the subscript copies
    /// it, and a copy of an entry holding sets and tables (an open ballot's) retains each.
    func read<Result, Failure: Error>(_ key: Key, _ body: (borrowing Value) throws(Failure) -> Result) throws(Failure) -> Result? {
        guard let position = positions[key] else { return nil }
        return try values.withUnsafeBufferPointer { (buffer) throws(Failure) -> Result in try body(buffer[Int(position)]) }
    }

    /// Adds the entry unless `key` has one, which it returns, changing nothing: one hash-table
    /// operation (a rebuild adds a million references, each new).
    mutating func insertIfAbsent(_ key: Key, _ value: Value) -> Value? {
        let next = UInt32(checkedPosition: values.count)
        var found = next
        Self.read(&positions[key, default: next], into: &found)
        guard found == next else { return values[Int(found)] }
        values.append(value)
        return nil
    }

    /// Changes the value of `key` in place, if there is one; false otherwise.
    @discardableResult
    mutating func modify(_ key: Key, _ change: (inout Value) -> Void) -> Bool {
        guard let position = positions[key] else { return false }
        change(&values[Int(position)])
        return true
    }

    /// Changes the value of `key` in place, `value` first if it has none.
    mutating func modify(_ key: Key, default value: @autoclosure () -> Value, _ change: (inout Value) -> Void) {
        if !modify(key, change) {
            var added = value()
            change(&added)
            append(key, added)
        }
    }

    /// The entries as a dictionary (comparisons, tests).
    var dictionary: [Key: Value] { positions.mapValues { values[Int($0)] } }

    private mutating func append(_ key: Key, _ value: Value) {
        positions[key] = UInt32(checkedPosition: values.count)
        values.append(value)
    }

    /// Reads a dictionary slot reached through its `default:` subscript: that access inserts
    /// the default when the key is absent, so a single lookup both finds and claims.
    private static func read(_ slot: inout UInt32, into found: inout UInt32) { found = slot }
}

extension DenseMap: Sequence {
    struct Iterator: IteratorProtocol {
        fileprivate var positions: Dictionary<Key, UInt32>.Iterator
        fileprivate let values: ContiguousArray<Value>

        mutating func next() -> (key: Key, value: Value)? {
            positions.next().map { ($0.key, values[Int($0.value)]) }
        }
    }

    func makeIterator() -> Iterator { Iterator(positions: positions.makeIterator(), values: values) }
    var underestimatedCount: Int { values.count }
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
        return lhs.positions.allSatisfy { key, position in rhs[key] == lhs.values[Int(position)] }
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

private extension UInt32 {
    /// A position in a table: more than 4 billion entries in memory is a programming error.
    init(checkedPosition position: Int) {
        precondition(position < Int(UInt32.max), "a bulk table holds at most 2^32 - 1 entries in memory")
        self.init(truncatingIfNeeded: position)
    }
}
