/// The canonical writer: iterative (an explicit stack), appending into one buffer.
enum Writer {
    private struct Frame {
        var elements: [JSONValue] = []
        var members: [JSONObject.Member] = []
        let isObject: Bool
        var next = 1  // the first item is written when the frame is pushed
    }

    static func write(_ root: JSONValue, into buffer: inout [UInt8], trapsOnOutOfRange: Bool) {
        var stack: [Frame] = []
        var pending: JSONValue? = root
        while true {
            if let value = pending {
                pending = nil
                switch value {
                case .null: append("null", to: &buffer)
                case .bool(let flag): append(flag ? "true" : "false", to: &buffer)
                case .integer(let number):
                    precondition(!trapsOnOutOfRange || JSONValue.integerRange.contains(number),
                                 "CanonicalJSON: integer \(number) outside ±(2^53-1)")
                    writeInteger(number, into: &buffer)
                case .string(let text): writeString(text, into: &buffer)
                case .array(let elements) where elements.isEmpty: append("[]", to: &buffer)
                case .object(let object) where object.isEmpty: append("{}", to: &buffer)
                case .array(let elements):
                    buffer.append(UInt8(ascii: "["))
                    stack.append(Frame(elements: elements, isObject: false))
                    pending = elements[0]
                case .object(let object):
                    buffer.append(UInt8(ascii: "{"))
                    writeKey(object.members[0].key, into: &buffer)
                    stack.append(Frame(members: object.members, isObject: true))
                    pending = object.members[0].value
                }
                continue
            }
            guard let top = stack.indices.last else { return }
            pending = advance(&stack[top], into: &buffer)
            if pending == nil { stack.removeLast() }
        }
    }

    /// Writes the separator and returns the frame's next value, or closes it and returns nil.
    private static func advance(_ frame: inout Frame, into buffer: inout [UInt8]) -> JSONValue? {
        let index = frame.next
        if frame.isObject {
            guard index < frame.members.count else {
                buffer.append(UInt8(ascii: "}"))
                return nil
            }
            buffer.append(UInt8(ascii: ","))
            writeKey(frame.members[index].key, into: &buffer)
            frame.next = index + 1
            return frame.members[index].value
        }
        guard index < frame.elements.count else {
            buffer.append(UInt8(ascii: "]"))
            return nil
        }
        buffer.append(UInt8(ascii: ","))
        frame.next = index + 1
        return frame.elements[index]
    }

    private static func append(_ literal: StaticString, to buffer: inout [UInt8]) {
        literal.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    private static func writeKey(_ key: String, into buffer: inout [UInt8]) {
        writeString(key, into: &buffer)
        buffer.append(UInt8(ascii: ":"))
    }

    /// Shortest decimal: optional '-', no leading zeros, no '+'. Int64.min is handled via
    /// `magnitude` although no in-range value needs it.
    static func writeInteger(_ number: Int64, into buffer: inout [UInt8]) {
        if number < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude != 0
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// The string in NFC, quoted and minimally escaped as ECMAScript JSON.stringify does.
    static func writeString(_ text: String, into buffer: inout [UInt8]) {
        // Fast path: ASCII (always NFC) in contiguous storage, checked and written in one visit.
        let written = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            let bytes = UnsafeRawBufferPointer(utf8)
            guard Normalization.isASCII(bytes) else { return false }
            writeEscaped(bytes, into: &buffer)
            return true
        }
        if written == true { return }
        if Normalization.isTriviallyNFC(text) {
            var copy = text
            copy.withUTF8 { writeEscaped(UnsafeRawBufferPointer($0), into: &buffer) }
            return
        }
        var normalized = Normalization.nfc(text)
        normalized.makeContiguousUTF8()
        let done: Void? = normalized.utf8.withContiguousStorageIfAvailable { utf8 in
            writeEscaped(UnsafeRawBufferPointer(utf8), into: &buffer)
        }
        precondition(done != nil, "makeContiguousUTF8 gives contiguous storage")
    }

    private static func writeEscaped(_ bytes: UnsafeRawBufferPointer, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        var runStart = 0
        while true {
            let index = ByteScan.firstSpecial(bytes, from: runStart, to: bytes.count,
                                              stopsAtNonASCII: false)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            guard index < bytes.count else { break }
            appendEscape(bytes[index], to: &buffer)
            runStart = index + 1
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// The one canonical escape for each byte that must be escaped.
    private static func appendEscape(_ byte: UInt8, to buffer: inout [UInt8]) {
        let short: UInt8? = switch byte {
        case 0x22: UInt8(ascii: "\"")
        case 0x5C: UInt8(ascii: "\\")
        case 0x08: UInt8(ascii: "b")
        case 0x09: UInt8(ascii: "t")
        case 0x0A: UInt8(ascii: "n")
        case 0x0C: UInt8(ascii: "f")
        case 0x0D: UInt8(ascii: "r")
        default: nil
        }
        buffer.append(UInt8(ascii: "\\"))
        if let short {
            buffer.append(short)
            return
        }
        precondition(byte < 0x20, "only control characters take a \\u escape")
        let hex: StaticString = "0123456789abcdef"
        buffer.append(UInt8(ascii: "u"))
        buffer.append(UInt8(ascii: "0"))
        buffer.append(UInt8(ascii: "0"))
        hex.withUTF8Buffer { digits in
            buffer.append(digits[Int(byte >> 4)])
            buffer.append(digits[Int(byte & 0x0F)])
        }
    }
}
