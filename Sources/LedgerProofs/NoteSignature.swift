import LedgerCrypto

/// One signature line of a signed note: `— <name> <base64(key ID, 4 bytes big-endian || signature)>`.
public struct NoteSignature: Sendable, Equatable {
    public let name: String
    public let keyID: UInt32
    /// The signature bytes after the key ID: 64 for Ed25519, any non-empty length for the key
    /// types we do not know (their lines are kept and ignored).
    public let signature: [UInt8]

    /// The line, without its newline; the em dash is U+2014.
    public var line: String {
        let keyIDBytes = (0..<4).map {
            UInt8(truncatingIfNeeded: self.keyID >> (24 - 8 * UInt32($0)))
        }
        return "\u{2014} \(self.name) \(Base64.encode(keyIDBytes + self.signature))"
    }

    static let linePrefix: [UInt8] = Array("\u{2014} ".utf8)

    /// Parses one line (without its newline); nil when malformed.
    static func parse(line: ArraySlice<UInt8>) -> NoteSignature? {
        guard line.starts(with: linePrefix) else { return nil }
        let rest = line.dropFirst(linePrefix.count)
        guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        // A second space lands in the base64 part, which then fails to decode.
        guard NoteKeyName.isValid(name),
            let blob = Base64.decode(String(decoding: rest[(space + 1)...], as: UTF8.self)),
            blob.count > 4
        else { return nil }
        let keyID = blob[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return NoteSignature(name: name, keyID: keyID, signature: Array(blob.dropFirst(4)))
    }
}
