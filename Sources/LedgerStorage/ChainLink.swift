#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto

/// The members of a record line that chain it (`seq`, `prev`, `hash`), found by position
/// instead of a JSON parse, and the record hash recomputed over the line's own bytes.
///
/// This is the light check of the proof caches (Specs/proofs.md, section 9): it costs one
/// SHA-256 over the line, about a tenth of `ChainVerifier.accept`, and it is enough to bind every
/// cached leaf to the bytes of the log and to the record before it. It is not verification: a
/// line can pass it and still be non-canonical, off-schema or against the fund's rules, which
/// only `ledger verify` sees. In a canonical record the members are sorted, so the line starts
/// `{"actor":"…","effective":"…","hash":"…",` and ends `,"prev":"…","recorded_at":"…",
/// "seq":N,"type":"…","v":1}`, or in version 2 `…,"seq":N,"sig":"…","type":"…","v":2}` (the
/// signature only on an append's last record); `actor`, `effective`, `recorded_at`, `sig` and
/// `type` cannot contain a quote, so both ends are read without looking at the payload.
struct ChainLink {
    let seq: UInt64
    /// Where the 64 hex digits of `prev` and of the stored `hash` lie in the line.
    let prevHex: Range<Int>
    let hashHex: Range<Int>
    /// The stored `hash`, already checked against the hash of the line's bytes.
    let hash: RawDigest

    /// Why a line is not a chain link, for the message naming it.
    enum Problem: Error, Equatable {
        case shape(String)
        case hashMismatch(stored: SHA256Digest, computed: SHA256Digest)
    }

    static let actorBytesMax = 64
    static let typeBytesMax = 64
    static let seqDigitsMax = 16

    /// The links of a batch's lines, parsed on every core when there are enough of them.
    static func parse(_ batch: LogScanner.Batch) -> [Result<ChainLink, Problem>] {
        ParallelWork.map(count: batch.lines.count, parts: batch.lines.count >= 1_024 ? ParallelWork.cores : 1) { index in
            let line = UnsafeRawBufferPointer(rebasing: batch.buffer[batch.lines[index]])
            return Result { () throws(Problem) in try parse(line) }
        }
    }

    /// Parses `line` (without its newline) and checks its hash; throws what is wrong.
    static func parse(_ line: UnsafeRawBufferPointer) throws(Problem) -> ChainLink {
        let reader = LineReader(line: line)
        let hashMember = try reader.readFront()
        let back = try reader.readBack(after: hashMember.upperBound)
        let hashStart = hashMember.lowerBound + 8
        let stored = try reader.digest(at: hashStart)
        // Specs/log-format.md section 5: the line without `"hash":"<hex>",` (and `"sig":"…",`),
        // after the version's prefix.
        let computed = RecordHash.compute(line: line, version: back.version, hashMember: hashMember,
                                          signatureMember: back.signatureMember)
        guard stored.equals(computed) else { throw .hashMismatch(stored: stored.digest, computed: computed) }
        return ChainLink(seq: back.seq, prevHex: back.prevStart..<back.prevStart + 64, hashHex: hashStart..<hashStart + 64, hash: stored)
    }
}

/// 32 digest bytes held inline, built without a heap allocation or a generic call: the cache
/// build makes two of these per record.
struct RawDigest {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    init(_ digest: SHA256Digest) {
        digest.withUnsafeBytes { source in
            Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) }
        }
    }

    var digest: SHA256Digest { Swift.withUnsafeBytes(of: words) { SHA256Digest(copying: $0) } }

    /// SHA-256(0x00 || these bytes): the record's Merkle leaf.
    var leafHash: SHA256Digest { RecordLeaf.hash(digest) }

    func equals(_ digest: SHA256Digest) -> Bool {
        digest.withUnsafeBytes { other in
            Swift.withUnsafeBytes(of: words) { memcmp($0.baseAddress!, other.baseAddress!, 32) == 0 }
        }
    }
}

/// Reads the fixed front and back of a record line; every method checks bounds first.
struct LineReader {
    let line: UnsafeRawBufferPointer

