extension Parser {
    /// Decodes the escape whose backslash is at `backslash`, appends its UTF-8 to `scratch` and
    /// returns the offset after it.
    ///
    /// Canonical mode accepts only the escapes the writer produces: \" \\ \b \t \n \f \r, and
    /// \u00xx (lowercase hex) for the other control characters. Lenient mode accepts every
    /// RFC 8259 escape, joining surrogate pairs; a lone surrogate is an error.
    mutating func decodeEscape(at backslash: Int) throws(JSONError) -> Int {
        let letter = backslash + 1
        guard letter < end else { throw JSONError(.unexpectedEnd, at: end) }
        let short: UInt8? = switch input[letter] {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "/"): 0x2F
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let short {
            if strict && short == 0x2F { throw JSONError(.nonCanonicalEscape, at: backslash) }
            scratch.append(short)
            return letter + 1
        }
        guard input[letter] == UInt8(ascii: "u") else {
            throw JSONError(.invalidEscape, at: letter)
        }
        let unit = try readHex4(at: letter + 1)
        if strict {
            try checkCanonicalUnicodeEscape(unit, backslash: backslash)
            scratch.append(UInt8(unit))
            return backslash + 6
        }
        return try decodeLenientUnicodeEscape(unit, backslash: backslash)
    }

    /// \uXXXX is canonical only for a control character without a short form, in lowercase.
    private func checkCanonicalUnicodeEscape(_ unit: UInt16, backslash: Int) throws(JSONError) {
        let hasShortForm = unit == 0x08 || unit == 0x09 || unit == 0x0A || unit == 0x0C
            || unit == 0x0D
        let lastDigit = input[backslash + 5]
        let isUppercase = lastDigit >= UInt8(ascii: "A") && lastDigit <= UInt8(ascii: "F")
        if unit >= 0x20 || hasShortForm || isUppercase {
            throw JSONError(.nonCanonicalEscape, at: backslash)
        }
    }

    /// A \u escape in lenient mode; a high surrogate must be followed by \u and a low one.
    private mutating func decodeLenientUnicodeEscape(_ unit: UInt16, backslash: Int)
        throws(JSONError) -> Int
    {
        var scalarValue = UInt32(unit)
        var next = backslash + 6
        if unit >= 0xDC00 && unit <= 0xDFFF { throw JSONError(.loneSurrogate, at: backslash) }
        if unit >= 0xD800 && unit <= 0xDBFF {
            guard next + 1 < end, input[next] == UInt8(ascii: "\\"),
                  input[next + 1] == UInt8(ascii: "u")
            else { throw JSONError(.loneSurrogate, at: backslash) }
            let low = try readHex4(at: next + 2)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw JSONError(.loneSurrogate, at: backslash)
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            next += 6
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            preconditionFailure("surrogates were excluded above")
        }
        UTF8.encode(scalar) { scratch.append($0) }
        return next
    }

    /// Four hex digits (either case) at `start`.
    private func readHex4(at start: Int) throws(JSONError) -> UInt16 {
        var unit: UInt16 = 0
        for offset in start..<(start + 4) {
            guard offset < end else { throw JSONError(.unexpectedEnd, at: end) }
            let byte = input[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError(.invalidEscape, at: offset)
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// The length of the well-formed UTF-8 sequence whose lead byte (>= 0x80) is at `start`
    /// (Unicode Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF).
    func validateUTF8Sequence(at start: Int) throws(JSONError) -> Int {
        let lead = input[start]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw JSONError(.invalidUTF8, at: start)
        }
        for offset in (start + 1)..<(start + length) {
            guard offset < end else { throw JSONError(.unexpectedEnd, at: end) }
            let range = offset == start + 1 ? secondRange : 0x80...0xBF
            guard range.contains(input[offset]) else { throw JSONError(.invalidUTF8, at: offset) }
        }
        return length
    }
}
