/// Lowercase hexadecimal, strictly: the one spelling a digest has in ledger records.
///
/// Decoding rejects uppercase on purpose. A record that spells a hash in uppercase is a
/// different byte string, so accepting it would let two encodings of one ledger both verify.
public enum Hex {
    /// Encodes bytes as lowercase hex, two characters per byte.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        // Through a buffer: an unspecialised generic loop over a collection (this module is not
        // inlined into its callers) cost more than the SHA-256 it follows, once per record.
        if let text = bytes.withContiguousStorageIfAvailable(encode(contiguous:)) { return text }
        return Array(bytes).withUnsafeBufferPointer(encode(contiguous:))
    }

    /// Appends the lowercase hex of `bytes` to `buffer` (a record's line): no String between.
    /// Spelled on the stack, then appended at once (an append per character checked the
    /// array's room and uniqueness each time).
    public static func append(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * bytes.count) { text in
            write(bytes, into: text)
            buffer.append(contentsOf: text)
        }
    }

    /// Encodes raw bytes (a digest's storage) as lowercase hex, without the generic path's copy
    /// of them into an array: each record's hash and prev are spelled when it is written.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        bytes.withMemoryRebound(to: UInt8.self) { encode(contiguous: $0) }
    }

    private static func encode(contiguous bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { utf8 in
            write(UnsafeRawBufferPointer(bytes), into: utf8)
            return bytes.count * 2
        }
    }

    /// The two characters of each byte of `bytes`, at the start of `text`.
    private static func write(_ bytes: UnsafeRawBufferPointer, into text: UnsafeMutableBufferPointer<UInt8>) {
        precondition(text.count >= 2 * bytes.count, "room for two characters a byte")
        for (index, byte) in bytes.enumerated() {
            text[2 * index] = digitCharacter(byte >> 4)
            text[2 * index + 1] = digitCharacter(byte & 0x0F)
        }
    }

    /// Decodes lowercase hex. Returns nil for odd length or any character outside `0-9a-f`.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = text.utf8
        guard utf8.count % 2 == 0 else { return nil }
        let byteCount = utf8.count / 2
        var valid = false
        let bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initializedCount in
            valid = decode(utf8, into: UnsafeMutableRawBufferPointer(buffer))
            // Zeros on failure keep the array fully initialised; it is thrown away anyway.
            if !valid { buffer.initialize(repeating: 0) }
            initializedCount = byteCount
        }
        return valid ? bytes : nil
    }

    /// Decodes exactly `target.count * 2` lowercase hex characters into `target`.
    /// Returns false (leaving `target` partly written) on a wrong length or a bad character.
    static func decode<C: Collection>(_ utf8: C, into target: UnsafeMutableRawBufferPointer) -> Bool
    where C.Element == UInt8 {
        guard utf8.count == target.count * 2 else { return false }
        var index = utf8.startIndex
        for offset in 0..<target.count {
            guard let high = digitValue(utf8[index]) else { return false }
            index = utf8.index(after: index)
            guard let low = digitValue(utf8[index]) else { return false }
            index = utf8.index(after: index)
            target[offset] = high << 4 | low
        }
        return true
    }

    @inline(__always)
    private static func digitCharacter(_ nibble: UInt8) -> UInt8 {
        assert(nibble < 16)
        return nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
    }

    @inline(__always)
    private static func digitValue(_ character: UInt8) -> UInt8? {
        let value = digitValues[Int(character)]
        return value == 0xFF ? nil : value
    }

    /// Lowercase hex digit values by byte, 0xFF for anything else: the verifier decodes two
    /// 64-digit hashes per record, and a table beats a branchy switch there.
    private static let digitValues: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt8(byte) - UInt8(ascii: "a") + 10
        default: return 0xFF
        }
    }
}
