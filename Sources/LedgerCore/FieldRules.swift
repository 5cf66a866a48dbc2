/// The byte patterns of Specs/log-format.md, section 4, checked without regular expressions
/// (Foundation's are slow and locale-aware; these run once per field per record).
public enum FieldRules {
    /// `^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`: operators, parties and other identifiers.
    /// Every identifier of every record is checked (twice in a rebuild: by the rules and the
    /// projections), so this reads the contiguous bytes through a table.
    public static func isIdentifier(_ text: String) -> Bool {
        withUTF8(text) { isIdentifier(utf8: $0) }
    }

    static func isIdentifier(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, bytes.count <= 64, isAlphanumeric(first) else { return false }
        // Comparisons, not a table: a static table costs a lazy-initialisation check per read,
        // and the rules check every identifier of every record.
        for byte in bytes where !(isAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x3A || byte == 0x2D) { return false }
        return true
    }

    /// `^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`, at most 64 bytes: event types.
    public static func isEventType(_ text: String) -> Bool {
        withUTF8(text) { isEventType(utf8: $0) }
    }

    static func isEventType(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        var atSegmentStart = true
        for byte in bytes {
            if atSegmentStart {
                guard isLowercase(byte) else { return false }
                atSegmentStart = false
            } else if byte == UInt8(ascii: ".") {
                atSegmentStart = true
            } else {
                guard isLowercase(byte) || isDigit(byte) || byte == UInt8(ascii: "_") else { return false }
            }
        }
        return !atSegmentStart
    }

    /// Runs `body` on the UTF-8 of `text` in place: the verifier checks several fields per
    /// record, and stepping through a `String.UTF8View` (or copying it into an array) costs
    /// more than the check itself.
    static func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var text = text
        return text.withUTF8(body)
    }

    /// 1 to 128 printable ASCII characters without space (0x21...0x7E): idempotency keys.
    public static func isIdempotencyKey(_ text: String) -> Bool {
        let bytes = text.utf8
        return (1...128).contains(bytes.count) && bytes.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// 1 to 255 printable ASCII bytes without space or `+`: a ledger's origin (a checkpoint's first line).
    public static func isOrigin(_ text: String) -> Bool {
        let bytes = text.utf8
        return (1...255).contains(bytes.count) && bytes.allSatisfy { (0x21...0x7E).contains($0) && $0 != 0x2B }
    }

    /// `^[A-Z]{3}$`: an ISO 4217 currency code.
    public static func isCurrencyCode(_ text: String) -> Bool {
        let bytes = text.utf8
        return bytes.count == 3 && bytes.allSatisfy { (0x41...0x5A).contains($0) }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || isLowercase(byte) || (0x41...0x5A).contains(byte)
    }

    static func isLowercase(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }
    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
}
