import LedgerCrypto

/// A signing key for signed notes, from signer key text
/// `PRIVATE+KEY+<name>+<key ID, 8 lowercase hex>+<base64(0x01 || 32-byte Ed25519 seed)>`.
/// The key ID is that of the public key, as in golang.org/x/mod/sumdb/note.
public struct NoteSigner: Sendable, CustomStringConvertible {
    public let verifier: NoteVerifier
    private let privateKey: Ed25519.PrivateKey

    public var name: String { self.verifier.name }
    /// The Ed25519 key itself, for signatures other than notes (an operator's appends sign
    /// their own domain-separated bytes, Specs/log-format.md section 10). Its description never
    /// prints the seed.
    public var ed25519Key: Ed25519.PrivateKey { self.privateKey }
    public var keyID: UInt32 { self.verifier.keyID }

    public init(name: String, privateKey: Ed25519.PrivateKey) throws(NoteKeyError) {
        self.verifier = try NoteVerifier(name: name, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    public init(keyText: String) throws(NoteKeyError) {
        let fields = NoteKeyName.fields(keyText, count: 5)
        guard fields.count >= 2, fields[0] == "PRIVATE", fields[1] == "KEY" else {
            throw .missingPrivateKeyPrefix
        }
        guard fields.count == 5 else { throw .missingField }
        let (name, statedKeyID) = try NoteVerifier.parseNameAndKeyID(fields[2], fields[3])
        let seed = try NoteVerifier.parseKey(fields[4])
        try self.init(name: name, privateKey: Ed25519.PrivateKey(seed: seed))
        guard self.keyID == statedKeyID else {
            throw .keyIDMismatch(stated: statedKeyID, computed: self.keyID)
        }
    }

    /// A new key pair named `name`, as (signer key text, verifier key text).
    public static func generate<R: RandomNumberGenerator>(
        name: String, using generator: inout R
    ) throws(NoteKeyError) -> (signerKeyText: String, verifierKeyText: String) {
        let signer = try NoteSigner(name: name, privateKey: .generate(using: &generator))
        return (signer.keyText, signer.verifier.keyText)
    }

    /// A new key pair from the system's secure random source.
    public static func generate(
        name: String
    ) throws(NoteKeyError) -> (signerKeyText: String, verifierKeyText: String) {
        var generator = SystemRandomNumberGenerator()
        return try generate(name: name, using: &generator)
    }

    /// The secret key text. Private: it leaves only through `generate`.
    private var keyText: String {
        let key = [NoteKeyName.ed25519Type] + self.privateKey.seed
        return "PRIVATE+KEY+\(self.name)+\(NoteKeyName.hex8(self.keyID))+\(Base64.encode(key))"
    }

    /// Never prints the secret.
    public var description: String { "NoteSigner(\(self.verifier))" }

    func sign(_ text: [UInt8]) -> NoteSignature {
        NoteSignature(name: self.name, keyID: self.keyID, signature: self.privateKey.sign(text))
    }
}
