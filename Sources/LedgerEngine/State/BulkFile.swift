#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// The base of a snapshot's bulk tables, in layers of `TableFile`s in `cache/snapshots/`: the
/// lower file, `bulk-LAYOUT-N.tables`, every entry after N records; then, once entries changed
/// since it, up to three upper files, each `bulk-LAYOUT-P-M.tables`: the entries added or
/// changed from P records (those of the file under it) to M, each whole (Specs/reports.md,
/// section 6). A key's row is its row in the newest file that holds it, but for a statement,
/// whose upper rows hold the lines added since the file under them: all its rows, oldest first.
/// Every file is bound to the core that names it by its digest (the core itself is checked
/// against the log). Read in place: opening a file reads its index and page hashes only, and
/// every page read is checked against its hash.
///
/// Layers so that a save pays for the entries it changes: they go into a new file on top, or
/// are merged into the small upper files, whose sizes follow them; the lower one (a million
/// and a half rows on a large fund) is rewritten only when the upper ones outgrow a quarter
/// of it.
final class BulkFile: BulkBase, @unchecked Sendable {
    /// A file of the base: the records it covers, and its digest.
    struct Layer: Equatable, Sendable {
        let records: UInt64
        let digest: SHA256Digest
    }

    /// The files of a base, the lower first, each covering more records than the one under it.
    struct Key: Equatable, Sendable {
        let layers: [Layer]

        init(_ layers: [Layer]) {
            precondition(Self.holds(layers), "a base has a lower file and at most three upper ones, each covering more records")
            self.layers = layers
        }

        /// Whether `layers` can be a base's: one to four files, each covering more records than
        /// the one under it (a core naming others is refused when decoded).
        static func holds(_ layers: [Layer]) -> Bool {
            (1...BulkFile.layersMax).contains(layers.count) && zip(layers, layers.dropFirst()).allSatisfy { $0.records < $1.records }
        }

        var lower: Layer { layers[0] }

        /// The files' names, the lower's first.
        var names: [String] {
            layers.indices.map { $0 == 0 ? BulkFile.name(lower: layers[0].records) : BulkFile.name(lower: layers[$0 - 1].records, upper: layers[$0].records) }
        }
    }

    /// The lower file and at most three upper ones: a key the base does not hold (a new
    /// reference) costs a bucket filter in each.
    static let layersMax = 1 + Ledger.SnapshotPolicy.upperFilesLimit

    let key: Key
    /// The files, the lower first.
    let files: [TableFile]
    /// Why a read failed, once one did. Guarded by `lock` (reads may come from two threads).
    private var damage: String?
    private var lock = pthread_mutex_t()

    static func name(lower records: UInt64) -> String { "bulk-\(LedgerState.layout)-\(records).tables" }
    static func name(lower: UInt64, upper: UInt64) -> String { "bulk-\(LedgerState.layout)-\(lower)-\(upper).tables" }

    /// Opens the files `key` names.
    init(_ paths: LedgerPaths, key: Key) throws(TableFile.Problem) {
        guard let directory = try? ViewsFile.snapshotDirectory(paths) else { throw .missing }
        var files: [TableFile] = []
        for (layer, name) in zip(key.layers, key.names) { files.append(try TableFile(in: directory, name: name, digest: layer.digest)) }
        self.files = files
        self.key = key
        pthread_mutex_init(&lock, nil)
    }

    deinit { pthread_mutex_destroy(&lock) }

    var lower: TableFile { files[0] }

