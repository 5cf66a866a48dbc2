/// The member order of RFC 8785 §3.2.3: keys compared as arrays of UTF-16 code units.
///
/// Keys are kept as UTF-8, whose byte order is code point order. The two orders differ in one
/// place only: a code point in U+E000...U+FFFF is one UTF-16 unit that sorts *after* the
/// surrogate pair (D800...DBFF first) of any code point above U+FFFF. At the first differing
/// byte of two valid UTF-8 strings both bytes sit at the same position of their code points, so
/// that case is exactly "one byte is EE/EF, the other is F0...F4", and it is flipped.
/// `String <` is neither order (it compares Unicode canonical forms), so it is never used.
enum KeyOrder {
    /// Three-way comparison of two UTF-8 encoded keys: negative, zero or positive.
    static func compare(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
        let shared = min(left.count, right.count)
        var index = 0
        while index < shared {
            let leftByte = left[index]
            let rightByte = right[index]
            if leftByte != rightByte {
                return compareDiffering(leftByte, rightByte)
            }
            index += 1
        }
        return left.count - right.count
    }

    /// Three-way comparison of two keys by UTF-16 code units, reading their UTF-8 storage.
    static func compare(_ left: String, _ right: String) -> Int {
        let fast = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in
                compare(UnsafeRawBufferPointer(leftBytes), UnsafeRawBufferPointer(rightBytes))
            }
        }
        if let fast, let result = fast { return result }
        // Strings without contiguous UTF-8 (bridged storage) are copied once.
        let leftBytes = Array(left.utf8)
        let rightBytes = Array(right.utf8)
        return leftBytes.withUnsafeBytes { leftRaw in
            rightBytes.withUnsafeBytes { rightRaw in compare(leftRaw, rightRaw) }
        }
    }

    /// True when the two keys have identical code units (never canonical equivalence).
    /// (Compared in their storage: `elementsEqual` of the two UTF8Views went byte by byte
    /// through their iterators, a tenth of a batch's read-back check of every record it writes.)
    static func same(_ left: String, _ right: String) -> Bool {
        left.utf8.count == right.utf8.count && compare(left, right) == 0
    }

    private static func compareDiffering(_ left: UInt8, _ right: UInt8) -> Int {
        let leftIsUpperBMP = left == 0xEE || left == 0xEF
        let rightIsUpperBMP = right == 0xEE || right == 0xEF
        if leftIsUpperBMP && right >= 0xF0 { return 1 }
        if rightIsUpperBMP && left >= 0xF0 { return -1 }
        return left < right ? -1 : 1
    }
}
