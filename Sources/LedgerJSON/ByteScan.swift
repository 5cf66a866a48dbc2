/// Word-at-a-time search for the bytes that end a plain run inside a JSON string.
///
/// Eight bytes are tested at once with the classic SWAR tests: `(x - 0x01..) & ~x & 0x80..` is
/// nonzero iff some byte of `x` is zero, `(x - n*0x01..) & ~x & 0x80..` iff some byte is below
/// `n` (n <= 0x80). As booleans both are exact; a hit only sends us to the byte loop.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The first index in `start..<end` holding '"', '\\' or a byte below 0x20, and, if
    /// `stopsAtNonASCII`, a byte >= 0x80; `end` if there is none.
    @inline(__always)
    static func firstSpecial(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int,
                             stopsAtNonASCII: Bool) -> Int {
        var index = start
        let nonASCIIMask = stopsAtNonASCII ? highs : 0
        while index + 8 <= end {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            let special = ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
                | ((word &- ones &* 0x20) & ~word) | (word & nonASCIIMask)
            if special & highs != 0 { break }
            index += 8
        }
        while index < end {
            let byte = bytes[index]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 || (stopsAtNonASCII && byte >= 0x80) {
                break
            }
            index += 1
        }
        return index
    }
}
