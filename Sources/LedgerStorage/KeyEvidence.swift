#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto

/// `cache/keys.evidence`: the log's own lines that give the operators their keys, so that a
/// reader can check a cache's seal against the log's key registry without folding the log
/// (Specs/log-format.md §10.6). Without it, anyone who can write the directory could append a
/// line signed by a key of their own and seal a cache with that key.
///
/// The file holds, for every append that registers, rotates or revokes a key, its lines from the
/// first such record to its signed last record, each line prefixed with the append's first seq.
/// It needs no seal: every entry is verified from the log's genesis line (read from `log.jsonl`
/// itself), each append under the key the entries before it gave its operator, so a line
/// written without a key can only make the evidence fail, and a cache is then folded again.
public enum KeyEvidence {
    static let magic = "ledger.keys-evidence.v1"
    static let registryTypes: Set<String> = ["operator.registered", "operator.key_rotated", "operator.revoked"]
    /// An append holding a key event whose remaining lines exceed this gives no evidence: the
    /// caches are then not trusted (every command folds the log), which is slow but never wrong.
    static let appendLinesMax = 100_000

    /// One append of the evidence: its first seq, and its lines from its first key event on.
    struct Entry {
        let firstSeq: UInt64
        let records: [Record]
        /// The records' lines exactly as in the log.
        let lines: [[UInt8]]
    }

    // MARK: - Reading (every command that trusts a sealed cache)

    /// Whether `key` was the key of `actor` when the append beginning at `appendFirstSeq` began,
    /// by the evidence and the log's genesis. False when the evidence is missing or fails.
    public static func confirms(key: Ed25519.PublicKey, actor: String, appendFirstSeq: UInt64, paths: LedgerPaths,
                                checks: Checks = Checks()) -> Bool {
        guard let genesis = try? genesisRecord(paths) else { return false }
        if appendFirstSeq == 0 { return genesis.actor == actor && genesisKey(genesis, checks: checks) == key }
        guard let entries = read(paths, checks: checks),
              let keys = registry(genesis: genesis, entries: entries, before: appendFirstSeq, checks: checks) else {
            return false
        }
        return keys[actor] == key
    }

    /// The key of each operator before the append that begins at `before`, or nil if an entry
    /// does not hold: out of order, not chained, not one operator's, or not signed by the key
    /// that operator had (the first registration of a log begun in version 1 excepted: it is
    /// signed by the key it sets, as log-format §10.3 allows once).
    static func registry(genesis: Record, entries: [Entry], before: UInt64, checks: Checks) -> [String: Ed25519.PublicKey]? {
        var keys: [String: Ed25519.PublicKey] = [:]
        if let key = genesisKey(genesis, checks: checks) {
            guard let signature = genesis.signature, checks.holds(signature, firstSeq: 0, lastRecord: genesis, key: key) else {
                return nil
            }
            keys[genesis.actor] = key
        }
        var end: UInt64 = 0
        for entry in entries {
            guard entry.firstSeq < before else { break }
            guard let first = entry.records.first, let last = entry.records.last, entry.firstSeq > end,
                  entry.firstSeq <= first.seq, let signature = last.signature, last.seq < before else { return nil }
            for (index, record) in entry.records.enumerated() {
                guard record.version >= 2, record.actor == first.actor, (record.signature == nil) == (index < entry.records.count - 1),
                      index == 0 || (record.seq == entry.records[index - 1].seq + 1 && record.prev == entry.records[index - 1].hash) else {
                    return nil
                }
            }
            guard let signer = keys[first.actor] ?? bootstrapKey(entry, keys: keys, checks: checks),
                  checks.holds(signature, firstSeq: entry.firstSeq, lastRecord: last, key: signer) else { return nil }
            for record in entry.records { apply(record, to: &keys, checks: checks) }
            end = last.seq
        }
        return keys
    }

    /// A log begun in version 1 sets its first key by an append signed by that key (§10.3).
    private static func bootstrapKey(_ entry: Entry, keys: [String: Ed25519.PublicKey], checks: Checks) -> Ed25519.PublicKey? {
        guard keys.isEmpty, entry.records.count == 1, let record = entry.records.first, record.type == "operator.key_rotated",
              record.payload["operator"] == .string(record.actor) else { return nil }
        return key(in: record, checks: checks)
    }

    private static func apply(_ record: Record, to keys: inout [String: Ed25519.PublicKey], checks: Checks) {
        guard registryTypes.contains(record.type), case .string(let operatorID)? = record.payload["operator"] else { return }
        if record.type == "operator.revoked" { keys[operatorID] = nil } else { keys[operatorID] = key(in: record, checks: checks) }
    }

    private static func key(in record: Record, checks: Checks) -> Ed25519.PublicKey? {
        guard case .string(let text)? = record.payload["key"], let bytes = Base64.decode(text) else { return nil }
        return checks.key(bytes)
    }

    static func genesisKey(_ genesis: Record, checks: Checks) -> Ed25519.PublicKey? {
        genesis.version >= 2 ? key(in: genesis, checks: checks) : nil
    }

