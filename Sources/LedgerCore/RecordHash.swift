import LedgerCrypto

/// The one hash rule of the log (Specs/log-format.md, section 5).
public enum RecordHash {
    /// Domain separator: no other hash we compute starts with these bytes.
    public static let domainPrefix: [UInt8] = Array("ledger.record.v1\n".utf8)

    /// The hash of a record whose canonical encoding without its `hash` member is `canonical`.
    public static func compute(canonicalWithoutHash canonical: [UInt8]) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(domainPrefix)
        hasher.update(canonical)
        return hasher.finalized()
    }

    /// The hash of a canonical line (no final newline) whose `hash` member occupies `hashMember`
    /// (the member's bytes, not its trailing comma). Hashes the two slices around it in place.
    static func compute(line: UnsafeRawBufferPointer, hashMember: Range<Int>) -> SHA256Digest {
        precondition(hashMember.upperBound < line.count, "the hash member is never the last member")
        precondition(line[hashMember.upperBound] == UInt8(ascii: ","), "a comma follows the hash member")
        var hasher = SHA256()
        hasher.update(domainPrefix)
        hasher.update(UnsafeRawBufferPointer(rebasing: line[0..<hashMember.lowerBound]))
        hasher.update(UnsafeRawBufferPointer(rebasing: line[(hashMember.upperBound + 1)...]))
        return hasher.finalized()
    }
}
