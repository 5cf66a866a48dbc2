import LedgerCrypto

/// The one hash rule of the log (Specs/log-format.md, section 5).
public enum RecordHash {
    /// Domain separators, one per format version: no other hash we compute starts with these bytes.
    public static let domainPrefixV1: [UInt8] = Array("ledger.record.v1\n".utf8)
    public static let domainPrefixV2: [UInt8] = Array("ledger.record.v2\n".utf8)

    public static func domainPrefix(version: Int64) -> [UInt8] {
        precondition(Record.versions.contains(version), "a format version this code reads")
        return version == 1 ? domainPrefixV1 : domainPrefixV2
    }

    /// The hash of a record whose canonical encoding without its `hash` (and `sig`) member is `canonical`.
    public static func compute(canonicalWithoutHash canonical: [UInt8], version: Int64) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(domainPrefix(version: version))
        hasher.update(canonical)
        return hasher.finalized()
    }

    /// The hash of a canonical line (no final newline) whose `hash` member occupies `hashMember`
    /// and whose `sig` member, if any, occupies `signatureMember` (the members' bytes, not their
    /// trailing commas). Hashes the slices around them in place.
    public static func compute(line: UnsafeRawBufferPointer, version: Int64, hashMember: Range<Int>,
                        signatureMember: Range<Int>?) -> SHA256Digest {
        precondition(hashMember.upperBound < line.count, "the hash member is never the last member")
        precondition(line[hashMember.upperBound] == UInt8(ascii: ","), "a comma follows the hash member")
        var hasher = SHA256()
        hasher.update(domainPrefix(version: version))
        hasher.update(UnsafeRawBufferPointer(rebasing: line[0..<hashMember.lowerBound]))
        guard let signatureMember else {
            hasher.update(UnsafeRawBufferPointer(rebasing: line[(hashMember.upperBound + 1)...]))
            return hasher.finalized()
        }
        precondition(signatureMember.lowerBound > hashMember.upperBound, "sig follows hash in key order")
        precondition(line[signatureMember.upperBound] == UInt8(ascii: ","), "a comma follows the sig member (type follows it)")
        hasher.update(UnsafeRawBufferPointer(rebasing: line[(hashMember.upperBound + 1)..<signatureMember.lowerBound]))
        hasher.update(UnsafeRawBufferPointer(rebasing: line[(signatureMember.upperBound + 1)...]))
        return hasher.finalized()
    }
}
