/// A compact binary `Codable` coder for state snapshots. Snapshots are caches: never hashed as
/// evidence and never compared byte for byte, so dictionary order may vary between runs. Keys are
/// written and looked up by name, so a snapshot of another layout fails to decode (and is
/// rebuilt from the log) instead of being misread.
///
/// Every value starts with a tag byte: null; bool (1 byte); integer (8 bytes, little-endian);
/// string (8-byte length, UTF-8); keyed container (8-byte count, then key string and value per
/// member); unkeyed container (8-byte count, then the values). Absent optionals are written as null.
public enum SnapshotCoder {
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let storage = WriteBuffer()
        try storage.write(value)
        return storage.bytes
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let cursor = Cursor(bytes: bytes, position: 0)
        let end = try cursor.skipValue(from: 0)
        guard end == bytes.count else { throw SnapshotCodingError.trailingBytes }
        return try T(from: BinaryDecoder(cursor: cursor))
    }
}

public enum SnapshotCodingError: Error, Equatable {
    case truncated, wrongTag(expected: UInt8, found: UInt8), missingKey(String), trailingBytes, badString, outOfRange
}

enum Tag {
    static let null: UInt8 = 0, bool: UInt8 = 1, integer: UInt8 = 2, string: UInt8 = 3, keyed: UInt8 = 4, unkeyed: UInt8 = 5
}

// MARK: - Encoding

final class WriteBuffer {
    var bytes: [UInt8] = []

    func integer(_ value: UInt64) {
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    func patch(_ value: UInt64, at slot: Int) {
        for index in 0..<8 { bytes[slot + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
    }

    func string(_ value: String) {
        let utf8 = Array(value.utf8)
        integer(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// One tagged value: the primitives directly, anything else through its own `encode(to:)`.
    func write<T: Encodable>(_ value: T) throws {
        switch value {
        case let text as String: bytes.append(Tag.string); string(text)
        case let flag as Bool: bytes.append(Tag.bool); bytes.append(flag ? 1 : 0)
        case let number as Int64: bytes.append(Tag.integer); integer(UInt64(bitPattern: number))
        case let number as Int: bytes.append(Tag.integer); integer(UInt64(bitPattern: Int64(number)))
        case let number as UInt64: bytes.append(Tag.integer); integer(number)
        case let number as Int32: bytes.append(Tag.integer); integer(UInt64(bitPattern: Int64(number)))
        case let number as UInt32: bytes.append(Tag.integer); integer(UInt64(number))
        case let number as UInt8: bytes.append(Tag.integer); integer(UInt64(number))
        case is Double, is Float: preconditionFailure("snapshots hold no floating point")
        default: try value.encode(to: BinaryEncoder(storage: self))
        }
    }
}

/// Counts a container's members as they are written and patches the count in place.
final class CountSlot {
    let storage: WriteBuffer
    let slot: Int
    var count: UInt64 = 0
    init(storage: WriteBuffer, tag: UInt8) {
        self.storage = storage
        storage.bytes.append(tag)
        slot = storage.bytes.count
        storage.integer(0)
    }
    func bump() {
        count += 1
        storage.patch(count, at: slot)
    }
}

struct BinaryEncoder: Encoder {
    let storage: WriteBuffer
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedWriter<Key>(members: CountSlot(storage: storage, tag: Tag.keyed)))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedWriter(elements: CountSlot(storage: storage, tag: Tag.unkeyed))
    }
    func singleValueContainer() -> any SingleValueEncodingContainer { SingleWriter(storage: storage) }
}

struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let members: CountSlot
    var codingPath: [any CodingKey] = []
    var storage: WriteBuffer { members.storage }

    func begin(_ key: Key) { members.bump(); storage.string(key.stringValue) }
    mutating func encodeNil(forKey key: Key) throws { begin(key); storage.bytes.append(Tag.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { begin(key); try storage.write(value) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> {
        begin(key)
        return KeyedEncodingContainer(KeyedWriter<N>(members: CountSlot(storage: storage, tag: Tag.keyed)))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        begin(key)
        return UnkeyedWriter(elements: CountSlot(storage: storage, tag: Tag.unkeyed))
    }
    mutating func superEncoder() -> any Encoder { preconditionFailure("snapshots use no class inheritance") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { preconditionFailure("snapshots use no class inheritance") }
}

struct UnkeyedWriter: UnkeyedEncodingContainer {
    let elements: CountSlot
    var codingPath: [any CodingKey] = []
    var count: Int { Int(elements.count) }
    var storage: WriteBuffer { elements.storage }

    mutating func encodeNil() throws { elements.bump(); storage.bytes.append(Tag.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { elements.bump(); try storage.write(value) }
    mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) -> KeyedEncodingContainer<N> {
        elements.bump()
        return KeyedEncodingContainer(KeyedWriter<N>(members: CountSlot(storage: storage, tag: Tag.keyed)))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        elements.bump()
        return UnkeyedWriter(elements: CountSlot(storage: storage, tag: Tag.unkeyed))
    }
    mutating func superEncoder() -> any Encoder { preconditionFailure("snapshots use no class inheritance") }
}

struct SingleWriter: SingleValueEncodingContainer {
    let storage: WriteBuffer
    var codingPath: [any CodingKey] = []
    mutating func encodeNil() throws { storage.bytes.append(Tag.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try storage.write(value) }
}
