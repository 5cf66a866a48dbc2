#if canImport(Glibc)
import Glibc
#endif

/// The catalogue of event types (Specs/events.md). A record of any other type is refused.
public enum EventType: String, CaseIterable, Sendable {
    case genesis = "ledger.genesis"
    case noteRecorded = "note.recorded"
    case operatorRegistered = "operator.registered"
    case operatorRevoked = "operator.revoked"
    case operatorKeyRotated = "operator.key_rotated"
    case partyRegistered = "party.registered"
    case interestDeclared = "interest.declared"
    case territoryDefined = "territory.defined"
    case fundOpened = "fund.opened"
    case bodyConstituted = "body.constituted"
    case memberAdded = "body.member_added"
    case memberRemoved = "body.member_removed"
    case contributionRecorded = "contribution.recorded"
    case contributionReversed = "contribution.reversed"
    case lenderRepaid = "lender.repaid"
    case projectApplied = "project.applied"
    case ballotOpened = "ballot.opened"
    case proxyGranted = "proxy.granted"
    case recusalRecorded = "recusal.recorded"
    case voteCast = "vote.cast"
    case ballotClosed = "ballot.closed"
    case decisionRecorded = "decision.recorded"
    case commitmentMade = "commitment.made"
    case commitmentAmended = "commitment.amended"
    case commitmentCancelled = "commitment.cancelled"
    case disbursementRequested = "disbursement.requested"
    case disbursementApproved = "disbursement.approved"
    case disbursementRejected = "disbursement.rejected"
    case disbursementExecuted = "disbursement.executed"
    case repaymentReceived = "repayment.received"
    case loanWrittenOff = "loan.written_off"
    case periodClosed = "period.closed"

    /// The types' names, their bytes side by side, and for each byte count the types whose names
    /// have it. A record's type is compared, as bytes, with the one to four names of its length:
    /// a `String` enum's `init(rawValue:)` compares with every name, a dictionary of names hashed
    /// each record's type with SipHash, and comparing Strings cost more than the comparison (both
    /// the rules and the projections read every record's type). One flat table, read through
    /// pointers: a table of arrays retained and released an array at every lookup.
    private struct Names {
        var bytes: [UInt8] = []
        /// Per type, ordered by the length of its name: the type and where its name starts.
        var types: [(type: EventType, start: Int)] = []
        /// For each length, the range of `types` whose names have it.
        var byLength = [Range<Int>](repeating: 0..<0, count: 65)

        init() {
            for type in EventType.allCases.sorted(by: { $0.rawValue.utf8.count < $1.rawValue.utf8.count }) {
                let length = type.rawValue.utf8.count
                if byLength[length].isEmpty { byLength[length] = types.count..<types.count }
                types.append((type, bytes.count))
                byLength[length] = byLength[length].lowerBound..<types.count
                bytes += type.rawValue.utf8
            }
        }

        func find(_ name: UnsafeBufferPointer<UInt8>) -> EventType? {
            guard name.count < byLength.count, !name.isEmpty else { return nil }
            return bytes.withUnsafeBufferPointer { bytes in
                types.withUnsafeBufferPointer { types in
                    for index in byLength[name.count] where memcmp(bytes.baseAddress! + types[index].start, name.baseAddress!, name.count) == 0 {
                        return types[index].type
                    }
                    return nil
                }
            }
        }
    }

    private static let names = Names()

    public init?(type: String) {
        // A record's type is a native String (contiguous): read in place, not copied to a `var`
        // for `withUTF8` (a copy retained it).
        guard let found = type.utf8.withContiguousStorageIfAvailable({ Self.names.find($0) }) ?? Self.copied(type) else { return nil }
        self = found
    }

    private static func copied(_ type: String) -> EventType? {
        var type = type
        return type.withUTF8 { names.find($0) }
    }

    /// The roles that may append this type. The genesis record is written by `ledger init` only.
    public var roles: RoleSet {
        switch self {
        case .genesis:
            return []
        case .noteRecorded:
            return [.admin, .treasurer, .secretary, .clerk]
        case .operatorRegistered, .operatorRevoked, .operatorKeyRotated, .territoryDefined, .fundOpened, .bodyConstituted:
            return [.admin]
        case .partyRegistered, .interestDeclared, .projectApplied:
            return [.secretary, .clerk]
        case .memberAdded, .memberRemoved, .ballotOpened, .ballotClosed, .decisionRecorded:
            return [.secretary]
        case .proxyGranted, .recusalRecorded, .voteCast:
            return [.secretary, .clerk]
        case .contributionRecorded:
            return [.treasurer, .clerk]
        case .contributionReversed, .lenderRepaid, .commitmentMade, .commitmentAmended, .commitmentCancelled,
             .disbursementExecuted, .repaymentReceived, .loanWrittenOff, .periodClosed:
            return [.treasurer]
        case .disbursementRequested:
            return [.treasurer, .secretary, .clerk]
        case .disbursementApproved, .disbursementRejected:
            return [.treasurer, .secretary]
        }
    }
}

/// A set of roles as bits: checked once per record, so it must not allocate.
public struct RoleSet: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public init(_ role: Role) {
        switch role {
        case .admin: self = .admin
        case .treasurer: self = .treasurer
        case .secretary: self = .secretary
        case .clerk: self = .clerk
        case .auditor: self = .auditor
        }
    }

    public static let admin = RoleSet(rawValue: 1 << 0)
    public static let treasurer = RoleSet(rawValue: 1 << 1)
    public static let secretary = RoleSet(rawValue: 1 << 2)
    public static let clerk = RoleSet(rawValue: 1 << 3)
    public static let auditor = RoleSet(rawValue: 1 << 4)

    public func allows(_ role: Role) -> Bool { contains(RoleSet(role)) }

    /// The roles in the order of `Role.allCases`, for messages and documentation.
    public var names: [String] { Role.allCases.filter { allows($0) }.map(\.rawValue) }
}
