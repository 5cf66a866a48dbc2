/// A read position in a snapshot's bytes. Containers are scanned once when opened (to find
/// their members and where they end), then read from their own cursors.
final class Cursor {
    let bytes: [UInt8]
    var position: Int
    init(bytes: [UInt8], position: Int) {
        self.bytes = bytes
        self.position = position
    }

    func byte(at offset: Int) throws -> UInt8 {
        guard offset < bytes.count else { throw SnapshotCodingError.truncated }
        return bytes[offset]
    }

    func integer(at offset: Int) throws -> UInt64 {
        guard offset >= 0, offset + 8 <= bytes.count else { throw SnapshotCodingError.truncated }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        return value
    }

    /// The string at `offset` and the offset after it.
    func string(at offset: Int) throws -> (String, Int) {
        let count = try integer(at: offset)
        let start = offset + 8
        guard count <= UInt64(bytes.count - start) else { throw SnapshotCodingError.truncated }
        let end = start + Int(count)
        guard let text = String(validating: bytes[start..<end], as: UTF8.self) else { throw SnapshotCodingError.badString }
        return (text, end)
    }

    /// The offset just after the value starting at `offset`. Iterative over an explicit stack:
    /// snapshot bytes come from disk and are not trusted.
    func skipValue(from offset: Int) throws -> Int {
        var position = offset
        var pending: [(keyed: Bool, remaining: UInt64)] = []
        repeat {
            if let last = pending.last, last.keyed { position = try string(at: position).1 }
            let tag = try byte(at: position)
            position += 1
            switch tag {
            case Tag.null: break
            case Tag.bool: position += 1
            case Tag.integer: position += 8
            case Tag.string: position = try string(at: position - 1 + 1).1
            case Tag.keyed, Tag.unkeyed:
                let count = try integer(at: position)
                guard count <= UInt64(bytes.count) else { throw SnapshotCodingError.outOfRange }
                position += 8
                pending.append((tag == Tag.keyed, count + 1))
            default: throw SnapshotCodingError.wrongTag(expected: Tag.null, found: tag)
            }
            while let last = pending.last {
                pending[pending.count - 1].remaining = last.remaining - 1
                if pending[pending.count - 1].remaining > 0 { break }
                pending.removeLast()
            }
            guard position <= bytes.count else { throw SnapshotCodingError.truncated }
        } while !pending.isEmpty
        return position
    }
}

struct BinaryDecoder: Decoder {
    let cursor: Cursor
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(try KeyedReader<Key>(cursor: cursor))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try UnkeyedReader(cursor: cursor) }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleReader(cursor: cursor) }
}

/// Reads one tagged value at the cursor: primitives directly, anything else by `init(from:)`.
func readValue<T: Decodable>(_ type: T.Type, cursor: Cursor) throws -> T {
    let tag = try cursor.byte(at: cursor.position)
    func expect(_ wanted: UInt8) throws { guard tag == wanted else { throw SnapshotCodingError.wrongTag(expected: wanted, found: tag) } }
    let start = cursor.position + 1
    if type == String.self {
        try expect(Tag.string)
        let (text, end) = try cursor.string(at: start)
        cursor.position = end
        return text as! T
    }
    if type == Bool.self {
        try expect(Tag.bool)
        cursor.position = start + 1
        return (try cursor.byte(at: start) != 0) as! T
    }
    if let integerType = type as? any FixedWidthInteger.Type {
        try expect(Tag.integer)
        let raw = try cursor.integer(at: start)
        cursor.position = start + 8
        let signed = type == Int.self || type == Int64.self || type == Int32.self
        let value: (any FixedWidthInteger)? = signed
            ? integerType.init(exactly: Int64(bitPattern: raw)) : integerType.init(exactly: raw)
        guard let value else { throw SnapshotCodingError.outOfRange }
        return value as! T
    }
    return try T(from: BinaryDecoder(cursor: cursor))
}

struct KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let cursor: Cursor
    let offsets: [String: Int]
    let orderedKeys: [String]
    var codingPath: [any CodingKey] = []

    init(cursor: Cursor) throws {
        let tag = try cursor.byte(at: cursor.position)
        guard tag == Tag.keyed else { throw SnapshotCodingError.wrongTag(expected: Tag.keyed, found: tag) }
        let count = try cursor.integer(at: cursor.position + 1)
        var position = cursor.position + 9
        var offsets: [String: Int] = [:]
        var ordered: [String] = []
        for _ in 0..<count {
            let (key, valueStart) = try cursor.string(at: position)
            offsets[key] = valueStart
            ordered.append(key)
            position = try cursor.skipValue(from: valueStart)
        }
        cursor.position = position
        self.cursor = cursor
        self.offsets = offsets
        self.orderedKeys = ordered
    }

    var allKeys: [Key] { orderedKeys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { offsets[key.stringValue] != nil }

    func at(_ key: Key) throws -> Cursor {
        guard let offset = offsets[key.stringValue] else { throw SnapshotCodingError.missingKey(key.stringValue) }
        return Cursor(bytes: cursor.bytes, position: offset)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try at(key).byte(at: offsets[key.stringValue]!) == Tag.null }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try readValue(type, cursor: try at(key)) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decode(type, forKey: key)
    }
    func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
        KeyedDecodingContainer(try KeyedReader<N>(cursor: try at(key)))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try UnkeyedReader(cursor: try at(key)) }
    func superDecoder() throws -> any Decoder { preconditionFailure("snapshots use no class inheritance") }
    func superDecoder(forKey key: Key) throws -> any Decoder { preconditionFailure("snapshots use no class inheritance") }
}

struct UnkeyedReader: UnkeyedDecodingContainer {
    let own: Cursor
    var codingPath: [any CodingKey] = []
    let count: Int?
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex >= (count ?? 0) }

    init(cursor: Cursor) throws {
        let tag = try cursor.byte(at: cursor.position)
        guard tag == Tag.unkeyed else { throw SnapshotCodingError.wrongTag(expected: Tag.unkeyed, found: tag) }
        let total = try cursor.integer(at: cursor.position + 1)
        guard total <= UInt64(cursor.bytes.count) else { throw SnapshotCodingError.outOfRange }
        own = Cursor(bytes: cursor.bytes, position: cursor.position + 9)
        count = Int(total)
        cursor.position = try cursor.skipValue(from: cursor.position)
    }

    mutating func next() throws -> Cursor {
        guard !isAtEnd else { throw SnapshotCodingError.truncated }
        currentIndex += 1
        return own
    }
    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, try own.byte(at: own.position) == Tag.null else { return false }
        own.position += 1
        currentIndex += 1
        return true
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try readValue(type, cursor: try next()) }
    mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
        KeyedDecodingContainer(try KeyedReader<N>(cursor: try next()))
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try UnkeyedReader(cursor: try next()) }
    mutating func superDecoder() throws -> any Decoder { preconditionFailure("snapshots use no class inheritance") }
}

struct SingleReader: SingleValueDecodingContainer {
    let cursor: Cursor
    var codingPath: [any CodingKey] = []
    func decodeNil() -> Bool { (try? cursor.byte(at: cursor.position)) == Tag.null }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try readValue(type, cursor: cursor) }
}
