extension CanonicalJSON {
    /// The canonical bytes of `value`.
    ///
    /// Strings and keys are written in NFC. Precondition (programmer error, traps): every
    /// integer is within `JSONValue.integerRange`. The output is canonical but may exceed a
    /// reader's limits or key policy; use `encodeVerified` when that matters.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        Writer.write(value, into: &buffer, trapsOnOutOfRange: true)
        return buffer
    }

    /// Appends the canonical bytes of `value` to `buffer`; as `encode(_:)`.
    public static func encode(_ value: JSONValue, into buffer: inout [UInt8]) {
        Writer.write(value, into: &buffer, trapsOnOutOfRange: true)
    }

    /// Appends `text` as a canonical JSON string (quoted, escaped, NFC): for a writer that lays
    /// out an object whose members it knows in canonical order (a record's envelope) without
    /// building the object.
    public static func encodeString(_ text: String, into buffer: inout [UInt8]) {
        Writer.writeString(text, into: &buffer)
    }

    /// Appends `number` as a canonical JSON integer; as `encodeString`.
    public static func encodeInteger(_ number: Int64, into buffer: inout [UInt8]) {
        precondition(JSONValue.integerRange.contains(number), "CanonicalJSON: integer \(number) outside ±(2^53-1)")
        Writer.writeInteger(number, into: &buffer)
    }

    /// Encodes, then reads the bytes back in canonical mode with `keys` and `limits` (the pair
    /// assertion before anything is hashed or written). Out-of-range integers, keys outside the
    /// policy and exceeded limits throw here instead of trapping or producing unreadable bytes.
    public static func encodeVerified(
        _ value: JSONValue, keys: JSONKeyPolicy, limits: JSONLimits = .default
    ) throws(JSONError) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        Writer.write(value, into: &buffer, trapsOnOutOfRange: false)
        let decoded = try decode(buffer, mode: .canonical, keys: keys, limits: limits)
        precondition(decoded == value, "CanonicalJSON: decode(encode(value)) != value")
        return buffer
    }
}
