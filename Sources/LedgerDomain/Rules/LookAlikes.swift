import LedgerCore
import LedgerCrypto

/// The families of identifiers a person reads and types, where a look-alike could pass for
/// another entity: `OP-TRES0RIERE` for `OP-TRESORIERE`, `OP-SECRETAlRE` for `OP-SECRETAIRE`.
enum LookAlikeFamily: Int, CaseIterable, Sendable {
    case operators, parties, territories, funds, bodies, projects
}

/// The identifiers introduced so far, by family and skeleton: two identifiers look alike when
/// their skeletons are equal (the same text once lower-cased, with `o` read as `0`, and `i` and
/// `l` read as `1`, so case, 0/O/o and 1/I/i/l/L do not tell them apart). A bulk table, read in
/// place like the entities (a fund has tens of thousands of parties and projects), keyed by the
/// family and a 64-bit hash of the skeleton; a row lists the identifiers of that key, and a
/// refusal is confirmed on their skeletons, never on the hash alone.
struct LookAlikeIndex: Sendable, Equatable {
    var table = BulkMap<LookAlikeKind, LookAlikeTexts>(.lookAlikes)

    /// An identifier of `family` other than `text` that looks like it, if any.
    func existing(lookingLike text: String, in family: LookAlikeFamily) -> String? {
        table[Self.key(text, family)]?.first(where: { $0 != text && Self.sameSkeleton($0, text) })
    }

    mutating func insert(_ text: String, in family: LookAlikeFamily) {
        let key = Self.key(text, family)
        let known = table.modifyIfPresent(key) { if $0.first(where: { $0 == text }) == nil { $0.others.append(text) } }
        if !known { table.setRecent(key, LookAlikeTexts(first: text)) }
    }

    /// `F-HHHHHHHHHHH`: the family's number, then the skeleton's 64-bit hash in 11 characters of
    /// base64url (RFC 4648 section 5): its first 4 bits, then 6 at a time. 13 bytes, which Swift
    /// keeps inside the string, where the 16 hexadecimal digits it was took a heap allocation
    /// per key (a fund has tens of thousands of parties and projects). Each new identifier
    /// computes it twice, so it is written in place: no skeleton array, no intermediate strings.
    static func key(_ text: String, _ family: LookAlikeFamily) -> Identifier<LookAlikeKind> {
        precondition(family.rawValue < 10, "a family's number is one digit")
        let hash = skeletonHash(text)
        let keyText = String(unsafeUninitializedCapacity: 13) { bytes in
            bytes[0] = UInt8(ascii: "0") + UInt8(family.rawValue)
            bytes[1] = UInt8(ascii: "-")
            bytes[2] = Base64.urlSafeCharacter(Int(hash >> 60))
            for index in 0..<10 {
                bytes[3 + index] = Base64.urlSafeCharacter(Int(truncatingIfNeeded: hash >> UInt64(54 - 6 * index)) & 63)
            }
            return 13
        }
        return Identifier(checkedText: keyText)
    }

    /// A byte of an identifier's skeleton (ASCII: letters, digits, `. _ : -`).
    @inline(__always)
    static func skeletonByte(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "O"), UInt8(ascii: "o"): return UInt8(ascii: "0")
        case UInt8(ascii: "I"), UInt8(ascii: "i"), UInt8(ascii: "L"), UInt8(ascii: "l"): return UInt8(ascii: "1")
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte + 32
        default: return byte
        }
    }

    /// True when `a` and `b` have the same skeleton.
    static func sameSkeleton(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { skeletonByte($0) == skeletonByte($1) }
    }

    /// FNV-1a over the skeleton, finished by a mixer: fixed (no per-process seed), so that a
    /// saved state and a fold agree.
    static func skeletonHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(skeletonByte(byte))) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ (hash >> 33)) &* 0xff51_afd7_ed55_8ccd
        return hash ^ (hash >> 33)
    }
}

/// The identifiers of one row of the look-alike table (more than one only when skeletons
/// collide on their hash, or version-1 records introduced look-alikes): the first held in the
/// row, the others in an array that stays empty, and so unallocated, in all but those rows (an
/// array per row was a heap allocation for each of tens of thousands of identifiers).
struct LookAlikeTexts: Sendable, Equatable {
    let first: String
    var others: [String] = []

    /// The first text that `matches`, without making the array of them all.
    func first(where matches: (String) -> Bool) -> String? {
        matches(first) ? first : others.first(where: matches)
    }

    init(first: String) { self.first = first }

    /// Nil for no texts.
    init?(texts: [String]) {
        guard let first = texts.first else { return nil }
        (self.first, self.others) = (first, Array(texts.dropFirst()))
    }
}

extension FundState {
    /// `I0.look-alike` for a version-2 record introducing `id`: refused if an identifier of
    /// the same family looks like it. Version-1 records are not checked (their verdicts do not
    /// change), but every identifier enters the index.
    func checkLookAlike<Kind>(_ id: Identifier<Kind>, _ family: LookAlikeFamily, _ event: Event) throws(RuleViolation) {
        guard event.record.version >= 2 else { return }
        let existing = lookAlikes.existing(lookingLike: id.text, in: family)
        if lookAlikes.table.isDamaged { throw Self.damagedBase }
        guard let existing else { return }
        throw Rules.lookAlike.violation("\(event.name): \(Kind.noun) \"\(id)\" looks like the existing \(Kind.noun) \"\(existing)\" "
            + "(case, 0/O/o and 1/I/i/l/L read alike); choose an identifier that does not")
    }
}
