/// A type whose compact encoding is its fields in order, listed once: `fields` builds the value
/// from its fields, each through the coder, and the same list both writes and reads, so the two
/// directions cannot disagree on a field's presence or place.
///
///     extension OperatorEntry: CompactFields {
///         static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self {
///             Self(role: try coder.field(\.role), isActive: try coder.field(\.isActive))
///         }
///     }
///
/// Writing, `coder.field(\.role)` writes the value's role and returns it (the value built is
/// thrown away); reading, it reads the next field. A check of the bytes read is stated with the
/// list: through the type's own initialiser (a `Fraction` that does not build), or, for what a
/// value in memory always satisfies (a commitment's tranches), `coder.check`.
public protocol CompactFields: CompactCodable {
    static func fields<Coder: CompactCoder<Self>>(_ coder: inout Coder) throws(CompactError) -> Self
}

/// Writes the fields of a value (`Subject`) or reads them back, one call per field, in order.
/// A concrete type for each direction, never an existential: each type's `fields` is
/// specialised for both, and a key path given as a literal compiles to a plain field access.
public protocol CompactCoder<Subject> {
    associatedtype Subject

    /// Whether this coder reads: what is derived from the fields (not saved) is rebuilt only then.
    static var isReading: Bool { get }

    /// Writing: writes the subject's field at `path` and returns it. Reading: reads the next field.
    mutating func field<Value: CompactCodable>(_ path: KeyPath<Subject, Value>) throws(CompactError) -> Value

    /// Reading: throws `.invalid(what)` unless `condition` holds. Writing: nothing, `condition`
    /// is not even evaluated (it holds of any value in memory, and may cost a walk of a table).
    func check(_ condition: @autoclosure () -> Bool, _ what: String) throws(CompactError)

    /// Codes what `body` codes in an interned block (`CompactWriter.writeInternedBlock`).
    mutating func internedBlock<Value>(_ body: (inout Self) throws(CompactError) -> Value) throws(CompactError) -> Value
}

extension CompactCoder {
    /// A field set after the value is made (a type built by its `init()`, then field by field):
    /// the key path names it once for both directions.
    @inline(__always)   // the key path is a literal at each call: inlined, a plain access (FieldWriter.field)
    mutating func field<Value: CompactCodable>(_ path: WritableKeyPath<Subject, Value>,
                                               into value: inout Subject) throws(CompactError) {
        value[keyPath: path] = try field(path)
    }

    /// A field whose value read must lie in `range`, or the bytes are `.invalid(what)`.
    @inline(__always)
    mutating func field<Value: CompactCodable & Comparable>(_ path: KeyPath<Subject, Value>, in range: ClosedRange<Value>,
                                                          _ what: String) throws(CompactError) -> Value {
        let value = try field(path)
        try check(range.contains(value), what)
        return value
    }
}

extension CompactFields {
    public func write(to writer: inout CompactWriter) {
        var coder = FieldWriter(subject: self)
        swap(&coder.writer, &writer)
        defer { swap(&coder.writer, &writer) }
        do {
            _ = try Self.fields(&coder)
        } catch {
            preconditionFailure("a \(Self.self) in memory fails the check of its own type: \(error)")
        }
    }

    public init(from reader: inout CompactReader) throws(CompactError) {
        var coder = FieldReader<Self>()
        swap(&coder.reader, &reader)
        defer { swap(&coder.reader, &reader) }
        self = try Self.fields(&coder)
    }
}

/// The writing direction. It holds the writer for the time of one value (swapped in and out,
/// so its buffer is never copied).
struct FieldWriter<Subject>: CompactCoder {
    static var isReading: Bool { false }
    let subject: Subject
    var writer = CompactWriter()

    /// Always inlined, so that the key path, a literal at each call, compiles to a plain access.
    /// Left to the optimiser, a field of a vocabulary (whose write is larger) stayed out of line,
    /// and the runtime walked its key path for every value written.
    @inline(__always)
    mutating func field<Value: CompactCodable>(_ path: KeyPath<Subject, Value>) -> Value {
        let value = subject[keyPath: path]
        value.write(to: &writer)
        return value
    }

    func check(_ condition: @autoclosure () -> Bool, _ what: String) {}

    mutating func internedBlock<Value>(_ body: (inout FieldWriter) throws(CompactError) -> Value) throws(CompactError) -> Value {
        var block = FieldWriter(subject: subject, writer: .blockBody())
        let value = try body(&block)
        writer.appendBlock(block.writer)
        return value
    }
}

/// The reading direction: the key paths only say which field comes next.
struct FieldReader<Subject>: CompactCoder {
    static var isReading: Bool { true }
    var reader = CompactReader(bytes: [])

    mutating func field<Value: CompactCodable>(_ path: KeyPath<Subject, Value>) throws(CompactError) -> Value {
        try Value(from: &reader)
    }

    func check(_ condition: @autoclosure () -> Bool, _ what: String) throws(CompactError) {
        guard condition() else { throw .invalid(what) }
    }

    mutating func internedBlock<Value>(_ body: (inout FieldReader) throws(CompactError) -> Value) throws(CompactError) -> Value {
        let outer = try reader.enterInternedBlock()
        defer { reader.leaveInternedBlock(restoring: outer) }
        return try body(&self)
    }
}
