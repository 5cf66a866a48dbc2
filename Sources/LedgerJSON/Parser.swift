/// The one reader behind both modes: a single forward pass over the bytes with an explicit
/// stack of open containers (never recursion), so depth is bounded by `JSONLimits.depthMax`.
///
/// Items of open containers wait on one shared `items` stack (array elements with an empty
/// key); a container's items are moved out once, when it closes. Strings are built
/// once, straight from the validated input bytes (or from `scratch` if they had escapes).
struct Parser: ~Copyable {
    /// An open array or object.
    struct Frame {
        var isObject = false
        /// Where this container's items start on `items`.
        var base = 0
        /// Items so far.
        var count = 0
        /// Objects: where the key just read goes among this object's sorted keys.
        var slot = 0
        /// Objects: the input bytes of the greatest key so far if it was plain (ASCII, no
        /// escapes), so the next key is usually ordered by one byte comparison; -1 if not.
        var plainKeyStart = -1
        var plainKeyEnd = -1
    }

    let input: UnsafeRawBufferPointer
    let end: Int
    let strict: Bool
    let keyPolicy: JSONKeyPolicy
    let limits: JSONLimits
    var position = 0
    /// Open containers: `depth` of them, the innermost in `current` (kept out of memory
    /// shared with others because it is touched for every item), the outer ones in
    /// `enclosing[0..<depth-1]`: caller-provided storage for `depthMax - 1` frames (frames are
    /// plain values, so a stack allocation can hold them and nothing needs releasing).
    var depth = 0
    var current = Frame()
    let enclosing: UnsafeMutableBufferPointer<Frame>
    /// 24 items (960 bytes): a record's envelope and payload fit, and an allocation of this
    /// size comes from glibc's per-thread cache; 32 (1,280 bytes) went to the shared heap.
    var items = ItemStack(capacity: 24)
    var scratch: [UInt8] = []
    /// The caller's cache of short plain strings (keys, names that recur), if any.
    var strings: StringCache?
    /// `decodeObjectMembers`: record each top-level member's bytes, and when the top-level
    /// object closes, move its members to `topLevelMembers` instead of building an object.
    var keepsTopLevelMembers = false
    /// Each top-level member's bytes: where it starts, where its value starts, where it ends,
    /// and whether its value is a plain string left in the input.
    var memberRanges: [(start: Int, valueStart: Int, end: Int, leftInPlace: Bool)] = []
    /// `decodeObjectMembers(plainStringsInPlace:)`: leave the top-level members' plain string
    /// values in the input; `leftPlainString` says the value just read was one.
    var leavesPlainStrings = false
    /// `decodeObjectMembers(keysInPlace:)`: the top-level members' plain keys are not built
    /// as Strings (their bytes are in the input).
    var leavesTopLevelKeys = false
    var leftPlainString = false
    var memberStart = 0
    var valueStart = 0
    var topLevelMembers: [CanonicalJSON.ObjectMember] = []

    init(input: UnsafeRawBufferPointer, mode: CanonicalJSON.Mode, keys: JSONKeyPolicy,
         limits: JSONLimits, enclosing: UnsafeMutableBufferPointer<Frame>) {
        self.enclosing = enclosing
        self.input = input
        self.end = input.count
        self.strict = mode == .canonical
        self.keyPolicy = keys
        self.limits = limits
    }

    /// Runs `body` with a parser over `input` whose frame storage lives on the stack.
    static func withParser<Result>(
        input: UnsafeRawBufferPointer, mode: CanonicalJSON.Mode, keys: JSONKeyPolicy,
        limits: JSONLimits, _ body: (inout Parser) throws(JSONError) -> Result
    ) throws(JSONError) -> Result {
        // Each open container costs at least one input byte, so the (accepted) input length
        // bounds the depth too: a huge `depthMax` never turns into a huge allocation.
        let capacity = min(max(limits.depthMax - 1, 0), input.count, limits.inputBytesMax)
        let outcome = withUnsafeTemporaryAllocation(of: Frame.self, capacity: capacity) {
            storage in
            var parser = Parser(input: input, mode: mode, keys: keys, limits: limits,
                                enclosing: storage)
            return Swift.Result { () throws(JSONError) -> Result in try body(&parser) }
        }
        return try outcome.get()
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
        precondition(depth == 0 && items.isEmpty, "stack unwound")
        return value
    }

    /// The main loop: read a value (or open a container), then attach finished values to
    /// their containers, closing as many as end here.
    ///
    /// Each value is moved along (`consume`), never copied: once attached it is not touched
    /// again, so no retain and release pair is needed to hand it over.
    private mutating func parseValues() throws(JSONError) -> JSONValue {
        values: while true {
            skipWhitespace()
            guard var value = try parseScalarOrOpen() else { continue }
            while depth > 0 {
                // nil: a comma followed, the next value of the same container comes next.
                guard let closed = try attach(consume value) else { continue values }
                value = closed
            }
            return value
        }
    }

    /// A scalar, an empty container, or nil after opening a container whose first value
    /// (objects: after its first key and colon) comes next.
    private mutating func parseScalarOrOpen() throws(JSONError) -> JSONValue? {
        guard position < end else { throw JSONError(.unexpectedEnd, at: end) }
        switch input[position] {
        case UInt8(ascii: "\""):
            if depth == 1 && current.isObject && leavesPlainStrings, try skipPlainString() {
                // A placeholder holds the member's slot (`attach` notes it was left in place).
                leftPlainString = true
                return .null
            }
            return .string(try parseString(isKey: false))
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
        if depth >= limits.depthMax { throw JSONError(.depthLimit, at: position) }
        position += 1
        skipWhitespace()
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        if position < end && input[position] == close {
            position += 1
            return isObject ? .object(JSONObject()) : .array([])
        }
        if depth > 0 {
            precondition(depth - 1 < enclosing.count, "frame storage covers every open container")
            enclosing[depth - 1] = current
        }
        current = Frame(isObject: isObject, base: items.count)
        depth += 1
        if isObject {
            try readMemberKey()
        } else if limits.arrayCountMax == 0 {
            throw JSONError(.arrayLimit, at: position)
        }
        return nil
    }
}
