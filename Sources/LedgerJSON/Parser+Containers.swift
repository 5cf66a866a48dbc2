extension Parser {
    /// Adds a finished value to the innermost container and reads what follows it: returns nil
    /// after a comma (the next value comes next), or the container itself if it closed here.
    /// The value is consumed: it moves into its slot rather than being copied (retained) there
    /// and released by the caller.
    mutating func attach(_ value: consuming JSONValue) throws(JSONError) -> JSONValue? {
        // Fields are read one by one: copying the whole frame right after storing some of its
        // fields defeats store-to-load forwarding (measured: ~10% of a decode).
        let isObject = current.isObject
        let count = current.count
        if isObject {
            // The key is already in place (`readMemberKey`); only the value is missing.
            let index = current.base + current.slot
            items.setValue(value, at: index)
            if keepsTopLevelMembers && depth == 1 {
                memberRanges.append((start: memberStart, valueStart: valueStart, end: position,
                                     leftInPlace: leftPlainString))
                leftPlainString = false
            }
        } else {
            items.append(JSONObject.Member(key: "", value: value))
        }
        current.count = count + 1
        skipWhitespace()
        guard position < end else { throw JSONError(.unexpectedEnd, at: end) }
        let byte = input[position]
        if byte == UInt8(ascii: ",") {
            position += 1
            skipWhitespace()
            if isObject {
                try readMemberKey()
            } else if count + 1 >= limits.arrayCountMax {
                throw JSONError(.arrayLimit, at: position)
            }
            return nil
        }
        if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
            position += 1
            return closeContainer()
        }
        throw unexpected(at: position)
    }

    /// Pops the innermost container and moves its items off the shared stack.
    private mutating func closeContainer() -> JSONValue {
        let frame = current
        depth -= 1
        if depth > 0 { current = enclosing[depth - 1] }
        precondition(items.count - frame.base == frame.count, "one item per element or member")
        if frame.isObject && depth == 0 && keepsTopLevelMembers {
            keepTopLevelMembers(count: frame.count)
            return .object(JSONObject())
        }
        // reserveCapacity and append rather than Array(unsafeUninitializedCapacity:): that one
        // is not specialized here and looks the array's storage type up at run time, in a
        // locked cache, for every container (measured: 7% of decoding a record).
        if frame.isObject {
            var members: [JSONObject.Member] = []
            members.reserveCapacity(frame.count)
            items.moveOut(from: frame.base) { _, member in members.append(member) }
            return .object(JSONObject(canonicalMembers: members))
        }
        var elements: [JSONValue] = []
        elements.reserveCapacity(frame.count)
        items.moveOut(from: frame.base) { _, element in elements.append(element.value) }
        return .array(elements)
    }

    /// Moves the top-level object's members, with their byte ranges, to `topLevelMembers`.
    private mutating func keepTopLevelMembers(count: Int) {
        precondition(memberRanges.count == count, "one range per member")
        topLevelMembers.reserveCapacity(count)
        items.moveOut(from: 0) { index, member in
            let bytes = memberRanges[index]
            topLevelMembers.append(CanonicalJSON.ObjectMember(
                key: member.key, value: bytes.leftInPlace ? nil : member.value,
                range: bytes.start..<bytes.end, valueRange: bytes.valueStart..<bytes.end))
        }
    }
}
