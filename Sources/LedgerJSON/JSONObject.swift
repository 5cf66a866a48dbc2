/// A JSON object whose members are always in canonical order (RFC 8785: keys by UTF-16 code
/// units) with keys stored in NFC and distinct as code units.
///
/// Keys are normalized to NFC on the way in (`init`, subscript set) and on lookup, so an NFD
/// spelling of a key finds its NFC member; two stored keys can never be canonically equivalent.
/// Comparisons use code units, never `String ==`, which would merge NFC/NFD twins.
public struct JSONObject: Sendable, Equatable, Sequence {
    public typealias Element = (key: String, value: JSONValue)

    /// One member. A struct rather than a tuple: arrays of tuples are created and destroyed
    /// through the runtime's generic tuple witnesses, measurably slower in the decoder.
    struct Member: Sendable {
        var key: String
        var value: JSONValue
    }

    /// Invariant: strictly increasing by `KeyOrder`, every key NFC.
    private(set) var members: [Member]

    /// An empty object.
    public init() {
        self.members = []
    }

    /// An object of `members`, in any order.
    ///
    /// Two keys that are equal after NFC normalization are a programmer error and trap.
    public init(_ members: [(String, JSONValue)]) {
        var sorted = members.map { Member(key: Normalization.nfc($0.0), value: $0.1) }
        sorted.sort { KeyOrder.compare($0.key, $1.key) < 0 }
        for index in sorted.indices.dropFirst() {
            precondition(
                KeyOrder.compare(sorted[index - 1].key, sorted[index].key) != 0,
                "JSONObject: duplicate key \(sorted[index].key.debugDescription)")
        }
        self.members = sorted
    }

    /// Adopts members the decoder already checked: sorted, distinct, NFC.
    init(canonicalMembers: [Member]) {
        assert(Self.isCanonical(canonicalMembers), "JSONObject: members not in canonical order")
        self.members = canonicalMembers
    }

    /// The value for `key` (NFC-normalized, then matched by code units); setting nil removes.
    public subscript(key: String) -> JSONValue? {
        get {
            let place = search(Normalization.nfc(key))
            return place.found ? members[place.index].value : nil
        }
        set {
            let normalized = Normalization.nfc(key)
            let place = search(normalized)
            switch (place.found, newValue) {
            case (true, .some(let value)): members[place.index].value = value
            case (true, .none): members.remove(at: place.index)
            case (false, .some(let value)):
                members.insert(Member(key: normalized, value: value), at: place.index)
            case (false, .none): break
            }
        }
    }

    /// The keys in canonical order.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// True when there are no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The values in canonical key order.
    public var values: [JSONValue] { members.map(\.value) }

    /// The value of the member whose key has exactly the code units of `key` (no normalization:
    /// for ASCII keys, which NFC leaves alone). A scan in place, without the iterator's copies
    /// of every member before the one found: the rules read each payload member through it.
    public func value(exactKey key: String) -> JSONValue? {
        for index in members.indices where Self.same(members[index].key, key) { return members[index].value }
        return nil
    }

    /// String equality with the byte counts compared first: most keys a scan passes differ in
    /// length, and `==` of two short strings that differ goes through the standard library's
    /// general comparison, a call that cost more than the rest of the scan.
    @inlinable
    public static func same(_ key: String, _ other: String) -> Bool {
        key.utf8.count == other.utf8.count && key == other
    }

    /// The first key, in canonical order, for which `isIt` holds.
    public func firstKey(where isIt: (String) throws -> Bool) rethrows -> String? {
        for index in members.indices where try isIt(members[index].key) { return members[index].key }
        return nil
    }

    /// Members as `(key:, value:)` pairs in canonical order.
    public struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Member]>
        public mutating func next() -> Element? {
            base.next().map { (key: $0.key, value: $0.value) }
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(base: members.makeIterator())
    }

    public static func == (left: JSONObject, right: JSONObject) -> Bool {
        guard left.members.count == right.members.count else { return false }
        for (leftMember, rightMember) in zip(left.members, right.members) {
            guard KeyOrder.same(leftMember.key, rightMember.key) else { return false }
            guard leftMember.value == rightMember.value else { return false }
        }
        return true
    }

    /// Binary search by code units: the member's index, or where it would be inserted.
    private func search(_ key: String) -> (found: Bool, index: Int) {
        var low = 0
        var high = members.count
        while low < high {
            let middle = low + (high - low) / 2
            let order = KeyOrder.compare(members[middle].key, key)
            if order == 0 { return (true, middle) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (false, low)
    }

    private static func isCanonical(_ members: [Member]) -> Bool {
        for index in members.indices.dropFirst()
        where KeyOrder.compare(members[index - 1].key, members[index].key) >= 0 {
            return false
        }
        return members.allSatisfy { KeyOrder.same($0.key, Normalization.nfc($0.key)) }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
