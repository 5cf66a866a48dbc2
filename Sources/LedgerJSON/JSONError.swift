/// Why and where a document was rejected.
///
/// `offset` is the 0-based byte offset of the first offending byte; which byte that is for each
/// reason is listed on the reason (and in the spec). `key` names the key for key errors.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The closed set of rejections. Raw values are stable identifiers for tools and logs.
    public enum Reason: String, Sendable, CaseIterable {
        /// Input ended where more was required. Offset: the input length.
        case unexpectedEnd
        /// A byte that cannot start or continue the expected token. Offset: that byte.
        case unexpectedByte
        /// A complete value is followed by more bytes. Offset: the first of them.
        case trailingBytes
        /// Input starts with EF BB BF. Offset: 0.
        case byteOrderMark
        /// Canonical mode: space, tab, LF or CR outside a string. Offset: that byte.
        case whitespaceNotAllowed
        /// Ill-formed UTF-8 in a string. Offset: the first byte that cannot continue a
        /// well-formed sequence (Unicode Table 3-7).
        case invalidUTF8
        /// A raw byte below 0x20 in a string. Offset: that byte.
        case controlCharacterInString
        /// A backslash sequence that is not JSON. Offset: the first byte that cannot continue it.
        case invalidEscape
        /// Canonical mode: a valid escape that is not the canonical one. Offset: its backslash.
        case nonCanonicalEscape
        /// A \u escape of a surrogate without its partner. Offset: its backslash.
        case loneSurrogate
        /// Canonical mode: a string (or key) that is not NFC. Offset: the first byte of the
        /// first code point where the string differs from its NFC form.
        case nonNFCString
        /// A fraction or exponent. Offset: the '.', 'e' or 'E'.
        case numberNotInteger
        /// An integer outside ±(2^53−1). Offset: the number's first byte.
        case numberOutOfRange
        /// A leading zero. Offset: the digit after the zero.
        case nonCanonicalNumber
        /// `-0`. Offset: the '-'.
        case negativeZero
        /// A key that occurred before in the same object (compared as code units, after NFC
        /// in lenient mode). Offset: the repeated key's opening quote.
        case duplicateKey
        /// Canonical mode: a key not greater than the previous one in UTF-16 order.
        /// Offset: the key's opening quote.
        case keyOrder
        /// `.identifier` policy: a key not matching ^[a-z][a-z0-9_]*$ within 64 bytes.
        /// Offset: the key's opening quote.
        case keyNotIdentifier
        /// Input longer than `inputBytesMax`. Offset: `inputBytesMax`.
        case inputLimit
        /// A container opened beyond `depthMax`. Offset: its '[' or '{'.
        case depthLimit
        /// A string value longer than `stringBytesMax` decoded bytes. Offset: the byte that
        /// starts the first decoded byte past the limit (lenient, if only the NFC form is too
        /// long: the opening quote).
        case stringLimit
        /// A key longer than `keyBytesMax`; offset as for `stringLimit`.
        case keyLimit
        /// An array element beyond `arrayCountMax`. Offset: the element's first byte.
        case arrayLimit
        /// An object member beyond `memberCountMax`. Offset: the member key's opening quote.
        case memberLimit
        /// `decodeObjectMembers`, `decodeObjectWithMemberRanges`: the top-level value is not an
        /// object. Offset: 0.
        case expectedObject
    }

    public let reason: Reason
    public let offset: Int
    /// The key involved, for `duplicateKey`, `keyOrder`, `keyNotIdentifier`; nil otherwise.
    public let key: String?

    public init(_ reason: Reason, at offset: Int, key: String? = nil) {
        precondition(offset >= 0, "JSONError: offsets are 0-based byte positions")
        self.reason = reason
        self.offset = offset
        self.key = key
    }

    /// "byte 17: duplicate key \"amount\"".
    public var description: String {
        var text = "byte \(offset): \(reason.summary)"
        if let key {
            text += " "
            text += String(decoding: CanonicalJSON.encode(.string(key)), as: UTF8.self)
        }
        return text
    }
}

extension JSONError.Reason {
    /// Human text for the reason; kept apart from the values, rendered by `description`.
    public var summary: String {
        switch self {
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedByte: "unexpected byte"
        case .trailingBytes: "bytes after the end of the value"
        case .byteOrderMark: "byte order mark not allowed"
        case .whitespaceNotAllowed: "whitespace not allowed in canonical form"
        case .invalidUTF8: "invalid UTF-8"
        case .controlCharacterInString: "unescaped control character in string"
        case .invalidEscape: "invalid escape sequence"
        case .nonCanonicalEscape: "escape sequence not in canonical form"
        case .loneSurrogate: "lone UTF-16 surrogate escape"
        case .nonNFCString: "string not in Unicode NFC"
        case .numberNotInteger: "number is not an integer (fraction or exponent)"
        case .numberOutOfRange: "integer outside -(2^53-1)...2^53-1"
        case .nonCanonicalNumber: "number has a leading zero"
        case .negativeZero: "negative zero"
        case .duplicateKey: "duplicate key"
        case .keyOrder: "key out of canonical order"
        case .keyNotIdentifier: "key is not an identifier ([a-z][a-z0-9_]*, at most 64 bytes)"
        case .inputLimit: "input longer than the limit"
        case .depthLimit: "nesting deeper than the limit"
        case .stringLimit: "string longer than the limit"
        case .keyLimit: "key longer than the limit"
        case .arrayLimit: "array has more elements than the limit"
        case .memberLimit: "object has more members than the limit"
        case .expectedObject: "top-level value is not an object"
        }
    }
}
