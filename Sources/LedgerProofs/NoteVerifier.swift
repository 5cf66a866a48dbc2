import LedgerCrypto

/// A trusted public key for signed notes, from verifier key text
/// `<name>+<key ID, 8 lowercase hex digits>+<base64(0x01 || 32-byte Ed25519 public key)>`.
public struct NoteVerifier: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let keyID: UInt32
    public let publicKey: Ed25519.PublicKey

    public init(name: String, publicKey: Ed25519.PublicKey) throws(NoteKeyError) {
        guard NoteKeyName.isValid(name) else { throw .invalidName(name) }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteKeyName.keyID(name: name, publicKey: publicKey)
    }

    public init(keyText: String) throws(NoteKeyError) {
        let fields = NoteKeyName.fields(keyText, count: 3)
        guard fields.count == 3 else { throw .missingField }
        let (name, statedKeyID) = try NoteVerifier.parseNameAndKeyID(fields[0], fields[1])
        let key = try NoteVerifier.parseKey(fields[2])
        guard let publicKey = Ed25519.PublicKey(bytes: key) else { throw .invalidPublicKey }
        try self.init(name: name, publicKey: publicKey)
        guard self.keyID == statedKeyID else {
            throw .keyIDMismatch(stated: statedKeyID, computed: self.keyID)
        }
    }

    /// The verifier key text; `NoteVerifier(keyText: v.keyText) == v`.
    public var keyText: String {
        let key = [NoteKeyName.ed25519Type] + self.publicKey.bytes
        return "\(self.name)+\(NoteKeyName.hex8(self.keyID))+\(Base64.encode(key))"
    }

    public var description: String { "\(self.name)+\(NoteKeyName.hex8(self.keyID))" }

    public static func == (left: NoteVerifier, right: NoteVerifier) -> Bool {
        NoteKeyName.same(left.name, right.name) && left.keyID == right.keyID
            && left.publicKey == right.publicKey
    }

    /// Whether this key signed `signature` and it verifies over `text`.
    func verifies(_ signature: NoteSignature, over text: [UInt8]) -> Bool {
        NoteKeyName.same(signature.name, self.name) && signature.keyID == self.keyID
            && Ed25519.verify(
                signature: signature.signature, message: text, publicKey: self.publicKey)
    }

    static func parseNameAndKeyID(
        _ name: String, _ keyIDText: String
    ) throws(NoteKeyError) -> (String, UInt32) {
        guard NoteKeyName.isValid(name) else { throw .invalidName(name) }
        // Exactly 8 lowercase hex digits: the spelling note.GenerateKey writes.
        guard keyIDText.utf8.count == 8, let bytes = Hex.decode(keyIDText) else {
            throw .malformedKeyID(keyIDText)
        }
        return (name, bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    /// base64(0x01 || 32 bytes) -> the 32 bytes.
    static func parseKey(_ text: String) throws(NoteKeyError) -> [UInt8] {
        guard let key = Base64.decode(text), !key.isEmpty else { throw .malformedKeyBase64 }
        guard key[0] == NoteKeyName.ed25519Type else { throw .unsupportedKeyType(key[0]) }
        guard key.count == 33 else { throw .wrongKeyLength(byteCount: key.count - 1) }
        return Array(key.dropFirst())
    }
}

/// Why a key text was refused.
public enum NoteKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not enough '+'-separated fields.
    case missingField
    /// A signer key text that does not start with "PRIVATE+KEY+".
    case missingPrivateKeyPrefix
    /// Empty, or contains white space, '+' or a control character.
    case invalidName(String)
    /// The key ID field is not 8 lowercase hex digits.
    case malformedKeyID(String)
    case malformedKeyBase64
    /// The algorithm byte is not 0x01 (Ed25519), the only type we accept.
    case unsupportedKeyType(UInt8)
    case wrongKeyLength(byteCount: Int)
    /// The public key is not a canonical encoding of a curve point.
    case invalidPublicKey
    /// The key ID in the text is not the one the name and key give.
    case keyIDMismatch(stated: UInt32, computed: UInt32)

    public var description: String {
        switch self {
        case .missingField: "key text needs '+'-separated fields: [PRIVATE+KEY+]name+keyid+key"
        case .missingPrivateKeyPrefix: "signer key text must start with PRIVATE+KEY+"
        case .invalidName(let name):
            "key name '\(name)' is empty or contains white space, '+' or a control character"
        case .malformedKeyID(let text): "key ID '\(text)' is not 8 lowercase hex digits"
        case .malformedKeyBase64: "key is not canonical base64"
        case .unsupportedKeyType(let type): "key type \(type) is not supported (only 1, Ed25519)"
        case .wrongKeyLength(let byteCount): "Ed25519 key is \(byteCount) bytes, expected 32"
        case .invalidPublicKey: "public key is not a valid Ed25519 point encoding"
        case .keyIDMismatch(let stated, let computed):
            "key ID \(NoteKeyName.hex8(stated)) does not match the name and key (\(NoteKeyName.hex8(computed)))"
        }
    }
}
