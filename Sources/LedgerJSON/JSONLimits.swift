/// Bounds on a document; exceeding one is an error with its own `JSONError.Reason`.
///
/// Byte counts are UTF-8 bytes of the *decoded* text (after escapes; in lenient mode also
/// after NFC normalization). Depth counts open containers: `[]` has depth 1, a scalar 0.
public struct JSONLimits: Sendable, Equatable {
    /// Whole input, in bytes (`inputLimit`).
    public var inputBytesMax: Int
    /// Open arrays and objects at once (`depthLimit`).
    public var depthMax: Int
    /// Decoded bytes of one string value (`stringLimit`).
    public var stringBytesMax: Int
    /// Decoded bytes of one object key (`keyLimit`).
    public var keyBytesMax: Int
    /// Elements of one array (`arrayLimit`).
    public var arrayCountMax: Int
    /// Members of one object (`memberLimit`).
    public var memberCountMax: Int

    public init(
        inputBytesMax: Int = 65_536, depthMax: Int = 16, stringBytesMax: Int = 16_384,
        keyBytesMax: Int = 64, arrayCountMax: Int = 10_000, memberCountMax: Int = 1_000
    ) {
        precondition(inputBytesMax >= 0 && depthMax >= 0 && stringBytesMax >= 0,
                     "JSONLimits: limits are counts, never negative")
        precondition(keyBytesMax >= 0 && arrayCountMax >= 0 && memberCountMax >= 0,
                     "JSONLimits: limits are counts, never negative")
        self.inputBytesMax = inputBytesMax
        self.depthMax = depthMax
        self.stringBytesMax = stringBytesMax
        self.keyBytesMax = keyBytesMax
        self.arrayCountMax = arrayCountMax
        self.memberCountMax = memberCountMax
    }

    /// 64 KiB input, depth 16, 16 KiB strings, 64-byte keys, 10,000 elements, 1,000 members.
    public static let `default` = JSONLimits()
}

/// Which object keys a reader accepts.
public enum JSONKeyPolicy: Sendable, Equatable {
    /// Any NFC string (within `keyBytesMax`).
    case any
    /// `^[a-z][a-z0-9_]*$`, at most `identifierBytesMax` bytes: the ledger's record keys.
    case identifier

    /// The longest identifier key, whatever `JSONLimits.keyBytesMax` says.
    public static let identifierBytesMax = 64
}
