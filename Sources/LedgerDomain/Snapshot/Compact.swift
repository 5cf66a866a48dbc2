import LedgerCore

/// A compact binary encoding of the fold's states for snapshots: fields in declaration order,
/// integers as LEB128 varints (zigzag when signed), strings as a length and UTF-8 bytes, no
/// names: small and quick to read back (Specs/reports.md, section 7).
///
/// The bytes are a cache written and read by the same build (the snapshot's version names the
/// layout) and checked by a checksum before they are read; the reader still never traps on bad
/// bytes: it throws, and the snapshot is rebuilt from the log.
///
/// The standard types, identifiers, amounts and vocabularies below write and read themselves;
/// the types of the states list their fields once (`CompactFields`, Compact+Coder.swift).
///
/// One state is always written as the same bytes: a set's members and a dictionary's keys are
/// written in ascending order, not in the order of the process's seeded hashing (snapshots are
/// hashed and sealed, and no dictionary order goes into hashed bytes); the tables of the bulk
/// maps (`DenseMap`) in the order their entries were added, which the fold fixes. A reader
/// takes them in any order.
public protocol CompactCodable {
    func write(to writer: inout CompactWriter)
    init(from reader: inout CompactReader) throws(CompactError)
}

public enum CompactError: Error, Equatable, CustomStringConvertible {
    case truncated
    case invalid(String)

    public var description: String {
        switch self {
        case .truncated: return "truncated"
        case .invalid(let what): return "invalid \(what)"
        }
    }
}

public struct CompactWriter {
    public private(set) var bytes: [UInt8] = []
    /// Inside `writeInternedBlock`: the block's distinct texts, numbered in order of first use
    /// (a `DenseMap`: one hash per text written, and no text hashed again as the table grows;
    /// with a dictionary, hashing was half of a snapshot's save).
    private var table: DenseMap<String, Int>?

    public init() {}

    public mutating func unsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    public mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func write<Value: CompactCodable>(_ value: Value) { value.write(to: &self) }

    /// Empties the writer, keeping its buffer (one writer encodes a million rows in turn).
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// Writes a text that recurs (an identifier, a vocabulary word): in a block, as its index in
    /// the block's table; elsewhere, as a string.
    public mutating func interned(_ text: String) {
        guard table != nil else { return string(text) }
        let next = table!.count
        unsigned(UInt64(table!.insertIfAbsent(text, next) ?? next))
    }

    /// Writes what `body` writes as a block headed by the table of its interned texts, each
    /// once, so that a reader makes each of them once (`CompactReader.enterInternedBlock`).
    public mutating func writeInternedBlock(_ body: (inout CompactWriter) -> Void) {
        var block = CompactWriter.blockBody()
        body(&block)
        appendBlock(block)
    }

    /// An empty writer for the body of a block: `interned` numbers its texts in its table.
    static func blockBody() -> CompactWriter {
        var block = CompactWriter()
        block.table = DenseMap()
        return block
    }

    /// Writes `block` (made by `blockBody()`) as a block: its table, then its body.
    mutating func appendBlock(_ block: CompactWriter) {
        precondition(block.table != nil, "a block's body interns its texts")
        // In the order they were added: their numbers.
        write(Array(block.table!.keys))
        bytes.append(contentsOf: block.bytes)
    }
}

public struct CompactReader {
    let bytes: [UInt8]
    public private(set) var position = 0
    /// Inside a block (`enterInternedBlock`): its table of interned texts.
    private var table: InternedTexts?

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { position == bytes.count }

    public mutating func unsigned() throws(CompactError) -> UInt64 {
        // Most numbers in a state (indices, counts, flags) fit in one byte.
        if position < bytes.count, bytes[position] < 0x80 {
            position += 1
            return UInt64(bytes[position - 1])
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw .truncated }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw .invalid("varint") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    public mutating func signed() throws(CompactError) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A count of elements that follow, each at least one byte: never more than the bytes left.
    public mutating func count() throws(CompactError) -> Int {
        let value = try unsigned()
        guard value <= UInt64(bytes.count - position) else { throw .invalid("count") }
        return Int(value)
    }

    public mutating func string() throws(CompactError) -> String {
        let length = try count()
        defer { position += length }
        return bytes.withUnsafeBufferPointer { String(decoding: $0[position..<(position + length)], as: UTF8.self) }
    }

    public mutating func read<Value: CompactCodable>(_ type: Value.Type = Value.self) throws(CompactError) -> Value {
        try Value(from: &self)
    }

    /// A text written by `CompactWriter.interned`: in a block, taken from its table, never
    /// decoded twice.
    public mutating func interned() throws(CompactError) -> String {
        guard let table else { return try string() }
        return table.texts[try internedIndex(in: table)]
    }

    private mutating func internedIndex(in table: InternedTexts) throws(CompactError) -> Int {
        let index = try unsigned()
        guard index < UInt64(table.texts.count) else { throw .invalid("interned text") }
        return Int(index)
    }

    /// An identifier written by `CompactWriter.interned`, or nil when the text is not one. In a
    /// block, each text is checked once: an identifier cited ten thousand times (a member in
    /// every electorate) is not checked ten thousand times.
    mutating func internedIdentifier<Kind: IdentifierKind>(_ kind: Kind.Type) throws(CompactError) -> Identifier<Kind>? {
        guard let table else { return Identifier(try string()) }
        let index = try internedIndex(in: table)
        return table.areIdentifiers[index] ? Identifier(checkedText: table.texts[index]) : nil
    }

    /// Reads the table at the head of a block written by `writeInternedBlock`; what follows is
    /// the block's body, until `leaveInternedBlock(restoring:)` is given what this returned.
    public mutating func enterInternedBlock() throws(CompactError) -> InternedTexts? {
        let outer = table
        table = nil
        let texts = try read([String].self)
        table = InternedTexts(texts: texts, areIdentifiers: texts.map(FieldRules.isIdentifier))
        return outer
    }

    public mutating func leaveInternedBlock(restoring outer: InternedTexts?) {
        table = outer
    }
}

/// The table at the head of an interned block, and which of its texts are identifiers.
public struct InternedTexts {
    let texts: [String]
    let areIdentifiers: [Bool]
}

// MARK: - Standard types

extension String: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.string(self) }
    public init(from reader: inout CompactReader) throws(CompactError) { self = try reader.string() }
}