    static let front = Array(#"{"actor":""#.utf8)
    static let effective = Array(#"","effective":""#.utf8)
    static let hash = Array(#"","hash":""#.utf8)
    static let versionKey = Array(#","v":"#.utf8)
    static let signature = Array(#","sig":""#.utf8)
    static let signatureBase64Bytes = 88
    static let type = Array(#","type":""#.utf8)
    static let seq = Array(#","seq":"#.utf8)
    static let recordedAt = Array(#","recorded_at":""#.utf8)
    static let prev = Array(#","prev":""#.utf8)
    static let dateBytes = 10
    static let timestampBytes = 27
    static let digestHexBytes = 64

    func matches(_ literal: [UInt8], at position: Int) -> Bool {
        guard position >= 0, position + literal.count <= line.count else { return false }
        for (offset, byte) in literal.enumerated() where line[position + offset] != byte { return false }
        return true
    }

    /// The range of `"hash":"<64 hex>"` (the comma after it excluded, but required).
    func readFront() throws(ChainLink.Problem) -> Range<Int> {
        guard matches(Self.front, at: 0) else { throw .shape("does not start with {\"actor\":") }
        var position = Self.front.count
        let actorStart = position
        while position < line.count, line[position] != UInt8(ascii: "\""),
              position - actorStart <= ChainLink.actorBytesMax {
            guard Self.isIdentifierByte(line[position]) else { throw .shape("actor is not an identifier") }
            position += 1
        }
        guard position > actorStart, position - actorStart <= ChainLink.actorBytesMax else {
            throw .shape("actor is empty or too long")
        }
        guard matches(Self.effective, at: position) else { throw .shape("\"effective\" does not follow \"actor\"") }
        position += Self.effective.count + Self.dateBytes
        guard matches(Self.hash, at: position) else { throw .shape("\"hash\" does not follow \"effective\"") }
        let memberStart = position + 2  // the quote that opens "hash"
        let memberEnd = position + Self.hash.count + Self.digestHexBytes + 1
        guard memberEnd < line.count, line[memberEnd - 1] == UInt8(ascii: "\""),
              line[memberEnd] == UInt8(ascii: ",") else {
            throw .shape("the hash is not 64 hex digits followed by a comma")
        }
        precondition(memberEnd - memberStart == 73, "\"hash\":\"<64 hex>\" is 73 bytes")
        return memberStart..<memberEnd
    }

    /// What the back of a line holds: the version, the `sig` member's range (version 2, an
    /// append's last record), `seq`, and where the hex digits of `prev` start.
    struct Back {
        let version: Int64
        let signatureMember: Range<Int>?
        let seq: UInt64
        let prevStart: Int
    }

    /// The back of the line, read backwards from its end; it must lie after `frontEnd`. The
    /// digits of `prev` are compared, not decoded, by the caller.
    func readBack(after frontEnd: Int) throws(ChainLink.Problem) -> Back {
        // ,"v":1} or ,"v":2}
        var end = line.count - Self.versionKey.count - 2
        guard end > frontEnd, matches(Self.versionKey, at: end), line[line.count - 1] == UInt8(ascii: "}"),
              line[line.count - 2] == UInt8(ascii: "1") || line[line.count - 2] == UInt8(ascii: "2") else {
            throw .shape("does not end with ,\"v\":1} or ,\"v\":2}")
        }
        let version = Int64(line[line.count - 2] - UInt8(ascii: "0"))
        // "type":"<type>"
        guard line[end - 1] == UInt8(ascii: "\"") else { throw .shape("\"type\" is not a string") }
        var position = end - 1
        while position > frontEnd, line[position - 1] != UInt8(ascii: "\""), end - position <= ChainLink.typeBytesMax + 1 {
            position -= 1
        }
        guard matches(Self.type, at: position - Self.type.count) else { throw .shape("\"type\" is not before \"v\"") }
        end = position - Self.type.count
        // "sig":"<88 base64>", in version 2 only
        var signatureMember: Range<Int>?
        let signatureStart = end - 1 - Self.signatureBase64Bytes - Self.signature.count
        if version >= 2, signatureStart > frontEnd, line[end - 1] == UInt8(ascii: "\""), matches(Self.signature, at: signatureStart) {
            signatureMember = (signatureStart + 1)..<end
            end = signatureStart
        }
        // "seq":<digits>
        position = end
        while position > frontEnd, Self.isDigit(line[position - 1]), end - position <= ChainLink.seqDigitsMax {
            position -= 1
        }
        guard position < end, matches(Self.seq, at: position - Self.seq.count) else {
            throw .shape("\"seq\" is not an integer before \"type\"")
        }
        guard let seq = Self.decimal(UnsafeRawBufferPointer(rebasing: line[position..<end])) else {
            throw .shape("\"seq\" is not a canonical integer")
        }
        end = position - Self.seq.count
        // "recorded_at":"<27 bytes>"
        position = end - 1 - Self.timestampBytes
        guard position > frontEnd, line[end - 1] == UInt8(ascii: "\""),
              matches(Self.recordedAt, at: position - Self.recordedAt.count) else {
            throw .shape("\"recorded_at\" is not before \"seq\"")
        }
        end = position - Self.recordedAt.count
        // "prev":"<64 hex>"
        position = end - 1 - Self.digestHexBytes
        guard position - Self.prev.count > frontEnd, line[end - 1] == UInt8(ascii: "\""),
              matches(Self.prev, at: position - Self.prev.count) else {
            throw .shape("\"prev\" is not before \"recorded_at\"")
        }
        return Back(version: version, signatureMember: signatureMember, seq: seq, prevStart: position)
    }

    /// 64 lowercase hex digits at `position`, as digest bytes: eight digits at a time in a
    /// 64-bit word (this runs once per record when a cache is built).
    func digest(at position: Int) throws(ChainLink.Problem) -> RawDigest {
        guard position >= 0, position + Self.digestHexBytes <= line.count else { throw .shape("a hash is cut short") }
        var digest = RawDigest()
        let valid = withUnsafeMutableBytes(of: &digest.words) { bytes in
            for word in 0..<8 {
                let digits = UInt64(littleEndian: line.loadUnaligned(fromByteOffset: position + 8 * word, as: UInt64.self))
                guard let value = Self.hexWord(digits) else { return false }
                bytes.storeBytes(of: value.littleEndian, toByteOffset: 4 * word, as: UInt32.self)
            }
            return true
        }
        guard valid else { throw .shape("a hash is not lowercase hex") }
        return digest
    }

    /// Eight ASCII hex digits (the first in the low byte) as four bytes (the first digit pair in
    /// the low byte), or nil unless every byte is in `0-9` or `a-f`. Per byte, for 0x00-0x7F:
    /// `b + (0x80 - low)` has its high bit set when `b >= low`, `b + (0x7F - high)` when
    /// `b > high`; no byte carries into the next.
    @inline(__always)
    static func hexWord(_ digits: UInt64) -> UInt32? {
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits = ones &* 0x80
        guard digits & highBits == 0 else { return nil }
        let isDigit = (digits &+ ones &* 0x50) & ~(digits &+ ones &* 0x46)
        let isLetter = (digits &+ ones &* 0x1F) & ~(digits &+ ones &* 0x19)
        guard (isDigit | isLetter) & highBits == highBits else { return nil }
        // '0'-'9' are 0x30-0x39, 'a'-'f' 0x61-0x66: low nibble, plus 9 when bit 6 is set.
        let nibbles = (digits & (ones &* 0x0F)) &+ ((digits >> 6) & ones) &* 9
        // Byte i becomes nibble i << 4 | nibble i+1; the even bytes are the result.
        let pairs = (nibbles << 4) | (nibbles >> 8)
        let packed = (pairs & 0xFF) | ((pairs >> 8) & 0xFF00) | ((pairs >> 16) & 0xFF_0000) | ((pairs >> 24) & 0xFF00_0000)
        return UInt32(truncatingIfNeeded: packed)
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: "-")
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Digits without a leading zero (except "0" itself), at most 2^53 - 1.
    static func decimal(_ digits: UnsafeRawBufferPointer) -> UInt64? {
        guard !digits.isEmpty, digits.count == 1 || digits[0] != UInt8(ascii: "0") else { return nil }
        var value: UInt64 = 0
        for digit in digits { value = value * 10 + UInt64(digit - UInt8(ascii: "0")) }
        return value <= (1 << 53) - 1 ? value : nil
    }
}
