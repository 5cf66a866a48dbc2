extension Parser {
    /// Adds a finished value to the innermost container and reads what follows it: returns nil
    /// after a comma (the next value comes next), or the container itself if it closed here.
    mutating func attach(_ value: JSONValue) throws(JSONError) -> JSONValue? {
        let top = frames.count - 1
        let frame = frames[top]
        if frame.isObject {
            if frame.slot == frame.count {
                values.append(value)
            } else {
                values.insert(value, at: frame.valueBase + frame.slot)
            }
            if recordsMemberRanges && top == 0 {
                let key = memberKeys[frame.keyBase + frame.slot]
                memberRanges.append((key: key, range: memberStart..<position))
            }
        } else {
            values.append(value)
        }
        frames[top].count = frame.count + 1
        skipWhitespace()
        guard position < end else { throw JSONError(.unexpectedEnd, at: end) }
        let byte = input[position]
        if byte == UInt8(ascii: ",") {
            position += 1
            skipWhitespace()
            if frame.isObject {
                try readMemberKey()
            } else if frame.count + 1 >= limits.arrayCountMax {
                throw JSONError(.arrayLimit, at: position)
            }
            return nil
        }
        if byte == (frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
            position += 1
            return closeContainer()
        }
        throw unexpected(at: position)
    }

    /// Pops the innermost container and copies its items out of the shared stacks.
    private mutating func closeContainer() -> JSONValue {
        let frame = frames.removeLast()
        precondition(values.count - frame.valueBase == frame.count, "one value per item")
        guard frame.isObject else {
            let elements = Array(values[frame.valueBase...])
            values.removeSubrange(frame.valueBase...)
            return .array(elements)
        }
        precondition(memberKeys.count - frame.keyBase == frame.count, "one key per member")
        let members = [JSONObject.Element](unsafeUninitializedCapacity: frame.count) {
            buffer, initialized in
            for index in 0..<frame.count {
                buffer.initializeElement(
                    at: index,
                    to: (key: memberKeys[frame.keyBase + index], value: values[frame.valueBase + index]))
            }
            initialized = frame.count
        }
        values.removeSubrange(frame.valueBase...)
        memberKeys.removeSubrange(frame.keyBase...)
        return .object(JSONObject(canonicalMembers: members))
    }

    /// Reads `"key":` for the innermost object and decides where the key goes.
    ///
    /// Canonical mode: the key must sort after the previous one. Lenient mode: keys are kept
    /// sorted as they arrive (binary insertion), so a duplicate is caught at its own offset.
    mutating func readMemberKey() throws(JSONError) {
        guard position < end else { throw JSONError(.unexpectedEnd, at: end) }
        guard input[position] == UInt8(ascii: "\"") else { throw unexpected(at: position) }
        let quote = position
        let top = frames.count - 1
        let frame = frames[top]
        if frame.count >= limits.memberCountMax { throw JSONError(.memberLimit, at: quote) }
        let key = try parseString(isKey: true)
        if keyPolicy == .identifier && !Self.isIdentifier(key) {
            throw JSONError(.keyNotIdentifier, at: quote, key: key)
        }
        let slot = try placeKey(key, quote: quote, frame: frame)
        if slot == frame.count {
            memberKeys.append(key)
        } else {
            memberKeys.insert(key, at: frame.keyBase + slot)
        }
        frames[top].slot = slot
        if top == 0 { memberStart = quote }
        skipWhitespace()
        guard position < end else { throw JSONError(.unexpectedEnd, at: end) }
        guard input[position] == UInt8(ascii: ":") else { throw unexpected(at: position) }
        position += 1
    }

    /// Where `key` goes among the object's keys so far, or the duplicate/order error.
    private func placeKey(_ key: String, quote: Int, frame: Frame) throws(JSONError) -> Int {
        guard frame.count > 0 else { return 0 }
        if strict {
            // The common case costs one comparison with the previous key.
            let order = KeyOrder.compare(memberKeys[frame.keyBase + frame.count - 1], key)
            if order < 0 { return frame.count }
        }
        let place = searchKey(key, frame: frame)
        if place.found { throw JSONError(.duplicateKey, at: quote, key: key) }
        if strict { throw JSONError(.keyOrder, at: quote, key: key) }
        return place.index
    }

    /// Binary search of the object's keys (sorted in both modes) by code units.
    private func searchKey(_ key: String, frame: Frame) -> (found: Bool, index: Int) {
        var low = 0
        var high = frame.count
        while low < high {
            let middle = low + (high - low) / 2
            let order = KeyOrder.compare(memberKeys[frame.keyBase + middle], key)
            if order == 0 { return (true, middle) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (false, low)
    }

    /// ^[a-z][a-z0-9_]*$ and at most `JSONKeyPolicy.identifierBytesMax` bytes.
    static func isIdentifier(_ key: String) -> Bool {
        let utf8 = key.utf8
        guard let first = utf8.first, utf8.count <= JSONKeyPolicy.identifierBytesMax else {
            return false
        }
        guard first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") else { return false }
        return utf8.dropFirst().allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_")
        }
    }
}
