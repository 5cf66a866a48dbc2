#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// Everything a fold of the log yields: the rules' state (what appends are checked against) and
/// the projections (what reports read). One value, cached as one snapshot in three files: the
/// core (the rules' entities and balances, and their bulk entries added since the base), the
/// projections' part (`ViewsFile`, which appends do not read) and the base (`BulkFile`: the
/// tables that grow with every contribution, read in place, never loaded). The append path
/// keeps the cache fresh for the reports, and the reports for the append path.
struct LedgerState: Sendable, Equatable {
    var rules = FundState()
    /// The projections; empty while they are still in their file (`encodedViews`).
    var views = Projections()
    /// An append needs the projections only to save a snapshot, now and then: a core loaded for
    /// one leaves them in their file (`ViewsFile`), noting the records folded since, until
    /// `decodeViews`.
    private var encodedViews: EncodedViews?
    /// The projections' file that goes with this core, once saved or loaded.
    private(set) var viewsKey: ViewsFile.Key?
    /// The base file the bulk tables read, if any (without one, every bulk entry is in memory):
    /// named in the core, opened and attached after the core is loaded.
    private(set) var baseKey: BulkFile.Key?
    private(set) var base: BulkFile?

    /// Set while a large append's projections are folded on a thread of their own.
    private var viewsAside: ViewsAside?

    struct EncodedViews: Sendable {
        /// The projections' bulk entries above the base when they were saved.
        let recentBulkEntries: Int
        var records: [Record] = []
    }

    /// Applies a record the rules must accept; on a violation nothing changes.
    mutating func apply(_ record: Record) throws(RuleViolation) {
        try rules.apply(record)
        if encodedViews != nil {
            encodedViews!.records.append(record)
            viewsAside?.apply(record)
        } else {
            views.apply(record)
        }
    }

    /// For a large append: the projections are read from their file and the records since,
    /// then those the append applies, folded onto them on a thread of their own while the
    /// rules check the records here (two cores, where the projections waited for the save).
    /// `decodeViews` then waits for that thread rather than fold them itself.
    mutating func foldViewsAside(_ paths: LedgerPaths) {
        guard let encoded = encodedViews, let viewsKey, viewsAside == nil else { return }
        let base = self.base
        let aside = ViewsAside(ViewsWorker(loading: { try Self.readViews(paths, key: viewsKey, base: base) }))
        for record in encoded.records { aside.apply(record) }
        viewsAside = aside
    }

    /// Reads the projections from their file and folds the records since onto them (or takes
    /// them from the thread that folded them aside).
    mutating func decodeViews(_ paths: LedgerPaths) throws {
        guard let encoded = encodedViews, let viewsKey else { return }
        let aside = viewsAside
        viewsAside = nil
        if let folded = try aside?.finish() {
            views = folded
        } else {
            views = try Self.readViews(paths, key: viewsKey, base: base)
            for record in encoded.records { views.apply(record) }
        }
        guard views.recordsSeen == rules.recordCount else {
            throw CompactError.invalid("the projections cover other records than the rules' state")
        }
        encodedViews = nil
    }

    /// The projections' part named `key`, reading its bulk tables in `base`.
    private static func readViews(_ paths: LedgerPaths, key: ViewsFile.Key, base: BulkFile?) throws -> Projections {
        var reader = CompactReader(bytes: try ViewsFile.read(paths, key: key))
        var views: Projections = try reader.read()
        guard reader.isAtEnd else { throw CompactError.invalid("trailing bytes after the projections") }
        views.attachBulkBase(base)
        return views
    }

    var viewsAreDecoded: Bool { encodedViews == nil }

    /// Bulk entries held in memory above the base.
    var recentBulkEntries: Int { rules.recentBulkEntries + (encodedViews?.recentBulkEntries ?? views.recentBulkEntries) }

    /// Reads the bulk tables from `base` from now on (the entries in memory stay on top).
    mutating func attach(_ base: BulkFile) {
        precondition(base.key == baseKey, "the base file the core names")
        self.base = base
        rules.attachBulkBase(base)
        if encodedViews == nil { views.attachBulkBase(base) }
    }

    /// After `base` was written with every bulk entry: read it, keep nothing in memory.
    mutating func rebase(_ base: BulkFile) {
        precondition(encodedViews == nil, "the projections are decoded before a new base is written")
        self.base = base
        baseKey = base.key
        rules.rebaseBulk(base)
        views.rebaseBulk(base)
    }

    /// Two states are equal when they hold the same rules' state and projections, however they
    /// were loaded.
    static func == (lhs: LedgerState, rhs: LedgerState) -> Bool {
        precondition(lhs.viewsAreDecoded && rhs.viewsAreDecoded, "states are compared with their projections")
        return lhs.rules == rhs.rules && lhs.views == rhs.views
    }
}

