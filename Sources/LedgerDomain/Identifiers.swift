import LedgerCore

/// What an identifier names: its noun appears in rule messages ("unknown party P-0042").
public protocol IdentifierKind {
    static var noun: String { get }
}

/// An identifier of one kind of entity: a party can never be passed where a fund is expected.
/// The text matches `FieldRules.isIdentifier` (letters, digits, `. _ : -`, at most 64 bytes), so
/// no e-mail address (`@`) or spaced name can be one.
public struct Identifier<Kind: IdentifierKind>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let text: String

    /// Nil unless `text` is an identifier.
    public init?(_ text: String) {
        guard FieldRules.isIdentifier(text) else { return nil }
        self.text = text
    }

    /// An identifier of a text already found to be one (`FieldRules.isIdentifier` is the same for
    /// every kind): snapshots check each interned text once, not at each of its citations.
    init(checkedText text: String) {
        assert(FieldRules.isIdentifier(text), "a checked identifier text")
        self.text = text
    }

    public var description: String { text }

    /// Byte order (identifiers are ASCII), read where the bytes lie: through the UTF-8 views,
    /// a report that sorts 48,000 projects spent 40 ms comparing.
    public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
        var (left, right) = (lhs.text, rhs.text)
        return left.withUTF8 { a in
            right.withUTF8 { b in
                for index in 0..<min(a.count, b.count) where a[index] != b[index] { return a[index] < b[index] }
                return a.count < b.count
            }
        }
    }

    /// What a dictionary keyed by identifiers hashes: the bytes eight at a time, each word
    /// folded in by a multiply and a rotation, started from the process's seed and the length
    /// and finished by a 64-bit mixer (so the low bits a table uses depend on every byte).
    /// SipHash through `Hasher` cost a tenth of a rebuild's time in hash tables of a million
    /// references, and FNV-1a a byte at a time still two percent of `verify`; an identifier
    /// is at most 64 bytes of a fixed alphabet.
    public func _rawHashValue(seed: Int) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var hash = 0x9e37_79b9_7f4a_7c15 ^ UInt64(bitPattern: Int64(seed)) ^ UInt64(bytes.count)
            var offset = 0
            while offset + 8 <= bytes.count {
                let word = UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self)
                hash = ((hash ^ word) &* 0xff51_afd7_ed55_8ccd).rotatedLeft(29)
                offset += 8
            }
            if offset < bytes.count {
                var word: UInt64 = 0
                for index in offset..<bytes.count { word |= UInt64(bytes[index]) << UInt64(8 * (index - offset)) }
                hash = ((hash ^ word) &* 0xff51_afd7_ed55_8ccd).rotatedLeft(29)
            }
            hash = (hash ^ (hash >> 33)) &* 0xff51_afd7_ed55_8ccd
            hash = (hash ^ (hash >> 33)) &* 0xc4ce_b9fe_1a85_ec53
            return Int(truncatingIfNeeded: hash ^ (hash >> 33))
        }
    }
}

private extension UInt64 {
    func rotatedLeft(_ count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}

public enum OperatorKind: IdentifierKind { public static let noun = "operator" }
public enum PartyKindTag: IdentifierKind { public static let noun = "party" }
public enum TerritoryKind: IdentifierKind { public static let noun = "territory" }
public enum FundKind: IdentifierKind { public static let noun = "fund" }
public enum BodyKindTag: IdentifierKind { public static let noun = "body" }
public enum ProjectKind: IdentifierKind { public static let noun = "project" }
public enum BallotKind: IdentifierKind { public static let noun = "ballot" }
public enum DecisionKind: IdentifierKind { public static let noun = "decision" }
public enum CommitmentKind: IdentifierKind { public static let noun = "commitment" }
public enum DisbursementKind: IdentifierKind { public static let noun = "disbursement" }
/// A bank or other external reference (a transfer's id): each may appear once in the whole log.
public enum ReferenceKind: IdentifierKind { public static let noun = "reference" }
/// An idempotency key, by its digest (`FundState.idempotencyDigest`): the key itself may hold
/// any printable ASCII character, which no identifier does.
public enum IdempotencyKind: IdentifierKind { public static let noun = "idempotency key" }
/// A look-alike key: an identifier family and the hash of a skeleton (`LookAlikeIndex`).
public enum LookAlikeKind: IdentifierKind { public static let noun = "look-alike key" }

public typealias OperatorID = Identifier<OperatorKind>
public typealias PartyID = Identifier<PartyKindTag>
public typealias TerritoryCode = Identifier<TerritoryKind>
public typealias FundID = Identifier<FundKind>
public typealias BodyID = Identifier<BodyKindTag>
public typealias ProjectID = Identifier<ProjectKind>
public typealias BallotID = Identifier<BallotKind>
public typealias DecisionID = Identifier<DecisionKind>
public typealias CommitmentID = Identifier<CommitmentKind>
public typealias DisbursementID = Identifier<DisbursementKind>
/// A contribution is named by its bank reference: that is what the back office has in hand.
public typealias ExternalReference = Identifier<ReferenceKind>
