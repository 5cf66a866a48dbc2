#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// The base of a snapshot's bulk tables, in one or two `TableFile`s of `cache/snapshots/`: the
/// lower, `bulk-LAYOUT-N.tables`, every entry after N records; and, once entries changed since
/// it, the upper, `bulk-LAYOUT-N-M.tables`, the entries added or changed from N to M records,
/// each whole (Specs/reports.md, section 6). A key's row is its upper one if it has one, but
/// for a statement, whose upper row holds the lines added since the lower file: both rows. Both
/// are bound to the core that names them by their digests (the core itself is checked against
/// the log). Read in place: opening a file reads its index and page hashes only, and every
/// page read is checked against its hash.
///
/// Two files so that a batch pays for the entries it changes: they are merged into the upper
/// file, whose size follows them, and the lower one (a million and a half rows on a large
/// fund) is rewritten only when the upper one outgrows a quarter of it.
final class BulkFile: BulkBase, @unchecked Sendable {
    /// A file of the base: the records it covers, and its digest.
    struct Layer: Equatable, Sendable {
        let records: UInt64
        let digest: SHA256Digest
    }

    struct Key: Equatable, Sendable {
        let lower: Layer
        var upper: Layer?

        /// The files' names, the lower's first.
        var names: [String] {
            [BulkFile.name(lower: lower.records)] + (upper.map { [BulkFile.name(lower: lower.records, upper: $0.records)] } ?? [])
        }
    }

    let key: Key
    let lower: TableFile
    let upper: TableFile?
    /// Why a read failed, once one did. Guarded by `lock` (reads may come from two threads).
    private var damage: String?
    private var lock = pthread_mutex_t()

    static func name(lower records: UInt64) -> String { "bulk-\(LedgerState.layout)-\(records).tables" }
    static func name(lower: UInt64, upper: UInt64) -> String { "bulk-\(LedgerState.layout)-\(lower)-\(upper).tables" }

    /// Opens the files `key` names.
    init(_ paths: LedgerPaths, key: Key) throws(TableFile.Problem) {
        guard let directory = try? ViewsFile.snapshotDirectory(paths) else { throw .missing }
        let names = key.names
        lower = try TableFile(in: directory, name: names[0], digest: key.lower.digest)
        upper = try key.upper.map { (layer) throws(TableFile.Problem) in try TableFile(in: directory, name: names[1], digest: layer.digest) }
        self.key = key
        pthread_mutex_init(&lock, nil)
    }

    deinit { pthread_mutex_destroy(&lock) }

    /// Writes a new base holding every bulk entry of `state` (after `records` records) and opens
    /// it, in the steps of Specs/reports.md section 6 (merges copy the old rows as bytes). The
    /// upper file holds at most a quarter of the lower one's rows, or `upperRowsMin`. Step 2 may
    /// have been done already, beside the rules of the batch that led here (`compacted`).
    static func write(_ state: LedgerState, paths: LedgerPaths, records: UInt64, upperRowsMin: Int,
                      compacted: Compaction? = nil) throws(StorageError) -> BulkFile {
        let directory = try ViewsFile.snapshotDirectory(paths)
        guard let old = state.base else { return try writeWhole(state, directory, paths, records) }
        let damaged = { (problem: TableFile.Problem) in old.markDamaged(problem.description) }
        let recent = rows(of: state, recentOnly: true)
        var lower = (layer: old.key.lower, file: old.lower)
        if let upper = old.upper {
            // 1. The changed entries merged into the upper file, if it has room for them.
            if upper.rowCount + recent.rowCount <= upperRowsMax(old.lower, upperRowsMin) {
                let name = name(lower: lower.layer.records, upper: records)
                let digest = try recent.write(merging: upper, into: directory, name: name, extending: extendingTables, damaged: damaged)
                return try open(paths, Key(lower: lower.layer, upper: Layer(records: records, digest: digest)))
            }
            // 2. Otherwise the upper file merged into a new lower one: the base as of its records.
            let merged: BulkFile
            if let ahead = compacted?.take(for: old) {
                merged = ahead
            } else {
                merged = try mergedUpper(of: old, directory, paths, damaged: damaged)
            }
            lower = (merged.key.lower, merged.lower)
        }
        // 3. The changed entries written into a new upper file, or merged into a new lower one.
        if recent.rowCount <= upperRowsMax(lower.file, upperRowsMin) {
            let digest = try recent.write(into: directory, name: name(lower: lower.layer.records, upper: records))
            return try open(paths, Key(lower: lower.layer, upper: Layer(records: records, digest: digest)))
        }
        let digest = try recent.write(merging: lower.file, into: directory, name: name(lower: records), extending: extendingTables,
                                      damaged: damaged)
        return try open(paths, Key(lower: Layer(records: records, digest: digest)))
    }