    /// Writes a new base holding every bulk entry of `state` (after `records` records) and opens
    /// it, as Specs/reports.md section 6 says (merges copy the old rows as bytes): the changed
    /// entries merged into the upper files from `placement` up, or when they would not fit
    /// there, the upper files merged into a new lower one first (step 2, perhaps done already
    /// beside the rules of the batch that led here: `compacted`), then the changed entries.
    static func write(_ state: LedgerState, paths: LedgerPaths, records: UInt64, policy: Ledger.SnapshotPolicy,
                      compacted: Compaction? = nil) throws(StorageError) -> BulkFile {
        let directory = try ViewsFile.snapshotDirectory(paths)
        guard let old = state.base else { return try writeWhole(state, directory, paths, records) }
        let damaged = { (problem: TableFile.Problem) in old.markDamaged(problem.description) }
        let recent = recentRows(of: state)
        if let position = placement(ofRows: recent.rowCount, onto: old.files.map(\.rowCount), policy) {
            // 1. The changed entries, over the upper files above `position`, into a new file there.
            let layers = Array(old.key.layers[..<position])
            let name = name(lower: layers[position - 1].records, upper: records)
            let digest: SHA256Digest
            if position == old.files.count {
                digest = try recent.write(into: directory, name: name)
            } else {
                let rows = try gathered(Array(old.files[(position + 1)...]), under: recent, damaged: damaged)
                digest = try rows.write(merging: old.files[position], into: directory, name: name, extending: extendingTables, damaged: damaged)
            }
            return try open(paths, Key(layers + [Layer(records: records, digest: digest)]))
        }
        // 2. The upper files merged into a new lower one: the base as of the newest's records.
        var lower = (layer: old.key.lower, file: old.lower)
        if old.files.count > 1 {
            var merged = compacted?.take(for: old)
            if merged == nil { merged = try mergedUpper(of: old, directory, paths, damaged: damaged) }
            lower = (merged!.key.lower, merged!.lower)
        }
        // 3. The changed entries written into a new upper file, or merged into a new lower one.
        if recent.rowCount <= upperRowsMax(lower.file.rowCount, policy.upperRowsMin) {
            let digest = try recent.write(into: directory, name: name(lower: lower.layer.records, upper: records))
            return try open(paths, Key([lower.layer, Layer(records: records, digest: digest)]))
        }
        let digest = try recent.write(merging: lower.file, into: directory, name: name(lower: records), extending: extendingTables,
                                      damaged: damaged)
        return try open(paths, Key([Layer(records: records, digest: digest)]))
    }

    /// Where `rows` changed entries go onto files of `layers` rows (the lower first): merged
    /// with the upper files from the position returned up, into one new file there (the
    /// position after the last: a new file on top); nil when they fit nowhere above the lower
    /// file, which the upper files are then merged into first (step 2). A file above the lower
    /// one holds at most `upperRowsMax` rows; a file above another upper one, at most half the
    /// rows of the file under it, so that merges follow what changed, not the base. There are
    /// at most `policy.upperFilesMax` upper files.
    static func placement(ofRows rows: Int, onto layers: [Int], _ policy: Ledger.SnapshotPolicy) -> Int? {
        var size = rows
        var position = layers.count
        while position >= 1 {
            let room = position == 1 ? upperRowsMax(layers[0], policy.upperRowsMin) : layers[position - 1] / 2
            if position <= policy.upperFilesMax, size <= room { return position }
            position -= 1
            guard position >= 1 else { return nil }
            size += layers[position]
        }
        return nil
    }

    /// The most rows the upper files over a lower file of `lowerRows` hold.
    static func upperRowsMax(_ lowerRows: Int, _ upperRowsMin: Int) -> Int { max(upperRowsMin, lowerRows / 4) }

    /// The tables whose rows a merge extends rather than replaces (a statement's lines).
    private static let extendingTables = Set(BulkTable.allCases.filter(\.extendsSaved).map(\.rawValue))

    /// The rows of `files` (the older first) and then `newest`, gathered in memory as a merge
    /// makes them: what goes over the file under them.
    private static func gathered(_ files: [TableFile], under newest: TableFileWriter?,
                                 damaged: (TableFile.Problem) -> Void) throws(StorageError) -> TableFileWriter {
        guard let first = files.first else { return newest ?? TableFileWriter() }
        var rows = try rowsOf(first, damaged: damaged)
        for file in files.dropFirst() { try rows.overlay(try rowsOf(file, damaged: damaged), extending: extendingTables) }
        if let newest { try rows.overlay(newest, extending: extendingTables) }
        return rows
    }

    private static func rowsOf(_ file: TableFile, damaged: (TableFile.Problem) -> Void) throws(StorageError) -> TableFileWriter {
        do { return try TableFileWriter(rowsOf: file) } catch {
            damaged(error)
            throw .limit("the bulk tables are damaged (\(error))")
        }
    }

    /// Step 2 of `write`: the upper files of `old` merged into a new lower file, which covers
    /// the newest's records (it depends on the files only). `damaged` hears a problem of the
    /// old files.
    static func mergedUpper(of old: BulkFile, _ directory: DirectoryHandle, _ paths: LedgerPaths,
                            damaged: (TableFile.Problem) -> Void) throws(StorageError) -> BulkFile {
        precondition(old.files.count > 1, "step 2 merges upper files")
        let rows = try gathered(Array(old.files.dropFirst()), under: nil, damaged: damaged)
        let records = old.key.layers.last!.records
        let digest = try rows.write(merging: old.lower, into: directory, name: name(lower: records), extending: extendingTables,
                                    damaged: damaged)
        return try open(paths, Key([Layer(records: records, digest: digest)]))
    }