extension Int64: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.signed(self) }
    public init(from reader: inout CompactReader) throws(CompactError) { self = try reader.signed() }
}

extension Int: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.signed(Int64(self)) }
    public init(from reader: inout CompactReader) throws(CompactError) { self = Int(try reader.signed()) }
}

extension Int32: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.signed(Int64(self)) }
    public init(from reader: inout CompactReader) throws(CompactError) {
        guard let value = Int32(exactly: try reader.signed()) else { throw .invalid("Int32") }
        self = value
    }
}

extension UInt32: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.unsigned(UInt64(self)) }
    public init(from reader: inout CompactReader) throws(CompactError) {
        guard let value = UInt32(exactly: try reader.unsigned()) else { throw .invalid("UInt32") }
        self = value
    }
}

extension UInt64: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.unsigned(self) }
    public init(from reader: inout CompactReader) throws(CompactError) { self = try reader.unsigned() }
}

extension Bool: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.unsigned(self ? 1 : 0) }
    public init(from reader: inout CompactReader) throws(CompactError) {
        switch try reader.unsigned() {
        case 0: self = false
        case 1: self = true
        default: throw .invalid("Bool")
        }
    }
}

extension Optional: CompactCodable where Wrapped: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        guard let value = self else { return writer.unsigned(0) }
        writer.unsigned(1)
        value.write(to: &writer)
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        self = try Bool(from: &reader) ? try Wrapped(from: &reader) : nil
    }
}

extension Array: CompactCodable where Element: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.unsigned(UInt64(count))
        for element in self { element.write(to: &writer) }
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        let count = try reader.count()
        self = []
        reserveCapacity(count)
        for _ in 0..<count { append(try Element(from: &reader)) }
    }
}

/// Its members in ascending order (read in any order).
extension Set: CompactCodable where Element: CompactCodable & Comparable {
    public func write(to writer: inout CompactWriter) {
        writer.unsigned(UInt64(count))
        for element in sorted() { element.write(to: &writer) }
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        let count = try reader.count()
        self = Set(minimumCapacity: count)
        for _ in 0..<count { insert(try Element(from: &reader)) }
        guard self.count == count else { throw .invalid("set: duplicate elements") }
    }
}

/// Its keys in ascending order, each followed by its value (read in any order).
extension Dictionary: CompactCodable where Key: CompactCodable & Comparable, Value: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.unsigned(UInt64(count))
        for (key, value) in sorted(by: { $0.key < $1.key }) {
            key.write(to: &writer)
            value.write(to: &writer)
        }
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        let count = try reader.count()
        self = Dictionary(minimumCapacity: count)
        for _ in 0..<count { self[try Key(from: &reader)] = try Value(from: &reader) }
        guard self.count == count else { throw .invalid("dictionary: duplicate keys") }
    }
}

/// The closed vocabularies are written by their raw value (their spelling in the log).
public protocol CompactVocabulary: CompactCodable, RawRepresentable where RawValue == String {}

extension CompactVocabulary {
    public func write(to writer: inout CompactWriter) { writer.interned(rawValue) }
    public init(from reader: inout CompactReader) throws(CompactError) {
        guard let value = Self(rawValue: try reader.interned()) else { throw .invalid("\(Self.self)") }
        self = value
    }
}

extension Identifier: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.interned(text) }
    public init(from reader: inout CompactReader) throws(CompactError) {
        guard let identifier = try reader.internedIdentifier(Kind.self) else { throw .invalid("\(Kind.noun) identifier") }
        self = identifier
    }
}

extension Money: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.signed(minorUnits) }
    public init(from reader: inout CompactReader) throws(CompactError) {
        guard let money = Money(minorUnits: try reader.signed()) else { throw .invalid("amount") }
        self = money
    }
}

/// A date as its days since 1970-01-01.
extension CalendarDate: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.signed(Int64(daysSinceEpoch)) }
    public init(from reader: inout CompactReader) throws(CompactError) {
        guard let date = CalendarDate(daysSinceEpoch: try Int(from: &reader)) else { throw .invalid("date") }
        self = date
    }
}
