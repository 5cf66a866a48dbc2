/// A map of a few entries, kept as one array sorted by key: a ballot's votes (three to a few
/// dozen). A `Dictionary` per ballot took about 520 bytes, its storage grown by doubling from one
/// bucket: 25 MB for the 48,000 ballots of the bench's fund, a fifteenth of its rebuild. Here
/// a ballot's votes take their entries and an array's header, and a lookup is a binary search
/// over a handful of keys.
struct SmallMap<Key: Comparable & Sendable, Value: Sendable>: Sendable {
    struct Entry: Sendable {
        let key: Key
        var value: Value
    }

    /// Sorted by key, each key once.
    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// The value of `key`; setting nil removes it.
    subscript(key: Key) -> Value? {
        get {
            let (index, found) = place(of: key)
            return found ? entries[index].value : nil
        }
        set {
            let (index, found) = place(of: key)
            switch (found, newValue) {
            case (true, let value?): entries[index].value = value
            case (true, nil): entries.remove(at: index)
            case (false, let value?): entries.insert(Entry(key: key, value: value), at: index)
            case (false, nil): break
            }
        }
    }

    /// Where `key` is, or where it would go to keep the order.
    private func place(of key: Key) -> (index: Int, found: Bool) {
        var (low, high) = (0, entries.count)
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return (low, low < entries.count && entries[low].key == key)
    }
}

extension SmallMap: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (Key, Value)...) {
        for (key, value) in elements {
            precondition(self[key] == nil, "a SmallMap literal names each key once")
            self[key] = value
        }
    }
}

extension SmallMap: Equatable where Value: Equatable {
    static func == (lhs: SmallMap, rhs: SmallMap) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.key == $1.key && $0.value == $1.value }
    }
}

/// Written as a `Dictionary` is (a count, then each key and value), in key order: snapshots
/// written with a dictionary read the same.
extension SmallMap: CompactCodable where Key: CompactCodable, Value: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.unsigned(UInt64(count))
        for entry in entries {
            entry.key.write(to: &writer)
            entry.value.write(to: &writer)
        }
    }

    /// Read in the order written (sorted, if written here), then sorted if it was not.
    init(from reader: inout CompactReader) throws(CompactError) {
        let count = try reader.count()
        entries.reserveCapacity(count)
        for _ in 0..<count { entries.append(Entry(key: try Key(from: &reader), value: try Value(from: &reader))) }
        if !entries.indices.dropFirst().allSatisfy({ entries[$0 - 1].key < entries[$0].key }) {
            entries.sort { $0.key < $1.key }
            guard entries.indices.dropFirst().allSatisfy({ entries[$0 - 1].key < entries[$0].key }) else {
                throw .invalid("dictionary: duplicate keys")
            }
        }
    }
}