    /// Every entry of `state` in one new lower file, written table by table: after a rebuild
    /// the rows of every table together are a hundred megabytes and more, on top of the state.
    private static func writeWhole(_ state: LedgerState, _ directory: DirectoryHandle, _ paths: LedgerPaths,
                                   _ records: UInt64) throws(StorageError) -> BulkFile {
        let rulesTables = Set(state.rules.bulkTables)
        let ids = (state.rules.bulkTables + state.views.bulkTables).map(\.rawValue)
        let digest = try TableFileWriter.write(tables: ids, into: directory, name: name(lower: records)) { id in
            let table = BulkTable(rawValue: id)!
            var writer = TableFileWriter()
            let add = { (table: BulkTable, key: String, value: ArraySlice<UInt8>) in writer.add(table: table.rawValue, key: key, value: value) }
            if rulesTables.contains(table) { state.rules.forEachBulkRow(of: table, add) } else { state.views.forEachBulkRow(of: table, add) }
            return writer
        }
        return try open(paths, Key([Layer(records: records, digest: digest)]))
    }

    /// The base just written, read back.
    private static func open(_ paths: LedgerPaths, _ key: Key) throws(StorageError) -> BulkFile {
        do {
            return try BulkFile(paths, key: key)
        } catch {
            throw .limit("the bulk tables just written cannot be read back: \(error)")
        }
    }

    /// The rows of the bulk entries of `state` changed since its base, as a base stores them.
    /// The rules' rows and the projections' are gathered on two threads.
    private static func recentRows(of state: LedgerState) -> TableFileWriter {
        let writers = [Rows(), Rows()]
        ParallelWork.run(parts: 2) { part in
            let add = { (table: BulkTable, key: String, value: ArraySlice<UInt8>) in writers[part].writer.add(table: table.rawValue, key: key, value: value) }
            if part == 0 { state.rules.forEachRecentBulkRow(add) } else { state.views.forEachRecentBulkRow(add) }
        }
        var writer = writers[0].writer
        writer.absorb(writers[1].writer)
        return writer
    }

    /// A writer one thread fills.
    final class Rows: @unchecked Sendable { var writer = TableFileWriter() }

    func value(in table: BulkTable, key: String) -> [UInt8]? {
        do {
            guard table.extendsSaved else {
                for file in files.reversed() {
                    if let row = try file.value(table: table.rawValue, key: key) { return row }
                }
                return nil
            }
            var rows: [UInt8]?
            for file in files {
                if let row = try file.value(table: table.rawValue, key: key) { rows = (rows ?? []) + row }
            }
            return rows
        } catch {
            markDamaged(error.description)
            return nil
        }
    }

    /// Every key's row once: the newest file's rows, then each older file's whose keys no newer
    /// one holds; for a table whose rows extend, the lower file's rows, each followed by the
    /// upper rows of its key, then the upper rows of keys the lower file does not hold.
    func forEach(in table: BulkTable, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        do {
            guard files.count > 1 else { return try lower.forEach(table: table.rawValue, body) }
            guard !table.extendsSaved else { return try forEachExtended(in: table, body) }
            var newer = Set<ArraySlice<UInt8>>()
            for (index, file) in files.enumerated().reversed() {
                try file.forEach(table: table.rawValue) { key, value in
                    guard newer.isEmpty || !newer.contains(key) else { return }
                    if index > 0 { newer.insert(key) }
                    body(key, value)
                }
            }
        } catch {
            markDamaged(error.description)
        }
    }

    private func forEachExtended(in table: BulkTable, _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) throws(TableFile.Problem) {
        var added: [ArraySlice<UInt8>: ArraySlice<UInt8>] = [:]
        var order: [ArraySlice<UInt8>] = []   // the upper files', older first, not the dictionary's
        for file in files.dropFirst() {
            try file.forEach(table: table.rawValue) { key, value in
                guard let earlier = added[key] else {
                    order.append(key)
                    return added[key] = value
                }
                added[key] = (Array(earlier) + value)[...]
            }
        }
        try lower.forEach(table: table.rawValue) { key, value in
            guard let more = added.removeValue(forKey: key) else { return body(key, value) }
            body(key, (Array(value) + more)[...])
        }
        for key in order { if let value = added[key] { body(key, value) } }
    }

    func rowsBound(in table: BulkTable) -> Int { files.reduce(0) { $0 + $1.count(table: table.rawValue) } }

    /// The rows of every file (a key in two counts twice): the base's size, for when to write a new one.
    var rowCount: Int { files.reduce(0) { $0 + $1.rowCount } }

    /// Reads and checks every page of every file (before a report that reads the tables at
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
