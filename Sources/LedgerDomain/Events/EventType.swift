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

    /// The types by the byte count of their names, each with its name's bytes. A record's type
    /// is compared, as bytes, with the one to three names of its length: a `String` enum's
    /// `init(rawValue:)` compares with every name, a dictionary of names hashed each record's
    /// type with SipHash, and comparing Strings cost more than the comparison (both the rules
    /// and the projections read every record's type).
    private static let byLength: [[(type: EventType, name: [UInt8])]] = {
        var table = [[(type: EventType, name: [UInt8])]](repeating: [], count: 65)
        for type in allCases { table[type.rawValue.utf8.count].append((type, Array(type.rawValue.utf8))) }
        return table
    }()

    public init?(type: String) {
        var type = type
        let found = type.withUTF8 { bytes -> EventType? in
            guard bytes.count < Self.byLength.count, !bytes.isEmpty else { return nil }
            return Self.byLength[bytes.count].first { candidate in
                candidate.name.withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
            }?.type
        }
        guard let found else { return nil }
        self = found
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
