/// A SHA-256 digest: 32 bytes held inline (four words, no heap allocation).
///
/// Ordering is lexicographic by byte, the same order as comparing the hex strings.
public struct SHA256Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let byteCount = 32

    /// 32 zero bytes, e.g. the `prev` of a ledger's first record.
    public static let zero = SHA256Digest(memoryOrderWords: (0, 0, 0, 0))

    // The words hold the digest bytes in memory order (byte 0 first in memory), so
    // `withUnsafeBytes` hands out the storage itself; hashing a digest copies nothing.
    // Equality and hashing work on these raw words; ordering converts them to big-endian.
    private var word0: UInt64
    private var word1: UInt64
    private var word2: UInt64
    private var word3: UInt64

    /// Words as they lie in memory: on any host, the first byte of `words.0` is digest byte 0.
    init(memoryOrderWords words: (UInt64, UInt64, UInt64, UInt64)) {
        (word0, word1, word2, word3) = words
    }

    /// Copies 32 bytes. Passing any other count is a programmer error and traps.
    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        let count = bytes.count
        precondition(count == Self.byteCount, "a SHA-256 digest is 32 bytes, got \(count)")
        self = .zero
        // copyBytes traps if the collection yields more than 32 bytes after all.
        withUnsafeMutableBytes { $0.copyBytes(from: bytes) }
    }

    /// Copies 32 bytes; not generic, so a caller in another module pays no metadata lookup (the
    /// verifier makes two digests per record).
    public init(copying bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == Self.byteCount, "a SHA-256 digest is 32 bytes, got \(bytes.count)")
        self = .zero
        withUnsafeMutableBytes { $0.copyMemory(from: bytes) }
    }

    /// Parses exactly 64 lowercase hex characters; anything else (uppercase too) is nil.
    public init?(hex text: some StringProtocol) {
        // Through contiguous UTF-8: the verifier parses two of these per record, and the generic
        // path over any StringProtocol's view is several times slower.
        var string = String(text)
        var digest = SHA256Digest.zero
        let valid = string.withUTF8 { utf8 in digest.withUnsafeMutableBytes { Hex.decode(utf8, into: $0) } }
        guard valid else { return nil }
        self = digest
    }

    /// The 64-character lowercase hex form.
    public var hex: String { withUnsafeBytes { Hex.encode($0) } }

    /// Appends the 64-character lowercase hex form to `buffer`, building no String (a writer
    /// spells two digests in every line it encodes).
    public func appendHex(to buffer: inout [UInt8]) { withUnsafeBytes { Hex.append($0, to: &buffer) } }

    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public var description: String { hex }

    /// Calls `body` with the 32 digest bytes; the buffer must not escape `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: self) { raw in
            assert(raw.count == Self.byteCount, "SHA256Digest must stay exactly 32 bytes")
            return try body(raw)
        }
    }

    private mutating func withUnsafeMutableBytes<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws -> R
    ) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &self) { try body($0) }
    }

    public static func < (left: SHA256Digest, right: SHA256Digest) -> Bool {
        // Reading each word big-endian turns byte order into integer order.
        let leftWords = left.orderedWords, rightWords = right.orderedWords
        if leftWords.0 != rightWords.0 { return leftWords.0 < rightWords.0 }
        if leftWords.1 != rightWords.1 { return leftWords.1 < rightWords.1 }
        if leftWords.2 != rightWords.2 { return leftWords.2 < rightWords.2 }
        return leftWords.3 < rightWords.3
    }

    private var orderedWords: (UInt64, UInt64, UInt64, UInt64) {
        (UInt64(bigEndian: word0), UInt64(bigEndian: word1),
         UInt64(bigEndian: word2), UInt64(bigEndian: word3))
    }
}
