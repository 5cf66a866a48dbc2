/// Unicode normalization.
///
/// Decision: every string in the ledger's JSON is NFC. Swift's `String ==` is canonical
/// equivalence, so an NFC and an NFD spelling of "é" are equal to Swift code (and collide as
/// Dictionary keys) while their bytes, and so their hashes, differ. Requiring one form closes
/// that gap. RFC 8785 itself does not normalize.
enum Normalization {
    /// The NFC form of `string`, or `string` itself when it is trivially NFC (see below).
    static func nfc(_ string: String) -> String {
        if isTriviallyNFC(string) { return string }
        // The standard library's NFC: the one its `String ==` compares by, so that two strings
        // equal to Swift code are the same bytes once normalized here. An underscored but public
        // API; Foundation's `precomposedStringWithCanonicalMapping` (which would load Foundation
        // and ICU into every command) is checked against it in NormalizationTests.
        return String(decoding: string._nfcCodeUnits, as: UTF8.self)
    }

    /// True when every scalar of `string` is below U+0300 (ASCII, Latin-1, Latin Extended-A and
    /// -B, IPA): all of them have NFC_Quick_Check=Yes and canonical combining class 0, so any
    /// string of them is NFC (checked exhaustively for every pair against Python's unicodedata).
    /// French text is almost all in this range, and it skips the normalizer.
    static func isTriviallyNFC(_ string: String) -> Bool {
        var copy = string
        return copy.withUTF8 { bytes in
            bytes.allSatisfy { $0 <= 0xBF || (0xC2...0xCB).contains($0) }
        }
    }

    /// True when every UTF-8 byte of `string` is below 0x80.
    static func isASCII(_ string: String) -> Bool {
        let fast = string.utf8.withContiguousStorageIfAvailable { bytes in
            isASCII(UnsafeRawBufferPointer(bytes))
        }
        if let fast { return fast }
        return string.utf8.allSatisfy { $0 < 0x80 }
    }

    /// True when every byte is below 0x80; eight bytes at a time.
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }
}
