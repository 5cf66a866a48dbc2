#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// Everything a fold of the log yields: the rules' state (what appends are checked against) and
/// the projections (what reports read). One value, cached as one snapshot in two files: the
/// core (entities, balances, governance) and the bulk tables that grow with every contribution
/// (BulkTables). The append path keeps the cache fresh for the reports, and the reports for
/// the append path.
struct LedgerState: Sendable, Equatable {
    var rules = FundState()
    var views = Projections()
    /// False for a core loaded without its bulk tables: enough for balances, projects and
    /// ballots, and for folding the records that leave the bulk tables alone
    /// (`BulkTables.isNeeded`), not for statements, audits and exports.
    private(set) var hasBulk = true
    /// For a core: the records covered by the bulk tables that go with it. A core may run ahead
    /// of its bulk tables, over records that leave them alone; it is saved on its own then.
    private(set) var bulkRecords: UInt64 = 0
    /// The SHA-256 of the bulk tables' file that goes with this core (BulkFile).
    var bulkDigest: SHA256Digest?

    /// Applies a record the rules must accept; on a violation nothing changes.
    mutating func apply(_ record: Record) throws(RuleViolation) {
        precondition(hasBulk || !BulkTables.isNeeded(byType: record.type), "a record that needs the bulk tables is folded onto a core alone")
        try rules.apply(record)
        views.apply(record)
    }

    /// A rough count of what the state holds, for the snapshot policy: loading and saving cost
    /// about this many entries.
    var entityCount: Int {
        let counts = rules.counts
        return counts.operators + counts.parties + counts.territories + counts.funds + counts.bodies + counts.projects
            + counts.ballots + counts.decisions + counts.commitments + counts.disbursements + 3 * counts.contributions
    }

    /// The core (this state without its bulk tables) and the bulk tables.
    func split() -> (core: LedgerState, bulk: BulkTables) {
        var core = self
        let bulk = BulkTables.detach(rules: &core.rules, views: &core.views)
        core.hasBulk = false
        core.bulkRecords = rules.recordCount
        return (core, bulk)
    }

    /// Two states are equal when they hold the same rules' state and projections, however they
    /// were loaded.
    static func == (lhs: LedgerState, rhs: LedgerState) -> Bool {
        lhs.rules == rhs.rules && lhs.views == rhs.views
    }

    mutating func attach(_ bulk: BulkTables) throws {
        precondition(!hasBulk, "bulk tables are attached to a core")
        try BulkTables.attach(bulk, rules: &rules, views: &views)
        hasBulk = true
        bulkRecords = rules.recordCount
    }
}

/// The core file: `state-core-…-N.snap`. Bump `encodingVersion` when the encoding below
/// changes; the domain bumps its layouts when what the states hold changes. Any change makes
/// older snapshots ignored.
extension LedgerState: SnapshotState {
    static let encodingVersion = 1
    static var layout: String { "f\(FundState.layoutVersion)p\(Projections.layoutVersion)c\(encodingVersion)" }
    static var snapshotVersion: String { "core-" + layout }

    /// The compact encoding (LedgerDomain/Snapshot) of the core: the keyed `Codable` encoding of
    /// the same state is about five times larger and thirty times slower to read.
    func snapshotBytes() -> [UInt8] {
        var writer = CompactWriter()
        let core = hasBulk ? split().core : self
        writer.write(core.rules)
        writer.write(core.views)
        writer.write(core.bulkRecords)
        writer.write(core.bulkDigest?.hex)
        return writer.bytes
    }

    init(snapshotBytes: [UInt8]) throws {
        var reader = CompactReader(bytes: snapshotBytes)
        rules = try reader.read()
        views = try reader.read()
        bulkRecords = try reader.read()
        if let hex: String = try reader.read() {
            guard let digest = SHA256Digest(hex: hex) else { throw CompactError.invalid("bulk digest") }
            bulkDigest = digest
        }
        hasBulk = false
        guard reader.isAtEnd else { throw CompactError.invalid("trailing bytes") }
        guard rules.recordCount == views.recordsSeen, bulkRecords <= rules.recordCount else {
            throw CompactError.invalid("the states cover different records")
        }
    }
}

/// The bulk tables' file, `cache/snapshots/bulk-LAYOUT-N.tables`: the compact encoding of the
/// tables after N records, bound to the core that names it by its SHA-256 (the core itself is
/// checked against the log). Not a `state-*.snap` file, so loading a core never reads it.
enum BulkFile {
    static func name(records: UInt64) -> String { "bulk-\(LedgerState.layout)-\(records).tables" }
    static func path(_ paths: LedgerPaths, records: UInt64) -> String { paths.cache + "/snapshots/" + name(records: records) }

    /// Writes the tables (through a temporary file and a rename); returns the file's SHA-256.
    static func save(_ tables: BulkTables, paths: LedgerPaths, records: UInt64) throws(StorageError) -> SHA256Digest {
        var writer = CompactWriter()
        writer.write(tables)
        let target = path(paths, records: records)
        try Directory.create(paths.cache)
        try Directory.create(paths.cache + "/snapshots")
        let file = try SystemFile(path: target + ".tmp", flags: O_WRONLY | O_CREAT | O_TRUNC)
        try file.write(writer.bytes, at: 0)
        try Directory.rename(target + ".tmp", target)
        return SHA256.hash(writer.bytes)
    }

    enum Problem: Error, CustomStringConvertible {
        case missing, corrupt(String)
        var description: String {
            switch self {
            case .missing: return "missing"
            case .corrupt(let why): return "corrupt (\(why))"
            }
        }
    }

    /// The tables after `records` records whose file hashes to `digest`.
    static func load(_ paths: LedgerPaths, records: UInt64, digest: SHA256Digest) throws -> BulkTables {
        guard let file = try? SystemFile(path: path(paths, records: records), flags: O_RDONLY) else { throw Problem.missing }
        let bytes = try file.read(at: 0, count: Int(try file.size()))
        guard SHA256.hash(bytes) == digest else { throw Problem.corrupt("it is not the file its core names") }
        var reader = CompactReader(bytes: bytes)
        let tables: BulkTables = try reader.read()
        guard reader.isAtEnd else { throw Problem.corrupt("trailing bytes") }
        return tables
    }
}