    /// The most rows an upper file over `lower` holds.
    static func upperRowsMax(_ lower: TableFile, _ upperRowsMin: Int) -> Int { max(upperRowsMin, lower.rowCount / 4) }

    /// The tables whose rows a merge extends rather than replaces (a statement's lines).
    private static let extendingTables = Set(BulkTable.allCases.filter(\.extendsSaved).map(\.rawValue))

    /// Step 2 of `write`: the upper file of `old` merged into a new lower file, which covers the
    /// upper file's records (it depends on the two files only). `damaged` hears a problem of the
    /// old files.
    static func mergedUpper(of old: BulkFile, _ directory: DirectoryHandle, _ paths: LedgerPaths,
                            damaged: (TableFile.Problem) -> Void) throws(StorageError) -> BulkFile {
        guard let upper = old.upper, let upperLayer = old.key.upper else { preconditionFailure("step 2 merges an upper file") }
        let rows: TableFileWriter
        do { rows = try TableFileWriter(rowsOf: upper) } catch {
            damaged(error)
            throw .limit("the bulk tables are damaged (\(error))")
        }
        let digest = try rows.write(merging: old.lower, into: directory, name: name(lower: upperLayer.records), extending: extendingTables,
                                    damaged: damaged)
        return try open(paths, Key(lower: Layer(records: upperLayer.records, digest: digest)))
    }

    /// Every entry of `state` in one new lower file.
    private static func writeWhole(_ state: LedgerState, _ directory: DirectoryHandle, _ paths: LedgerPaths,
                                   _ records: UInt64) throws(StorageError) -> BulkFile {
        try open(paths, Key(lower: Layer(records: records, digest: try rows(of: state, recentOnly: false).write(into: directory, name: name(lower: records)))))
    }

    /// The base just written, read back.
    private static func open(_ paths: LedgerPaths, _ key: Key) throws(StorageError) -> BulkFile {
        do {
            return try BulkFile(paths, key: key)
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
        do {
            guard let upper, let row = try upper.value(table: table.rawValue, key: key) else {
                return try lower.value(table: table.rawValue, key: key)
            }
            guard table.extendsSaved else { return row }
            return (try lower.value(table: table.rawValue, key: key) ?? []) + row
        } catch {
            markDamaged(error.description)
            return nil
        }
    }

    /// The upper file's rows, then the lower file's whose keys the upper one does not hold; for a
    /// table whose rows extend, the lower file's rows, each followed by the upper row of its
    /// key, then the upper rows of keys the lower file does not hold.
    func forEach(in table: BulkTable, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        do {
            guard let upper else { return try lower.forEach(table: table.rawValue, body) }
            guard !table.extendsSaved else { return try forEachExtended(in: table, upper, body) }
            var newer = Set<ArraySlice<UInt8>>()
            try upper.forEach(table: table.rawValue) { key, value in
                newer.insert(key)
                body(key, value)
            }
            try lower.forEach(table: table.rawValue) { key, value in
                if newer.isEmpty || !newer.contains(key) { body(key, value) }
            }
        } catch {
            markDamaged(error.description)
        }
    }

    private func forEachExtended(in table: BulkTable, _ upper: TableFile,
                                 _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) throws(TableFile.Problem) {
        var added: [ArraySlice<UInt8>: ArraySlice<UInt8>] = [:]
        var order: [ArraySlice<UInt8>] = []   // the upper file's, not the dictionary's
        try upper.forEach(table: table.rawValue) { key, value in
            added[key] = value
            order.append(key)
        }
        try lower.forEach(table: table.rawValue) { key, value in
            guard let more = added.removeValue(forKey: key) else { return body(key, value) }
            body(key, (Array(value) + more)[...])
        }
        for key in order { if let value = added[key] { body(key, value) } }
    }

    /// The lower file, then the upper one if there is one.
    private var files: [TableFile] { [lower] + (upper.map { [$0] } ?? []) }

    func rowsBound(in table: BulkTable) -> Int { files.reduce(0) { $0 + $1.count(table: table.rawValue) } }

    /// The rows of both files (a key in both counts twice): the base's size, for when to write a new one.
    var rowCount: Int { files.reduce(0) { $0 + $1.rowCount } }

    /// Reads and checks every page of both files (before a report that reads the tables at
    /// random, so that it never prints from a damaged page).
    func checkEveryPage() {
        for file in files {
            do { try file.checkEveryPage() } catch { markDamaged(error.description) }
        }
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
