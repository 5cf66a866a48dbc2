import LedgerCrypto

/// Key names and key IDs of C2SP signed notes (as golang.org/x/mod/sumdb/note).
enum NoteKeyName {
    /// The algorithm byte of an Ed25519 key in key texts and key IDs.
    static let ed25519Type: UInt8 = 0x01
    static let byteCountMax = 256

    /// Non-empty, at most `byteCountMax` bytes, no Unicode white space, no '+' (which separates
    /// the fields of a key text), no control characters (which a note may not contain).
    static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= byteCountMax else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar != "+" && !scalar.properties.isWhitespace && scalar.value >= 0x20
        }
    }

    /// The first four bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key).
    static func keyID(name: String, publicKey: Ed25519.PublicKey) -> UInt32 {
        var hasher = SHA256()
        hasher.update(name)
        hasher.update(byte: 0x0A)
        hasher.update(byte: ed25519Type)
        hasher.update(publicKey.bytes)
        let digest = hasher.finalized().bytes
        return digest[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// Names compare as UTF-8 bytes: Swift's `==` on String would equate NFC and NFD spellings,
    /// which have different key IDs and must stay different names.
    static func same(_ left: String, _ right: String) -> Bool {
        left.utf8.elementsEqual(right.utf8)
    }

    static func hex8(_ keyID: UInt32) -> String {
        Hex.encode((0..<4).map { UInt8(truncatingIfNeeded: keyID >> (24 - 8 * UInt32($0))) })
    }

    /// Splits "a+b+rest" into at most `count` fields; the last keeps any further '+', because
    /// the base64 key at the end may contain '+'.
    static func fields(_ text: String, count: Int) -> [String] {
        text.split(separator: "+", maxSplits: count - 1, omittingEmptySubsequences: false).map(
            String.init)
    }
}