    static func genesisRecord(_ paths: LedgerPaths) throws(StorageError) -> Record {
        let log = try SystemFile(path: paths.log, flags: O_RDONLY)
        guard let line = try lines(of: log, from: 0, count: 1).first else {
            throw .damagedTail(path: paths.log, reason: "no genesis line")
        }
        return line.record
    }

    /// The entries of the evidence file, or nil when it is missing or does not parse.
    static func read(_ paths: LedgerPaths, checks: Checks = Checks()) -> [Entry]? {
        guard let cache = try? DirectoryHandle(path: paths.directory).existingSubdirectory(LedgerPaths.Name.cache) else { return nil }
        return (try? load(from: cache, checks: checks))??.entries
    }

    /// The evidence file in `cache`, parsed; nil when it is missing, over 64 MiB or malformed.
    static func load(from cache: DirectoryHandle, checks: Checks = Checks()) throws(StorageError) -> (scanned: UInt64, entries: [Entry])? {
        guard let file = try cache.openFile(LedgerPaths.Name.keyEvidence, flags: O_RDONLY) else { return nil }
        let size = try file.size()
        guard size < 64 << 20 else { return nil }
        return checks.parsed(try file.read(at: 0, count: Int(size)), parse)
    }

    /// `magic`, the log bytes scanned, then one line per record: `<append's first seq> <line>`.
    static func parse(_ bytes: [UInt8]) -> (scanned: UInt64, entries: [Entry])? {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count >= 3, lines.removeLast().isEmpty, String(decoding: lines[0], as: UTF8.self) == magic,
              let scanned = UInt64(String(decoding: lines[1], as: UTF8.self)) else { return nil }
        var entries: [Entry] = []
        var firstSeq: UInt64?, records: [Record] = [], kept: [[UInt8]] = []
        for line in lines.dropFirst(2) {
            guard let space = line.firstIndex(of: 0x20), let seq = UInt64(String(decoding: line[..<space], as: UTF8.self)),
                  firstSeq.map({ $0 == seq }) ?? true, let record = try? RecordCodec.decodeChecked(line: Array(line[(space + 1)...])) else {
                return nil
            }
            firstSeq = seq
            records.append(record)
            kept.append(Array(line[(space + 1)...]))
            if record.signature != nil {
                entries.append(Entry(firstSeq: seq, records: records, lines: kept))
                firstSeq = nil
                records.removeAll()
                kept.removeAll()
            }
        }
        return firstSeq == nil ? (scanned, entries) : nil
    }

    // MARK: - Writing (a writer, under the lock, after its append)

    /// The most log bytes without a key event the file may leave unscanned (`update`).
    static let rescanBytesMax: UInt64 = 64 << 10

    /// Brings the evidence up to `logBytes` (an append's end): the file's entries if they still
    /// hold, plus the key events in the bytes it had not scanned; from the genesis otherwise.
    /// If an append too long to keep holds a key event, the file is removed instead.
    public static func update(paths: LedgerPaths, logBytes: UInt64, checks: Checks = Checks()) throws(StorageError) {
        let cache = try DirectoryHandle(path: paths.directory).subdirectory(LedgerPaths.Name.cache)
        let log = try SystemFile(path: paths.log, flags: O_RDONLY)
        let genesis = try lines(of: log, from: 0, count: 1).first
        var entries: [Entry] = []
        var scanned = genesis.map { $0.end } ?? 0
        var oldFileHolds = false
        if let genesis, let old = try load(from: cache, checks: checks), old.scanned <= logBytes, old.scanned >= scanned,
           registry(genesis: genesis.record, entries: old.entries, before: .max, checks: checks) != nil {
            if old.scanned == logBytes { return }   // up to date
            entries = old.entries
            scanned = old.scanned
            oldFileHolds = true
        }
        guard let found = try scan(log, from: scanned, to: logBytes, after: entries.last?.records.last?.seq) else {
            try cache.removeFile(LedgerPaths.Name.keyEvidence)
            return
        }
        // No key event in a short stretch: the file stays, its `scanned` behind, and the next
        // update searches those bytes again. Writing it at every append (a temporary file, a
        // write and a rename) cost more than searching a few tens of kilobytes.
        if oldFileHolds, found.isEmpty, logBytes - scanned <= rescanBytesMax { return }
        entries += found
        var text = Array((magic + "\n" + String(logBytes) + "\n").utf8)
        for entry in entries {
            for line in entry.lines { text += Array("\(entry.firstSeq) ".utf8) + line + [0x0A] }
        }
        try cache.writeAtomically(text, to: LedgerPaths.Name.keyEvidence, durable: false)
    }

    /// The appends with key events among the lines in `[from, to)`, or nil when one is too long.
    static func scan(_ log: borrowing SystemFile, from: UInt64, to: UInt64, after covered: UInt64?) throws(StorageError) -> [Entry]? {
        var entries: [Entry] = []
        var coveredSeq = covered
        for offset in try lineStarts(of: log, containing: Array("\"type\":\"operator.".utf8), from: from, to: to) {
            guard let line = try lines(of: log, from: offset, count: 1).first, registryTypes.contains(line.record.type),
                  coveredSeq.map({ line.record.seq > $0 }) ?? true else { continue }
            guard let entry = try append(of: line, in: log, to: to) else { return nil }
            entries.append(entry)
            coveredSeq = entry.records.last?.seq
        }
        return entries
    }

