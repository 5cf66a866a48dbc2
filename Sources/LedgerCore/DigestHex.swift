import LedgerCrypto

/// A record's `prev` and `hash`: exactly 64 lowercase hex digits, the rule of
/// `SHA256Digest(hex:)`. The verifier reads two per record, and `SHA256Digest(hex:)` is
/// generic (unspecialized from here), copies its text into a new `String` and pays a global's
/// lazy-initialization check per digit for its table: about 90 ns a digest. This one reads
/// UTF-8 in place and computes the digit values.
enum DigestHex {
    /// The digest spelled by `utf8`, or nil unless it is exactly 64 lowercase hex digits.
    static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> SHA256Digest? {
        guard utf8.count == 2 * SHA256Digest.byteCount else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SHA256Digest.byteCount) {
            bytes -> SHA256Digest? in
            // The OR of every digit value: 16 or more iff some byte was not a digit. Checked
            // once at the end, so the loop has no data-dependent branch.
            var seen: UInt8 = 0
            for index in 0..<SHA256Digest.byteCount {
                let high = digitValue(utf8[2 * index])
                let low = digitValue(utf8[2 * index + 1])
                seen |= high | low
                bytes[index] = high << 4 | (low & 0x0F)
            }
            return seen < 16 ? SHA256Digest(copying: UnsafeRawBufferPointer(bytes)) : nil
        }
    }

    /// The value of a lowercase hex digit, or 0xFF for any other byte.
    @inline(__always)
    static func digitValue(_ character: UInt8) -> UInt8 {
        let decimal = character &- UInt8(ascii: "0")
        let letter = character &- UInt8(ascii: "a")
        return decimal < 10 ? decimal : (letter < 6 ? letter &+ 10 : 0xFF)
    }
}
