import LedgerCrypto

extension SignedNote {
    /// Parses a signed note strictly (see the format rules on `SignedNote`); it does not check
    /// any signature: call `verified(by:)`. `parse(b).bytes == b` for every accepted `b`.
    public static func parse(_ bytes: [UInt8]) throws(SignedNoteError) -> SignedNote {
        guard bytes.count <= byteCountMax else { throw .tooLarge(byteCount: bytes.count) }
        guard let whole = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        if let offset = controlCharacterOffset(bytes[...]) {
            throw .controlCharacter(byteOffset: offset)
        }
        // The signature block starts after the last blank line ("\n\n").
        guard let split = lastBlankLine(bytes) else { throw .missingSignatureBlock }
        let textEnd = split + 1
        let block = bytes[(split + 2)...]
        guard !block.isEmpty else { throw .missingSignatureBlock }
        guard block.last == UInt8(ascii: "\n") else { throw .signatureBlockNotNewlineTerminated }
        var note = try SignedNote(text: String(decoding: bytes[..<textEnd], as: UTF8.self))
        let textLineCount = bytes[..<textEnd].count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let lines = block.dropLast().split(
            separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count <= signatureCountMax else { throw .tooManySignatures(count: lines.count) }
        for (offset, line) in lines.enumerated() {
            guard let signature = NoteSignature.parse(line: line) else {
                throw .malformedSignatureLine(lineNumber: textLineCount + 1 + offset)
            }
            guard !note.signatures.contains(where: { sameKey($0, signature) }) else {
                throw .duplicateSignature(name: signature.name, keyID: signature.keyID)
            }
            note.signatures.append(signature)
        }
        assert(
            note.bytes == bytes && whole.utf8.count == bytes.count, "strict parsing must round-trip"
        )
        return note
    }

    /// The index of the first "\n" of the last "\n\n" in `bytes`.
    private static func lastBlankLine(_ bytes: [UInt8]) -> Int? {
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == UInt8(ascii: "\n") && bytes[index + 1] == UInt8(ascii: "\n") {
                return index
            }
            index -= 1
        }
        return nil
    }
}

/// Why a signed note was refused. Line numbers are 1-based; offsets are 0-based bytes.
public enum SignedNoteError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLarge(byteCount: Int)
    case invalidUTF8
    case controlCharacter(byteOffset: Int)
    case textEmpty
    case textNotNewlineTerminated
    /// No blank line followed by signature lines.
    case missingSignatureBlock
    case signatureBlockNotNewlineTerminated
    case malformedSignatureLine(lineNumber: Int)
    case tooManySignatures(count: Int)
    case duplicateSignature(name: String, keyID: UInt32)
    /// No signature by a trusted key (all were by unknown keys, or there were none).
    case noTrustedSignature
    /// A signature claims a trusted name and key ID but does not verify.
    case invalidSignature(name: String, keyID: UInt32)
    /// The trusted list holds different keys with the same name and key ID.
    case ambiguousVerifiers(name: String, keyID: UInt32)

    public var description: String {
        switch self {
        case .tooLarge(let byteCount):
            "note is \(byteCount) bytes, more than \(SignedNote.byteCountMax)"
        case .invalidUTF8: "note is not valid UTF-8"
        case .controlCharacter(let offset): "note has a control character at byte \(offset)"
        case .textEmpty: "note text is empty"
        case .textNotNewlineTerminated: "note text does not end in a newline"
        case .missingSignatureBlock: "note has no blank line followed by signature lines"
        case .signatureBlockNotNewlineTerminated:
            "note's last signature line does not end in a newline"
        case .malformedSignatureLine(let lineNumber):
            "note line \(lineNumber) is not a well-formed signature line"
        case .tooManySignatures(let count):
            "note has \(count) signatures, more than \(SignedNote.signatureCountMax)"
        case .duplicateSignature(let name, let keyID):
            "note has two signatures by \(name)+\(NoteKeyName.hex8(keyID))"
        case .noTrustedSignature: "note has no signature by a trusted key"
        case .invalidSignature(let name, let keyID):
            "signature by trusted key \(name)+\(NoteKeyName.hex8(keyID)) does not verify"
        case .ambiguousVerifiers(let name, let keyID):
            "trusted keys include different keys named \(name)+\(NoteKeyName.hex8(keyID))"
        }
    }
}