    /// The append holding `line`: its first seq (found backwards, after the previous signed
    /// line) and its lines from `line` to its signed end.
    static func append(of line: Line, in log: borrowing SystemFile, to end: UInt64) throws(StorageError) -> Entry? {
        var start = line.start
        var firstSeq = line.record.seq
        var found = false
        for _ in 0..<appendLinesMax {
            guard start > 0, let previous = try lineBefore(start, in: log) else { found = true; break }
            if previous.record.signature != nil || previous.record.version < 2 { found = true; break }
            firstSeq = previous.record.seq
            start = previous.start
        }
        guard found else { return nil }   // an append too long to keep
        var kept = [line]
        while kept.last?.record.signature == nil {
            guard kept.count < appendLinesMax, let next = kept.last?.end, next < end,
                  let following = try lines(of: log, from: next, count: 1).first else { return nil }
            kept.append(following)
        }
        return Entry(firstSeq: firstSeq, records: kept.map(\.record), lines: kept.map(\.bytes))
    }

    // MARK: - Lines of the log

    struct Line {
        let start: UInt64
        let end: UInt64
        let record: Record
        let bytes: [UInt8]
    }

    /// Up to `count` whole lines from `offset` (a line start), decoded strictly.
    static func lines(of log: borrowing SystemFile, from offset: UInt64, count: Int) throws(StorageError) -> [Line] {
        var found: [Line] = []
        var position = offset
        while found.count < count {
            let bytes = try log.read(at: position, count: RecordCodec.lineBytesMax + 1)
            guard let newline = bytes.firstIndex(of: 0x0A) else { break }
            let line = Array(bytes[..<newline])
            guard let record = try? RecordCodec.decodeChecked(line: line) else {
                throw .damagedTail(path: log.path, reason: "the record at byte \(position) cannot be read; run `ledger verify`")
            }
            found.append(Line(start: position, end: position + UInt64(newline) + 1, record: record, bytes: line))
            position += UInt64(newline) + 1
        }
        return found
    }

    /// The line that ends just before `start` (a line start), or nil at the log's beginning.
    static func lineBefore(_ start: UInt64, in log: borrowing SystemFile) throws(StorageError) -> Line? {
        guard start > 0 else { return nil }
        let from = start - min(start, UInt64(RecordCodec.lineBytesMax + 1))
        let bytes = try log.read(at: from, count: Int(start - from))
        let body = bytes.dropLast()   // its newline
        let lineStart = body.lastIndex(of: 0x0A).map { from + UInt64($0) + 1 } ?? from
        guard lineStart > from || from == 0 else { return nil }
        return try lines(of: log, from: lineStart, count: 1).first
    }

    /// The starts of the lines in `[from, to)` that contain `pattern`, read 8 MiB at a time.
    static func lineStarts(of log: borrowing SystemFile, containing pattern: [UInt8], from: UInt64, to: UInt64) throws(StorageError) -> [UInt64] {
        var starts: [UInt64] = []
        var chunkStart = from
        let chunkBytes = 8 << 20
        while chunkStart < to {
            let count = Int(min(UInt64(chunkBytes), to - chunkStart))
            let bytes = try log.read(at: chunkStart, count: count)
            // Only whole lines: the last partial line is read again with the next chunk.
            guard let lastNewline = bytes.lastIndex(of: 0x0A) else { break }
            let search = Horspool(pattern)
            bytes.withUnsafeBufferPointer { buffer in
                var position = 0
                while let index = search.firstIndex(in: buffer, from: position, to: lastNewline + 1) {
                    let lineStart = buffer[..<index].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                    starts.append(chunkStart + UInt64(lineStart))
                    position = (buffer[index...].firstIndex(of: 0x0A) ?? lastNewline) + 1
                }
            }
            chunkStart += UInt64(lastNewline) + 1
        }
        return starts
    }
}

/// Boyer-Moore-Horspool search for one pattern (Glibc's `memmem` is not exported to Swift):
/// about one step per pattern length of text.
struct Horspool {
    let pattern: [UInt8]
    private var shift = [Int](repeating: 0, count: 256)

    init(_ pattern: [UInt8]) {
        precondition(!pattern.isEmpty, "a pattern to find")
        self.pattern = pattern
        for index in shift.indices { shift[index] = pattern.count }
        for (index, byte) in pattern.dropLast().enumerated() { shift[Int(byte)] = pattern.count - 1 - index }
    }

    /// The first index of the pattern in `buffer[from..<to]`, or nil.
    func firstIndex(in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        let last = pattern.count - 1
        var position = from
        while position + last < to {
            let byte = buffer[position + last]
            if byte == pattern[last] {
                var index = last - 1
                while index >= 0 && buffer[position + index] == pattern[index] { index -= 1 }
                if index < 0 { return position }
            }
            position += shift[Int(byte)]
        }
        return nil
    }
}
