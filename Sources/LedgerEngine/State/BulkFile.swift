#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// The base of a snapshot's bulk tables, `cache/snapshots/bulk-LAYOUT-N.tables`: a `TableFile`
/// of every reference, contribution and statement after N records, bound to the core that names
/// it by its digest (the core itself is checked against the log). Read in place: opening it
/// reads its index and page hashes only, and every page read is checked against its hash.
final class BulkFile: BulkBase, @unchecked Sendable {
    struct Key: Equatable, Sendable {
        let records: UInt64
        let digest: SHA256Digest
    }

    let key: Key
    let tables: TableFile
    /// Why a read failed, once one did. Guarded by `lock` (reads may come from two threads).
    private var damage: String?
    private var lock = pthread_mutex_t()

    static func name(records: UInt64) -> String { "bulk-\(LedgerState.layout)-\(records).tables" }

    /// Opens the base file `key` names.
    init(_ paths: LedgerPaths, key: Key) throws(TableFile.Problem) {
        guard let directory = try? ViewsFile.snapshotDirectory(paths) else { throw .missing }
        tables = try TableFile(in: directory, name: Self.name(records: key.records), digest: key.digest)
        self.key = key
        pthread_mutex_init(&lock, nil)
    }

    deinit { pthread_mutex_destroy(&lock) }

    /// Writes a new base holding every bulk entry of `state` (after `records` records) and opens it.
    static func write(_ state: LedgerState, paths: LedgerPaths, records: UInt64) throws(StorageError) -> BulkFile {
        let directory = try ViewsFile.snapshotDirectory(paths)
        let name = name(records: records)
        let digest: SHA256Digest
        // The old base merged with the entries changed since it, row bytes copied; whole when
        // there is no base, or when a table would outgrow twice its buckets.
        if let old = state.base, case let recent = rows(of: state, recentOnly: true), recent.canMerge(into: old.tables) {
            digest = try recent.write(merging: old.tables, into: directory, name: name) { old.markDamaged($0.description) }
        } else {
            digest = try rows(of: state, recentOnly: false).write(into: directory, name: name)
        }
        do {
            return try BulkFile(paths, key: Key(records: records, digest: digest))
        } catch {
            throw .limit("the bulk tables just written cannot be read back: \(error)")
        }
    }

    /// The rows of every bulk entry of `state` (or only of those changed since its base), as a
    /// base stores them. The rules' rows and the projections' are gathered on two threads (after
    /// a rebuild, a million of each).
    private static func rows(of state: LedgerState, recentOnly: Bool) -> TableFileWriter {
        let writers = [Rows(), Rows()]
        ParallelWork.run(parts: 2) { part in
            let add = { (table: BulkTable, key: String, value: ArraySlice<UInt8>) in writers[part].writer.add(table: table.rawValue, key: key, value: value) }
            switch (part, recentOnly) {
            case (0, false): state.rules.forEachBulkRow(add)
            case (0, true): state.rules.forEachRecentBulkRow(add)
            case (_, false): state.views.forEachBulkRow(add)
            case (_, true): state.views.forEachRecentBulkRow(add)
            }
        }
        var writer = writers[0].writer
        writer.absorb(writers[1].writer)
        return writer
    }

    /// A writer one thread fills.
    final class Rows: @unchecked Sendable { var writer = TableFileWriter() }

    func value(in table: BulkTable, key: String) -> [UInt8]? {
        do { return try tables.value(table: table.rawValue, key: key) } catch {
            markDamaged(error.description)
            return nil
        }
    }

    func forEach(in table: BulkTable, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        do { try tables.forEach(table: table.rawValue, body) } catch { markDamaged(error.description) }
    }

    func count(in table: BulkTable) -> Int { tables.count(table: table.rawValue) }

    var rowCount: Int { BulkTable.allCases.reduce(0) { $0 + count(in: $1) } }

    /// Reads and checks every page (before a report that reads the tables at random, so that it
    /// never prints from a damaged page).
    func checkEveryPage() {
        for table in BulkTable.allCases { forEach(in: table) { _, _ in } }
    }

    var isDamaged: Bool { damageReason != nil }

    var damageReason: String? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return damage
    }

    func markDamaged(_ reason: String) {
        pthread_mutex_lock(&lock)
        if damage == nil { damage = reason }
        pthread_mutex_unlock(&lock)
    }
}
