/// Base64 with the standard alphabet and padding (RFC 4648 section 4).
///
/// Decoding is strict so that one byte string has exactly one accepted encoding: signed notes
/// and checkpoints carry base64, and a lenient decoder would let two different texts (and so
/// two different signed messages) mean the same hash or signature. Rejected: any character
/// outside the alphabet (including whitespace and the URL-safe `-` `_`), a length that is not
/// a multiple of 4, missing or extra `=`, `=` anywhere but the end, and non-zero pad bits
/// (RFC 4648 section 3.5 lets decoders reject those; we must).
public enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for alphabet bytes, 0xFF for everything else (including '=').
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    /// The character of the URL-safe alphabet (RFC 4648 section 5) for `value` (0 ..< 64):
    /// letters, digits, `-` and `_`, each allowed in an identifier after its first character
    /// (the short digests the fund's tables are keyed by).
    public static func urlSafeCharacter(_ value: Int) -> UInt8 { urlSafe(alphabet[value]) }

    /// `bytes` in the URL-safe alphabet (RFC 4648 section 5), without padding.
    public static func encodeURLSafe<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: encode(bytes).utf8.filter { $0 != UInt8(ascii: "=") }.map(urlSafe), as: UTF8.self)
    }

    /// The URL-safe alphabet is the standard one with `-` for `+` and `_` for `/`.
    private static func urlSafe(_ character: UInt8) -> UInt8 {
        switch character {
        case UInt8(ascii: "+"): return UInt8(ascii: "-")
        case UInt8(ascii: "/"): return UInt8(ascii: "_")
        default: return character
        }
    }

    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let count = min(3, input.count - index)
            let b0 = UInt32(input[index])
            let b1 = count > 1 ? UInt32(input[index + 1]) : 0
            let b2 = count > 2 ? UInt32(input[index + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            for position in 0..<4 {
                if position <= count {
                    output.append(alphabet[Int((group >> (18 - 6 * UInt32(position))) & 63)])
                } else {
                    output.append(UInt8(ascii: "="))
                }
            }
            index += count
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil unless `text` is the one canonical encoding of them.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var padding = 0
        if input.last == UInt8(ascii: "=") { padding += 1 }
        if input.count >= 2 && input[input.count - 2] == UInt8(ascii: "=") { padding += 1 }
        if padding == 1 && input.last != UInt8(ascii: "=") { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let isLastGroup = index + 4 == input.count
            let significant = isLastGroup ? 4 - padding : 4
            var group: UInt32 = 0
            for position in 0..<4 {
                let value = position < significant ? values[Int(input[index + position])] : 0
                // An '=' (or any other stray byte) among the significant characters lands here.
                guard value != 0xFF else { return nil }
                group = group << 6 | UInt32(value)
            }
            let byteCount = significant - 1
            // Pad bits are the low bits of the group that no output byte takes; they must be 0.
            guard byteCount == 3 || group & ((1 << UInt32(8 * (3 - byteCount))) - 1) == 0 else {
                return nil
            }
            for position in 0..<byteCount {
                output.append(UInt8(truncatingIfNeeded: group >> (16 - 8 * UInt32(position))))
            }
            index += 4
        }
        return output
    }
}
