extension Parser {
    /// Reads `"key":` for the innermost object and decides where the key goes.
    ///
    /// Canonical mode: the key must sort after the previous one. Lenient mode: keys are kept
    /// sorted as they arrive (binary insertion), so a duplicate is caught at its own offset.
    mutating func readMemberKey() throws(JSONError) {
        guard position < end else { throw JSONError(.unexpectedEnd, at: end) }
        guard input[position] == UInt8(ascii: "\"") else { throw unexpected(at: position) }
        let quote = position
        let count = current.count
        if count >= limits.memberCountMax { throw JSONError(.memberLimit, at: quote) }
        let keyEnd = Self.scanPlainASCII(input, from: quote + 1, to: end)
        let key: String
        let slot: Int
        let isPlain = keyEnd < end && input[keyEnd] == UInt8(ascii: "\"")
        if isPlain {
            (key, slot) = try readPlainKey(quote: quote, keyEnd: keyEnd)
        } else {
            key = try parseString(isKey: true)
            if keyPolicy == .identifier && !Self.isIdentifier(key) {
                throw JSONError(.keyNotIdentifier, at: quote, key: key)
            }
            slot = try placeKey(key, quote: quote)
        }
        if slot == count {
            // A new greatest key: remember its bytes for the next comparison if it is plain.
            current.plainKeyStart = isPlain ? quote + 1 : -1
            current.plainKeyEnd = keyEnd
            items.append(JSONObject.Member(key: key, value: .null))
        } else {
            items.insert(JSONObject.Member(key: key, value: .null), at: current.base + slot)
        }
        current.slot = slot
        if depth == 1 { memberStart = quote }
        skipWhitespace()
        guard position < end else { throw JSONError(.unexpectedEnd, at: end) }
        guard input[position] == UInt8(ascii: ":") else { throw unexpected(at: position) }
        position += 1
        if depth == 1 { valueStart = position }
    }

    /// The common key: printable ASCII without escapes, checked on the input bytes before a
    /// String exists. If the object's greatest key so far was plain too, one byte comparison
    /// settles the usual case (keys arriving in order: always in canonical mode).
    private mutating func readPlainKey(quote: Int, keyEnd: Int)
        throws(JSONError) -> (String, Int)
    {
        if keyEnd - quote - 1 > limits.keyBytesMax {
            throw JSONError(.keyLimit, at: quote + 1 + limits.keyBytesMax)
        }
        let raw = UnsafeRawBufferPointer(rebasing: input[(quote + 1)..<keyEnd])
        position = keyEnd + 1
        if keyPolicy == .identifier && !Self.isIdentifier(raw) {
            throw JSONError(.keyNotIdentifier, at: quote, key: Self.string(raw))
        }
        let count = current.count
        let previousStart = current.plainKeyStart
        // A top-level key left in the input (`leavesTopLevelKeys`) is stored empty: its
        // member's bytes say it, and `placeKey` spells it out if it is ever compared.
        let leaves = depth == 1 && leavesTopLevelKeys
        if count == 0 && leaves { return ("", 0) }
        if count > 0 && previousStart >= 0 {
            let previous = input[previousStart..<current.plainKeyEnd]
            if KeyOrder.compare(UnsafeRawBufferPointer(rebasing: previous), raw) < 0 {
                return (leaves ? "" : plainText(raw), count)
            }
        }
        let key = plainText(raw)
        return (key, try placeKey(key, quote: quote))
    }

    /// The top-level keys left in the input so far, spelled out (before any comparison of keys
    /// as Strings: the slow path of `placeKey`, a key out of order or repeated).
    private mutating func spellTopLevelKeys() {
        precondition(depth == 1 && memberRanges.count == current.count, "every member before this key has its range")
        for index in 0..<current.count where items[index].key.isEmpty {
            let member = memberRanges[index]
            let keyEnd = member.valueStart - 2
            precondition(input[keyEnd] == UInt8(ascii: "\"") && input[keyEnd + 1] == UInt8(ascii: ":"), "a plain key")
            items[index].key = Self.string(UnsafeRawBufferPointer(rebasing: input[(member.start + 1)..<keyEnd]))
        }
    }

    /// Where `key` goes among the object's keys so far, or the duplicate/order error.
    private mutating func placeKey(_ key: String, quote: Int) throws(JSONError) -> Int {
        let count = current.count
        guard count > 0 else { return 0 }
        if depth == 1 && leavesTopLevelKeys { spellTopLevelKeys() }
        if strict {
            // The common case costs one comparison with the previous key.
            let order = KeyOrder.compare(items[current.base + count - 1].key, key)
            if order < 0 { return count }
        }
        let place = searchKey(key)
        if place.found { throw JSONError(.duplicateKey, at: quote, key: key) }
        if strict { throw JSONError(.keyOrder, at: quote, key: key) }
        return place.index
    }

    /// Binary search of the object's keys (sorted in both modes) by code units.
    private func searchKey(_ key: String) -> (found: Bool, index: Int) {
        var low = 0
        var high = current.count
        let base = current.base
        while low < high {
            let middle = low + (high - low) / 2
            let order = KeyOrder.compare(items[base + middle].key, key)
            if order == 0 { return (true, middle) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (false, low)
    }

    /// ^[a-z][a-z0-9_]*$ and at most `JSONKeyPolicy.identifierBytesMax` bytes.
    static func isIdentifier(_ key: String) -> Bool {
        Array(key.utf8).withUnsafeBytes { isIdentifier($0) }
    }

    static func isIdentifier(_ key: UnsafeRawBufferPointer) -> Bool {
        guard key.count >= 1 && key.count <= JSONKeyPolicy.identifierBytesMax else { return false }
        guard key[0] >= UInt8(ascii: "a") && key[0] <= UInt8(ascii: "z") else { return false }
        for byte in key.dropFirst() {
            let isLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isLower || isDigit || byte == UInt8(ascii: "_") else { return false }
        }
        return true
    }
}
