/// The one reader behind both modes: a single forward pass over the bytes with an explicit
/// stack of open containers (never recursion), so depth is bounded by `JSONLimits.depthMax`.
///
/// Finished array elements and member values wait on one shared `values` stack (keys on
/// `memberKeys`); a container's items are copied out once, when it closes. Strings are built
/// once, straight from the validated input bytes (or from `scratch` if they had escapes).
struct Parser {
    /// An open array or object.
    struct Frame {
        let isObject: Bool
        /// Where this container's items start on `values` and `memberKeys`.
        let valueBase: Int
        let keyBase: Int
        /// Items so far.
        var count = 0
        /// Objects: where the key just read goes among this object's sorted keys.
        var slot = 0
    }

    let input: UnsafeRawBufferPointer
    let end: Int
    let strict: Bool
    let keyPolicy: JSONKeyPolicy
    let limits: JSONLimits
    var position = 0
    var frames: [Frame] = []
    var values: [JSONValue] = []
    var memberKeys: [String] = []
    var scratch: [UInt8] = []
    /// `decodeObjectWithMemberRanges`: record each top-level member's bytes.
    var recordsMemberRanges = false
    var memberRanges: [(key: String, range: Range<Int>)] = []
    var memberStart = 0

    init(input: UnsafeRawBufferPointer, mode: CanonicalJSON.Mode, keys: JSONKeyPolicy,
         limits: JSONLimits) {
        self.input = input
        self.end = input.count
        self.strict = mode == .canonical
        self.keyPolicy = keys
        self.limits = limits
        frames.reserveCapacity(min(limits.depthMax, 16))
        values.reserveCapacity(32)
        memberKeys.reserveCapacity(32)
    }

    /// The whole document: exactly one value, then nothing (lenient: whitespace).
    mutating func parseDocument() throws(JSONError) -> JSONValue {
        if end > limits.inputBytesMax { throw JSONError(.inputLimit, at: limits.inputBytesMax) }
        if end >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF {
            throw JSONError(.byteOrderMark, at: 0)
        }
        let value = try parseValues()
        skipWhitespace()
        if position < end {
            if strict && Self.isWhitespace(input[position]) {
                throw JSONError(.whitespaceNotAllowed, at: position)
            }
            throw JSONError(.trailingBytes, at: position)
        }
        precondition(frames.isEmpty && values.isEmpty && memberKeys.isEmpty, "stack unwound")
        return value
    }

    /// The main loop: read a value (or open a container), then attach finished values to
    /// their containers, closing as many as end here.
    private mutating func parseValues() throws(JSONError) -> JSONValue {
        while true {
            skipWhitespace()
            guard var value = try parseScalarOrOpen() else { continue }
            while !frames.isEmpty {
                guard let closed = try attach(value) else { break }
                value = closed
            }
            if frames.isEmpty { return value }
        }
    }

    /// A scalar, an empty container, or nil after opening a container whose first value
    /// (objects: after its first key and colon) comes next.
    private mutating func parseScalarOrOpen() throws(JSONError) -> JSONValue? {
        guard position < end else { throw JSONError(.unexpectedEnd, at: end) }
        switch input[position] {
        case UInt8(ascii: "\""): return .string(try parseString(isKey: false))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try parseInteger())
        case UInt8(ascii: "{"): return try openContainer(isObject: true)
        case UInt8(ascii: "["): return try openContainer(isObject: false)
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default: throw unexpected(at: position)
        }
    }

    private mutating func openContainer(isObject: Bool) throws(JSONError) -> JSONValue? {
        if frames.count >= limits.depthMax { throw JSONError(.depthLimit, at: position) }
        position += 1
        skipWhitespace()
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        if position < end && input[position] == close {
            position += 1
            return isObject ? .object(JSONObject()) : .array([])
        }
        frames.append(Frame(isObject: isObject, valueBase: values.count, keyBase: memberKeys.count))
        if isObject {
            try readMemberKey()
        } else if limits.arrayCountMax == 0 {
            throw JSONError(.arrayLimit, at: position)
        }
        return nil
    }
}
