#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// Everything a fold of the log yields: the rules' state (what appends are checked against) and
/// the projections (what reports read). One value, cached as one snapshot in two files: the
/// core (entities, balances, governance, and the bulk entries added since the base) and the
/// base (`BulkFile`: the tables that grow with every contribution, read in place, never
/// loaded). The append path keeps the cache fresh for the reports, and the reports for the
/// append path.
struct LedgerState: Sendable, Equatable {
    var rules = FundState()
    var views = Projections()
    /// The base file the bulk tables read, if any (without one, every bulk entry is in memory):
    /// named in the core, opened and attached after the core is loaded.
    private(set) var baseKey: BulkFile.Key?
    private(set) var base: BulkFile?

    /// Applies a record the rules must accept; on a violation nothing changes.
    mutating func apply(_ record: Record) throws(RuleViolation) {
        try rules.apply(record)
        views.apply(record)
    }

    /// True once a read of the base met damaged bytes: whatever was folded or reported since
    /// is thrown away and folded again from the genesis.
    var isDamaged: Bool { base?.isDamaged ?? false }

    /// Bulk entries held in memory above the base.
    var recentBulkEntries: Int { rules.recentBulkEntries + views.recentBulkEntries }

    /// A rough count of what loading and saving the core costs, for the snapshot policy: the
    /// fund's entities and the bulk entries above the base (the base itself is never loaded).
    var entityCount: Int {
        let counts = rules.counts
        return counts.operators + counts.parties + counts.territories + counts.funds + counts.bodies + counts.projects
            + counts.ballots + counts.decisions + counts.commitments + counts.disbursements + recentBulkEntries
    }

    /// Reads the bulk tables from `base` from now on (the entries in memory stay on top).
    mutating func attach(_ base: BulkFile) {
        precondition(base.key == baseKey, "the base file the core names")
        self.base = base
        rules.attachBulkBase(base)
        views.attachBulkBase(base)
    }

    /// After `base` was written with every bulk entry: read it, keep nothing in memory.
    mutating func rebase(_ base: BulkFile) {
        self.base = base
        baseKey = base.key
        rules.rebaseBulk(base)
        views.rebaseBulk(base)
    }

    /// Two states are equal when they hold the same rules' state and projections, however they
    /// were loaded.
    static func == (lhs: LedgerState, rhs: LedgerState) -> Bool {
        lhs.rules == rhs.rules && lhs.views == rhs.views
    }
}

/// The core file: `state-core-…-N.snap`. Bump `encodingVersion` when the encoding below
/// changes; the domain bumps its layouts when what the states hold changes. Any change makes
/// older snapshots ignored.
extension LedgerState: SnapshotState {
    static let encodingVersion = 3
    static var layout: String { "f\(FundState.layoutVersion)p\(Projections.layoutVersion)c\(encodingVersion)" }
    static var snapshotVersion: String { "core-" + layout }

    /// The compact encoding (LedgerDomain/Snapshot) of the core, then the base file it goes with
    /// (records covered and digest), if any. The base is attached after loading (`BulkFile.open`).
    func snapshotBytes() -> [UInt8] {
        var writer = CompactWriter()
        writer.write(rules)
        writer.write(views)
        writer.write(baseKey?.records)
        writer.write(baseKey?.digest.hex)
        return writer.bytes
    }

    init(snapshotBytes: [UInt8]) throws {
        var reader = CompactReader(bytes: snapshotBytes)
        rules = try reader.read()
        views = try reader.read()
        let records: UInt64? = try reader.read()
        let hex: String? = try reader.read()
        guard reader.isAtEnd else { throw CompactError.invalid("trailing bytes") }
        guard rules.recordCount == views.recordsSeen else { throw CompactError.invalid("the states cover different records") }
        if let records, let hex {
            guard let digest = SHA256Digest(hex: hex), records <= rules.recordCount else { throw CompactError.invalid("base file") }
            baseKey = BulkFile.Key(records: records, digest: digest)
        }
    }
}
