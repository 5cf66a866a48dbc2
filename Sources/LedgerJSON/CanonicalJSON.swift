/// The ledger's canonical JSON: one writer, one reader with a strict and a lenient mode.
///
/// The canonical form is RFC 8785 (JCS) restricted to integers within ±(2^53−1) and NFC
/// strings; see `Specs/` for the byte-level definition.
public enum CanonicalJSON {
    /// How much the reader tolerates.
    public enum Mode: Sendable, Equatable {
        /// The input must be exactly the canonical encoding of its value: the form of hashed
        /// records. Anything else is rejected with the offset of the first offending byte.
        case canonical
        /// User input (CLI, JSON-lines imports): insignificant whitespace, any member order and
        /// any JSON escape are accepted; strings are normalized to NFC. Floats, out-of-range
        /// integers, duplicates, bad UTF-8, trailing bytes, BOM, comments are still rejected.
        case lenient
    }

    /// Decodes one JSON document. Throws `JSONError` with the reason and byte offset.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer, mode: Mode, keys: JSONKeyPolicy = .any,
        limits: JSONLimits = .default, strings: StringCache? = nil
    ) throws(JSONError) -> JSONValue {
        try Parser.withParser(input: bytes, mode: mode, keys: keys, limits: limits) {
            parser throws(JSONError) in
            parser.strings = strings
            return try parser.parseDocument()
        }
    }

    /// Decodes one JSON document. Throws `JSONError` with the reason and byte offset.
    public static func decode(
        _ bytes: [UInt8], mode: Mode, keys: JSONKeyPolicy = .any, limits: JSONLimits = .default
    ) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONError) -> JSONValue in
                try decode(raw, mode: mode, keys: keys, limits: limits)
            }
        }
        return try result.get()
    }

    /// A member of a top-level object with the bytes it came from.
    public struct ObjectMember: Sendable {
        public let key: String
        /// The value; nil only for a string left in the input (`plainStringsInPlace`).
        public let value: JSONValue?
        /// From the key's opening quote to the end of the value (the separating comma
        /// excluded), so a member's exact bytes can be hashed or shown.
        public let range: Range<Int>
        /// The value's bytes (a string's with its quotes): the tail of `range`.
        public let valueRange: Range<Int>
    }

    /// For the verifier: decodes a canonical top-level object and returns its members in
    /// order, each with its byte range. The members are handed over as they lie on the
    /// parser's stack: no `JSONObject` is built for the top level.
    ///
    /// `plainStringsInPlace`: a member whose value is a plain string (ASCII without escapes,
    /// so its text is exactly the bytes between the quotes of `valueRange`) gets a nil
    /// `value`, and no `String` is built for it: for a caller that only parses such values
    /// further (digests, timestamps). It is validated exactly as any other string.
    ///
    /// `keysInPlace`: a member whose key is plain gets an empty `key`: the bytes between the
    /// opening quote of `range` and the `":` before `valueRange` are the key (for a caller that
    /// only matches them: a record's envelope). Order and duplicates are checked as always.
    ///
    /// `strings`: a cache the caller keeps from one document to the next (its keys recur).
    public static func decodeObjectMembers(
        _ bytes: UnsafeRawBufferPointer, keys: JSONKeyPolicy, limits: JSONLimits,
        plainStringsInPlace: Bool = false, keysInPlace: Bool = false, strings: StringCache? = nil
    ) throws(JSONError) -> [ObjectMember] {
        try Parser.withParser(input: bytes, mode: .canonical, keys: keys, limits: limits) {
            parser throws(JSONError) in
            parser.strings = strings
            parser.leavesTopLevelKeys = keysInPlace
            parser.keepsTopLevelMembers = true
            parser.leavesPlainStrings = plainStringsInPlace
            parser.memberRanges.reserveCapacity(16)
            // A non-empty top-level object comes back empty: its members are in `topLevelMembers`.
            guard case .object(let object) = try parser.parseDocument() else {
                throw JSONError(.expectedObject, at: 0)
            }
            precondition(object.isEmpty, "the top-level members were kept apart")
            return parser.topLevelMembers
        }
    }

    /// As `decodeObjectMembers`, as an object and the list of member ranges.
    public static func decodeObjectWithMemberRanges(
        _ bytes: UnsafeRawBufferPointer, keys: JSONKeyPolicy, limits: JSONLimits
    ) throws(JSONError) -> (JSONObject, [(key: String, range: Range<Int>)]) {
        let members = try decodeObjectMembers(bytes, keys: keys, limits: limits)
        let object = JSONObject(canonicalMembers: members.map {
            guard let value = $0.value else { preconditionFailure("every value was built") }
            return JSONObject.Member(key: $0.key, value: value)
        })
        return (object, members.map { (key: $0.key, range: $0.range) })
    }
}
