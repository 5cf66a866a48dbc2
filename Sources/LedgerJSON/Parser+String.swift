extension Parser {
    /// A string at `position` (its opening quote); returns it decoded, validated and NFC.
    mutating func parseString(isKey: Bool) throws(JSONError) -> String {
        let quote = position
        let index = Self.scanPlainASCII(input, from: quote + 1, to: end)
        if index < end && input[index] == UInt8(ascii: "\"") {
            // Fast path, nearly every ledger string: printable ASCII, no escapes, so the
            // bytes are already valid, canonical and NFC.
            try checkPlainLength(quote: quote, closingQuote: index, isKey: isKey)
            position = index + 1
            return plainText(UnsafeRawBufferPointer(rebasing: input[(quote + 1)..<index]))
        }
        return try parseStringSlow(quote: quote, resume: index, isKey: isKey)
    }

    /// The fast path of `parseString` for a value, without building the String: true after
    /// reading a plain string, false (nothing read) if the string at `position` is not plain.
    mutating func skipPlainString() throws(JSONError) -> Bool {
        let quote = position
        let index = Self.scanPlainASCII(input, from: quote + 1, to: end)
        guard index < end && input[index] == UInt8(ascii: "\"") else { return false }
        try checkPlainLength(quote: quote, closingQuote: index, isKey: false)
        position = index + 1
        return true
    }

    private func checkPlainLength(quote: Int, closingQuote: Int, isKey: Bool) throws(JSONError) {
        let bytesMax = isKey ? limits.keyBytesMax : limits.stringBytesMax
        if closingQuote - quote - 1 > bytesMax {
            throw JSONError(isKey ? .keyLimit : .stringLimit, at: quote + 1 + bytesMax)
        }
    }

    /// The String of a plain string's bytes (printable ASCII, no escapes), from the caller's
    /// cache when there is one.
    @inline(__always)
    func plainText(_ bytes: UnsafeRawBufferPointer) -> String {
        if let strings { return strings.string(bytes) }
        return Self.string(bytes)
    }

    /// A String of bytes already validated as UTF-8 (the stdlib checks again, quickly).
    @inline(__always)
    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        bytes.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
    }

    /// The first index at or after `start` holding '"', '\\', a control byte or a non-ASCII
    /// byte (or `end`).
    @inline(__always)
    static func scanPlainASCII(_ input: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        ByteScan.firstSpecial(input, from: start, to: end, stopsAtNonASCII: true)
    }

    /// Escapes, non-ASCII or an error somewhere after `resume`; bytes before it are plain.
    private mutating func parseStringSlow(quote: Int, resume: Int, isKey: Bool)
        throws(JSONError) -> String
    {
        let bytesMax = isKey ? limits.keyBytesMax : limits.stringBytesMax
        let limitReason: JSONError.Reason = isKey ? .keyLimit : .stringLimit
        var index = resume
        var decodedCount = resume - quote - 1
        if decodedCount > bytesMax { throw JSONError(limitReason, at: quote + 1 + bytesMax) }
        var escaped = false  // once true, `scratch` holds the decoded bytes so far
        var ascii = true
        while true {
            guard index < end else { throw JSONError(.unexpectedEnd, at: end) }
            let unitStart = index
            let byte = input[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                if !escaped {
                    scratch.removeAll(keepingCapacity: true)
                    scratch.append(contentsOf: input[(quote + 1)..<index])
                    escaped = true
                }
                let before = scratch.count
                index = try decodeEscape(at: index)
                decodedCount += scratch.count - before
                if scratch[before] >= 0x80 { ascii = false }
            } else if byte < 0x20 {
                throw JSONError(.controlCharacterInString, at: index)
            } else {
                let length = byte < 0x80 ? 1 : try validateUTF8Sequence(at: index)
                // Scalars below U+0300 (UTF-8 lead bytes up to 0xCB) are all NFC whatever their neighbours.
                if length > 2 || (length == 2 && byte > 0xCB) { ascii = false }
                if escaped { scratch.append(contentsOf: input[index..<(index + length)]) }
                index += length
                decodedCount += length
            }
            if decodedCount > bytesMax { throw JSONError(limitReason, at: unitStart) }
        }
        position = index + 1
        let text = escaped
            ? scratch.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
            : Self.string(UnsafeRawBufferPointer(rebasing: input[(quote + 1)..<index]))
        if ascii { return text }
        return try normalized(text, quote: quote, bytesMax: bytesMax, limitReason: limitReason)
    }

    /// Canonical mode: `text` must already be NFC. Lenient mode: returns its NFC form.
    private func normalized(_ text: String, quote: Int, bytesMax: Int,
                            limitReason: JSONError.Reason) throws(JSONError) -> String {
        let nfc = Normalization.nfc(text)
        if KeyOrder.same(nfc, text) { return text }
        if strict { throw JSONError(.nonNFCString, at: firstNonNFCOffset(text, nfc, quote: quote)) }
        // Normalization can lengthen a string (U+0958 -> U+0915 U+093C).
        if nfc.utf8.count > bytesMax { throw JSONError(limitReason, at: quote) }
        return nfc
    }

    /// The input offset of the first code point where `text` and its NFC form differ. Only
    /// for canonical mode, where each escape decodes to exactly one byte.
    private func firstNonNFCOffset(_ text: String, _ nfc: String, quote: Int) -> Int {
        let decoded = Array(text.utf8)
        var differing = zip(decoded, nfc.utf8).prefix { $0 == $1 }.count
        while differing > 0 && differing < decoded.count && decoded[differing] & 0xC0 == 0x80 {
            differing -= 1
        }
        var offset = quote + 1
        for _ in 0..<differing {
            guard input[offset] == UInt8(ascii: "\\") else {
                offset += 1
                continue
            }
            offset += input[offset + 1] == UInt8(ascii: "u") ? 6 : 2
        }
        return offset
    }
}
