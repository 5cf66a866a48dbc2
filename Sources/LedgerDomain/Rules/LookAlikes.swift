import LedgerCore

/// The families of identifiers a person reads and types, where a look-alike could pass for
/// another entity: `OP-TRES0RIERE` for `OP-TRESORIERE`, `OP-SECRETAlRE` for `OP-SECRETAIRE`.
enum LookAlikeFamily: Int, CaseIterable, Sendable {
    case operators, parties, territories, funds, bodies, projects
}

/// The skeletons of the identifiers introduced so far, by family, as 64-bit hashes (8 bytes
/// an entity). Two identifiers look alike when their skeletons are equal: the same text once
/// lower-cased, with `o` read as `0`, and `i` and `l` read as `1` (so case, 0/O/o and 1/I/i/l/L
/// do not tell them apart). A hash that matches is confirmed on the texts before a refusal.
struct LookAlikeIndex: Sendable, Equatable {
    private var hashes = [Set<UInt64>](repeating: [], count: LookAlikeFamily.allCases.count)

    func contains(_ text: String, in family: LookAlikeFamily) -> Bool {
        hashes[family.rawValue].contains(Self.skeletonHash(text))
    }

    mutating func insert(_ text: String, in family: LookAlikeFamily) {
        hashes[family.rawValue].insert(Self.skeletonHash(text))
    }

    /// The skeleton of an identifier (ASCII: letters, digits, `. _ : -`).
    static func skeleton(_ text: String) -> [UInt8] {
        text.utf8.map { byte in
            switch byte {
            case UInt8(ascii: "O"), UInt8(ascii: "o"): return UInt8(ascii: "0")
            case UInt8(ascii: "I"), UInt8(ascii: "i"), UInt8(ascii: "L"), UInt8(ascii: "l"): return UInt8(ascii: "1")
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte + 32
            default: return byte
            }
        }
    }

    /// FNV-1a over the skeleton, finished by a mixer: fixed (no per-process seed), so that a
    /// saved state and a fold agree.
    static func skeletonHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in skeleton(text) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ (hash >> 33)) &* 0xff51_afd7_ed55_8ccd
        return hash ^ (hash >> 33)
    }
}

extension FundState {
    /// `I0.look-alike` for a version-2 record introducing `id`: refused if an identifier of
    /// the same family looks like it. Version-1 records are not checked (their verdicts do not
    /// change), but every identifier enters the index.
    func checkLookAlike<Kind, Value>(_ id: Identifier<Kind>, among table: [Identifier<Kind>: Value], _ family: LookAlikeFamily,
                                     _ event: Event) throws(RuleViolation) {
        guard event.record.version >= 2, lookAlikes.contains(id.text, in: family) else { return }
        let skeleton = LookAlikeIndex.skeleton(id.text)
        // A hash that matches by chance is not a look-alike: confirm on the texts.
        guard let existing = table.keys.first(where: { LookAlikeIndex.skeleton($0.text) == skeleton }) else { return }
        throw Rules.lookAlike.violation("\(event.name): \(Kind.noun) \"\(id)\" looks like the existing \(Kind.noun) \"\(existing)\" "
            + "(case, 0/O/o and 1/I/i/l/L read alike); choose an identifier that does not")
    }

    /// Rebuilds the look-alike index from the entities (after a snapshot is loaded).
    mutating func rebuildLookAlikes() {
        var index = LookAlikeIndex()
        for id in operators.keys { index.insert(id.text, in: .operators) }
        for id in parties.keys { index.insert(id.text, in: .parties) }
        for id in territories.keys { index.insert(id.text, in: .territories) }
        for id in fundsByID.keys { index.insert(id.text, in: .funds) }
        for id in bodies.keys { index.insert(id.text, in: .bodies) }
        for id in projects.keys { index.insert(id.text, in: .projects) }
        lookAlikes = index
    }
}
