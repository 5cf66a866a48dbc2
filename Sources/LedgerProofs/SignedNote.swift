import LedgerCrypto

/// A C2SP signed note: a text, a blank line, and one or more signature lines.
///
///     <text, one or more lines, each ending in "\n">
///     \n
///     — <name> <base64(keyID || signature)>\n   (one line per signature)
///
/// Format rules (parse and build alike): at most `byteCountMax` bytes of valid UTF-8; no ASCII
/// control characters other than newline; the text is non-empty and ends in a newline; the
/// text and the signatures are split at the last blank line; every signature line is well
/// formed (em dash, space, valid key name, space, canonical base64 of more than 4 bytes); at
/// most `signatureCountMax` signatures; no two with the same name and key ID.
///
/// Verification rules (`verified(by:)`): signatures by keys not in the trusted list are
/// ignored, which lets logs rotate keys and witnesses co-sign; a signature that claims a
/// trusted name and key ID but does not verify rejects the whole note; at least one trusted
/// signature must verify.
public struct SignedNote: Sendable, Equatable {
    public static let byteCountMax = 65_536
    /// The limit golang.org/x/mod/sumdb/note applies too.
    public static let signatureCountMax = 100

    /// The signed text, ending in a newline.
    public let text: String
    public internal(set) var signatures: [NoteSignature]

    /// An unsigned note; sign it with `addSignature(signer:)`.
    public init(text: String) throws(SignedNoteError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .textEmpty }
        guard bytes.count <= SignedNote.byteCountMax else {
            throw .tooLarge(byteCount: bytes.count)
        }
        guard bytes.last == UInt8(ascii: "\n") else { throw .textNotNewlineTerminated }
        if let offset = SignedNote.controlCharacterOffset(bytes[...]) {
            throw .controlCharacter(byteOffset: offset)
        }
        self.text = text
        self.signatures = []
    }

    /// The note as bytes: text, blank line, signature lines.
    public var bytes: [UInt8] {
        var bytes = Array(self.text.utf8)
        bytes.append(UInt8(ascii: "\n"))
        for signature in self.signatures {
            bytes.append(contentsOf: signature.line.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// Signs the text and adds the signature, replacing an earlier one by the same name and
    /// key ID (re-signing is idempotent: Ed25519 is deterministic). Others are kept, so this is
    /// also how a witness co-signs a log's note.
    public mutating func addSignature(signer: NoteSigner) throws(SignedNoteError) {
        let signature = signer.sign(Array(self.text.utf8))
        if let existing = self.signatures.firstIndex(where: { Self.sameKey($0, signature) }) {
            self.signatures[existing] = signature
            return
        }
        guard self.signatures.count < SignedNote.signatureCountMax else {
            throw .tooManySignatures(count: self.signatures.count + 1)
        }
        let byteCount = self.bytes.count + signature.line.utf8.count + 1
        guard byteCount <= SignedNote.byteCountMax else { throw .tooLarge(byteCount: byteCount) }
        self.signatures.append(signature)
    }

    /// The trusted verifiers whose signatures verify, in signature order. Throws when a
    /// signature claiming a trusted key fails, or when no trusted key signed.
    public func verified(by verifiers: [NoteVerifier]) throws(SignedNoteError) -> [NoteVerifier] {
        let message = Array(self.text.utf8)
        var signers: [NoteVerifier] = []
        for signature in self.signatures {
            let candidates = verifiers.filter {
                NoteKeyName.same($0.name, signature.name) && $0.keyID == signature.keyID
            }
            guard let verifier = candidates.first else { continue }  // unknown key: ignored
            guard candidates.allSatisfy({ $0 == verifier }) else {
                throw .ambiguousVerifiers(name: signature.name, keyID: signature.keyID)
            }
            guard verifier.verifies(signature, over: message) else {
                throw .invalidSignature(name: signature.name, keyID: signature.keyID)
            }
            signers.append(verifier)
        }
        guard !signers.isEmpty else { throw .noTrustedSignature }
        return signers
    }

    static func sameKey(_ left: NoteSignature, _ right: NoteSignature) -> Bool {
        NoteKeyName.same(left.name, right.name) && left.keyID == right.keyID
    }

    /// The offset of the first byte below 0x20 other than newline. Bytes of multi-byte UTF-8
    /// sequences are all 0x80 or above, so a byte scan finds exactly the ASCII controls.
    static func controlCharacterOffset(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.firstIndex { $0 < 0x20 && $0 != UInt8(ascii: "\n") }
    }
}