/// The core file: `state-core-…-N.snap`. Bump `encodingVersion` when the encoding below
/// or the base's file format (`TableFile`) changes; the domain bumps its layouts when what the
/// states hold changes. Any change makes older snapshots ignored. (6: bucket filters; a
/// statement's rows extend across the base's files. 7: a base of up to four files.)
extension LedgerState: SnapshotState {
    static let encodingVersion = 7
    static var layout: String { "f\(FundState.layoutVersion)p\(Projections.layoutVersion)c\(encodingVersion)" }
    static var snapshotVersion: String { "core-" + layout }

    /// The compact encoding (LedgerDomain/Snapshot) of the core: the rules' state, the base files
    /// it goes with (their count, then the records covered and digest of each, the lower first),
    /// and the projections' file (digest, and their count of bulk entries above the base), which
    /// an append need not read. The files are opened after loading.
    func snapshotBytes() -> [UInt8] { snapshotBytes(rulesPart: coreRulesPart()) }

    /// The core's bytes, its first part (`coreRulesPart`) already encoded.
    func snapshotBytes(rulesPart: [UInt8]) -> [UInt8] {
        precondition(viewsAreDecoded && viewsKey?.records == rules.recordCount, "the projections are saved before the core")
        var writer = CompactWriter()
        writer.write(views.recentBulkEntries)
        writer.write(viewsKey!.digest.hex)
        return rulesPart + writer.bytes
    }

    /// The core's first part: the rules' state and the base files. It does not depend on the
    /// projections' file, so a save encodes it while that file is written (`saveViewsAndCore`).
    func coreRulesPart() -> [UInt8] {
        var writer = CompactWriter()
        writer.write(rules)
        writer.write(baseKey?.layers.count ?? 0)
        for layer in baseKey?.layers ?? [] {
            writer.write(layer.records)
            writer.write(layer.digest.hex)
        }
        return writer.bytes
    }

    /// Saves the projections' file for this state, then its core, which names that file; the
    /// core's rules' part is encoded on another core meanwhile (a save 1,300 records behind spent
    /// 4.6 ms on the projections' file, then 2.3 ms on the core, while the append waited).
    mutating func saveViewsAndCore(_ paths: LedgerPaths, coveredBytes: UInt64, sealer: StateSnapshots.Sealer) throws(StorageError) {
        precondition(viewsAreDecoded, "the projections are decoded before they are saved")
        let saving = self
        var rulesPart: [UInt8] = []
        var written: Result<ViewsFile.Key, StorageError>?
        ParallelWork.run(parts: 2) { part in
            if part == 1 {
                rulesPart = saving.coreRulesPart()
            } else {
                written = Result { () throws(StorageError) in try ViewsFile.write(saving.views, paths: paths, records: saving.rules.recordCount) }
            }
        }
        viewsKey = try written!.get()   // part 0 always runs (on the caller's thread)
        try StateSnapshots.save(self, payload: snapshotBytes(rulesPart: rulesPart), paths: paths, coveredBytes: coveredBytes, sealer: sealer)
    }

    /// The core, its projections still encoded (`decodeViews`).
    init(snapshotBytes: [UInt8]) throws {
        var reader = CompactReader(bytes: snapshotBytes)
        rules = try reader.read()
        let layerCount: Int = try reader.read()
        guard layerCount >= 0, layerCount <= BulkFile.layersMax else { throw CompactError.invalid("base files") }
        var layers: [BulkFile.Layer] = []
        for _ in 0..<layerCount {
            let records: UInt64 = try reader.read()
            guard let digest = SHA256Digest(hex: try reader.read(String.self)), records <= rules.recordCount else {
                throw CompactError.invalid("base file")
            }
            layers.append(BulkFile.Layer(records: records, digest: digest))
        }
        let recentViewEntries: Int = try reader.read()
        guard let viewsDigest = SHA256Digest(hex: try reader.read(String.self)) else { throw CompactError.invalid("projections' digest") }
        viewsKey = ViewsFile.Key(records: rules.recordCount, digest: viewsDigest)
        encodedViews = EncodedViews(recentBulkEntries: recentViewEntries)
        guard reader.isAtEnd else { throw CompactError.invalid("trailing bytes") }
        guard layers.isEmpty || BulkFile.Key.holds(layers) else { throw CompactError.invalid("base files") }
        if !layers.isEmpty { baseKey = BulkFile.Key(layers) }
    }
}

/// The projections of a large append folded on a thread of their own (`LedgerState.foldViewsAside`).
/// Its thread ends on every way out: a refused append drops its state, and with it this, whose
/// thread would otherwise wait for records forever.
final class ViewsAside: @unchecked Sendable {
    private let worker: ViewsWorker
    private var finished = false

    init(_ worker: ViewsWorker) { self.worker = worker }

    func apply(_ record: Record) {
        if !finished { worker.apply(record, counted: true) }
    }

    /// The projections with every record applied, or what made reading them fail; nil once
    /// taken (a copy of the state that shared this reads the file instead).
    func finish() throws -> Projections? {
        guard !finished else { return nil }
        finished = true
        let views = worker.finish()
        if let failure = worker.loadFailure { throw failure }
        return views
    }

    deinit { if !finished { _ = worker.finish() } }
}
