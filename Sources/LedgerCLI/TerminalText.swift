/// Text for a terminal: what the log holds (names, notes, motions) is shown, never obeyed. An
/// escape sequence, a C1 control or a bidirectional override in a fund's name would otherwise
/// reach the terminal as a command (move the cursor, rewrite a line, reverse what follows).
/// Each such character is shown as `\u{XXXX}`; newlines are kept only where the text is
/// meant to span lines. Machine output (`--json`, `--csv`, files) is not passed through here.
enum TerminalText {
    static func safe(_ text: String, keepingNewlines: Bool = true) -> String {
        // One scan of the bytes in place (the UTF8View's iterator cost more than the printing).
        var bytes = text
        let suspect = bytes.withUTF8 { mayHoldUnsafe(UnsafeRawBufferPointer($0), keepingNewlines: keepingNewlines) }
        guard suspect else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar, keepingNewlines: keepingNewlines) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `bytes` hold a byte that may start an unsafe character. Eight bytes at a time:
    /// a word of printable ASCII (0x20-0x7E, most of any output) is passed by two tests on the
    /// word, and only a word with another byte (a newline, a tab, a non-ASCII letter) is looked
    /// at byte by byte. A batch's report is 100,000 lines, scanned whole before it is printed.
    static func mayHoldUnsafe(_ bytes: UnsafeRawBufferPointer, keepingNewlines: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            // A byte below 0x20 (its high bit set after subtracting 0x20 from a byte without it),
            // or of 0x7F and above (its high bit set, or set by adding one).
            let below = (word &- 0x20 &* ones) & ~word & highs
            let above = ((word &+ ones) | word) & highs
            if below | above != 0, bytes[offset..<(offset + 8)].contains(where: { mayBeUnsafe($0, keepingNewlines: keepingNewlines) }) {
                return true
            }
            offset += 8
        }
        return bytes[offset...].contains { mayBeUnsafe($0, keepingNewlines: keepingNewlines) }
    }

    /// Bytes that start no unsafe character: most text is returned as it is after one scan.
    /// 0xC2 leads the C1 controls, 0xD8 U+061C, 0xE2 the bidirectional marks and overrides.
    private static func mayBeUnsafe(_ byte: UInt8, keepingNewlines: Bool) -> Bool {
        switch byte {
        case 0x0A: return !keepingNewlines
        case 0x09: return false
        case 0x00..<0x20, 0x7F, 0xC2, 0xD8, 0xE2: return true
        default: return false
        }
    }

    static func isUnsafe(_ scalar: Unicode.Scalar, keepingNewlines: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: return !keepingNewlines
        case 0x09: return false
        case 0x00..<0x20, 0x7F, 0x80...0x9F: return true
        // Bidirectional marks, embeddings, overrides and isolates (Unicode's Bidi_Control).
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
