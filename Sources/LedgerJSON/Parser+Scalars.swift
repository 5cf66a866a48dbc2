extension Parser {
    /// JSON's insignificant whitespace: space, tab, LF, CR (RFC 8259 §2). Nothing else.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Lenient mode skips whitespace; canonical mode leaves it to fail as `unexpected`.
    @inline(__always)
    mutating func skipWhitespace() {
        guard !strict else { return }
        while position < end && Self.isWhitespace(input[position]) { position += 1 }
    }

    /// The error for a byte that cannot come next (or for the end of input).
    func unexpected(at offset: Int) -> JSONError {
        guard offset < end else { return JSONError(.unexpectedEnd, at: end) }
        if strict && Self.isWhitespace(input[offset]) {
            return JSONError(.whitespaceNotAllowed, at: offset)
        }
        return JSONError(.unexpectedByte, at: offset)
    }

    /// `true`, `false` or `null`, byte by byte so a mismatch has its exact offset.
    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        let mismatch: Int? = literal.withUTF8Buffer { expected in
            for index in 0..<count {
                let offset = position + index
                if offset >= end || input[offset] != expected[index] { return offset }
            }
            return nil
        }
        if let mismatch { throw unexpected(at: mismatch) }
        position += count
    }

    /// An integer: `-`? (`0` | [1-9][0-9]*), within ±(2^53−1).
    ///
    /// The token is judged in reading order: a leading zero, then a fraction or exponent, then
    /// `-0`, then the range (the first 17 digits are accumulated; more is out of range anyway).
    mutating func parseInteger() throws(JSONError) -> Int64 {
        let start = position
        var index = position
        let negative = input[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < end else { throw JSONError(.unexpectedEnd, at: end) }
        guard Self.isDigit(input[index]) else { throw unexpected(at: index) }
        let digitsStart = index
        var magnitude: UInt64 = 0
        if input[index] == UInt8(ascii: "0") {
            index += 1
            if index < end && Self.isDigit(input[index]) {
                throw JSONError(.nonCanonicalNumber, at: index)
            }
        } else {
            while index < end && Self.isDigit(input[index]) {
                if index - digitsStart < 17 {
                    magnitude = magnitude &* 10 &+ UInt64(input[index] &- UInt8(ascii: "0"))
                }
                index += 1
            }
        }
        if index < end {
            let next = input[index]
            if next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
                throw JSONError(.numberNotInteger, at: index)
            }
        }
        if negative && magnitude == 0 { throw JSONError(.negativeZero, at: start) }
        if index - digitsStart > 16 || magnitude > UInt64(JSONValue.integerRange.upperBound) {
            throw JSONError(.numberOutOfRange, at: start)
        }
        position = index
        let value = Int64(magnitude)
        return negative ? -value : value
    }
}
