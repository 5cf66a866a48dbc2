#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerProofs

extension LedgerPaths {
    /// Every perfect subtree hash of the records' Merkle tree, in `Merkle.storedHashIndex` order.
    public var merkleHashes: String { cache + "/" + Name.merkleHashes }
    /// The byte offset of every record's line.
    public var recordOffsets: String { cache + "/" + Name.recordOffsets }
}

/// The proof caches of a ledger (`cache/merkle.hashes` and `cache/offsets`, Specs/proofs.md
/// section 9): what makes a checkpoint, an inclusion proof or a consistency proof on a
/// million-record log cost O(log n) reads instead of a pass over the log.
///
/// Derivable and never trusted. Opening it checks that what it covers is still the log's
/// prefix (the last covered record is re-read, decoded and hash-checked; the tree head is
/// recomputed from the stored subtrees) and rebuilds it otherwise; then it catches up with the
/// records appended since, binding each new leaf to the line's bytes and to the previous record
/// (`ChainLink`). Callers check every proof they build against a tree head obtained
/// independently, and call `rebuild()` once before blaming the log (`retryingAfterRebuild`).
/// `ledger verify` does not use it at all.
///
/// One process at a time: it holds an exclusive `flock` on `cache/merkle.hashes` while open.
/// Appends do not touch it, so the log may grow meanwhile; the cache covers what was there.
public final class MerkleCache {
    static let magic = Array("LMRKHSH1".utf8)
    /// Bytes of stored hashes or offsets gathered before one write.
    static let flushBytes = 1 << 20

    public let paths: LedgerPaths
    private let hashes: CacheFile
    private let offsets: OffsetIndex
    private let log: SystemFile
    /// What opening and rebuilding did, for the user to read.
    public private(set) var notices: [String] = []
    private var rebuilt = false

    /// How many records the cache covers: the log's complete records when it was opened.
    public var recordCount: UInt64 { hashes.header?.recordCount ?? 0 }
    /// The hash of the last covered record.
    public var lastHash: SHA256Digest { hashes.header?.lastHash ?? .zero }

    /// `cache/`, where the seal is written.
    private let directory: DirectoryHandle

    private init(paths: LedgerPaths, hashes: CacheFile, offsets: OffsetIndex, log: consuming SystemFile, directory: DirectoryHandle) {
        self.paths = paths
        self.hashes = hashes
        self.offsets = offsets
        self.log = log
        self.directory = directory
    }

    /// Opens (creating, validating, rebuilding as needed) and catches up with the log. With
    /// `requiringSeal`, what the cache held is used only if it is sealed (`seal(by:firstSeq:)`)
    /// by the key that signed the last append it covers; otherwise it is rebuilt from the log
    /// (Specs/proofs.md, section 9). Records after it are always chain-checked from the log.
    public static func open(paths: LedgerPaths, lockTimeoutMilliseconds: Int = 10_000, requiringSeal: Bool = false,
                            evidence: KeyEvidence.Checks = KeyEvidence.Checks()) throws(MerkleCacheError) -> MerkleCache {
        let cache: MerkleCache
        do throws(StorageError) {
            guard Directory.fileExists(paths.log) else {
                throw StorageError.notALedger(path: paths.directory, reason: "no log.jsonl")
            }
            let directory = try DirectoryHandle(path: paths.directory)
            guard let log = try directory.openFile(LedgerPaths.Name.log, flags: O_RDONLY) else {
                throw StorageError.notALedger(path: paths.directory, reason: "no log.jsonl")
            }
            let cacheDirectory = try directory.subdirectory(LedgerPaths.Name.cache)
            let hashes = try CacheFile(in: cacheDirectory, name: LedgerPaths.Name.merkleHashes, magic: magic,
                                       entryBytes: SHA256Digest.byteCount)
            try hashes.lockExclusively(timeoutMilliseconds: lockTimeoutMilliseconds)
            let offsets = try OffsetIndex(in: cacheDirectory)
            cache = MerkleCache(paths: paths, hashes: hashes, offsets: offsets, log: log, directory: cacheDirectory)
        } catch {
            throw .storage(error)
        }
        for file in [cache.hashes, cache.offsets.file] {
            guard let replaced = file.replaced else { continue }
            cache.notices.append("cache/\(file.name) was \(replaced): replaced it with a new file, rebuilt from the log")
        }
        var problem = try cache.problem()
        if problem == nil, requiringSeal { problem = try cache.sealProblem(evidence) }
        if let problem {
            if cache.hashes.header != nil || cache.offsets.file.header != nil {
                cache.notices.append("the proof cache was not usable (\(problem)); rebuilt it from the log")
            }
            try cache.reset()
        }
        try cache.catchUp()
        return cache
    }

    // MARK: - The seal

    /// The seal file: magic, records covered, last hash, tree head, then the `CacheSeal` of the
    /// tree head (Specs/log-format.md, section 10.5).
    static let sealMagic = Array("LMRKSEAL".utf8)
    static let sealFileBytes = 8 + 8 + 32 + 32 + CacheSeal.byteCount

    /// Seals what the cache covers, for the operator `signer` who just made the append
    /// `firstSeq ...` that ends with the last covered record.
    public func seal(by signer: AppendSigner, firstSeq: UInt64) throws(MerkleCacheError) {
        guard let header = hashes.header, header.recordCount > 0 else { return }
        let last = try record(seq: header.recordCount - 1).record
        let seal = CacheSeal(.merkle, digest: header.treeHead, lastRecord: last, firstSeq: firstSeq, signer: signer)
        var bytes = Self.sealMagic
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: header.recordCount >> (8 * UInt64(index)))) }
        bytes += header.lastHash.bytes + header.treeHead.bytes + seal.bytes
        precondition(bytes.count == Self.sealFileBytes, "the seal file's layout")
        do { try directory.writeAtomically(bytes, to: LedgerPaths.Name.merkleSeal, durable: false) } catch { throw .storage(error) }
    }

    /// Why the cache is not trusted as it is (no seal, or one that does not cover exactly what
    /// it holds or was not made by the key of the last covered append), or nil.
    private func sealProblem(_ evidence: KeyEvidence.Checks) throws(MerkleCacheError) -> String? {
        guard let header = hashes.header, header.recordCount > 0 else { return nil }
        let bytes: [UInt8]
        do {
            guard let file = try directory.openFile(LedgerPaths.Name.merkleSeal, flags: O_RDONLY) else { return "not sealed" }
            bytes = try file.read(at: 0, count: Self.sealFileBytes + 1)
        } catch {
            return "its seal cannot be read (\(error))"
        }
        guard bytes.count == Self.sealFileBytes, bytes.prefix(8).elementsEqual(Self.sealMagic),
              let seal = CacheSeal(bytes: bytes[80...]) else { return "its seal is damaged" }
        let records = bytes[8..<16].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard records == header.recordCount, SHA256Digest(bytes: bytes[16..<48]) == header.lastHash,
              SHA256Digest(bytes: bytes[48..<80]) == header.treeHead else { return "its seal covers other records" }
        let last = try record(seq: header.recordCount - 1).record
        guard seal.holds(.merkle, digest: header.treeHead, lastRecord: last) else {
            return "not sealed by the key that signed the last append it covers"
        }
        guard KeyEvidence.confirms(key: seal.key, actor: last.actor, appendFirstSeq: seal.firstSeq, paths: paths, checks: evidence) else {
            return "sealed by a key that cache/keys.evidence does not show registered to the operator of the last append it covers"
        }
        return nil
    }

    /// Throws the cache away and builds it again from the whole log.
    public func rebuild(reason: String) throws(MerkleCacheError) {
        notices.append("rebuilt the proof cache from the log (\(reason))")
        rebuilt = true
        try reset()
        try catchUp()
    }

    /// Runs `attempt`; if it finds the cache disagreeing with an independent fact (it returns
    /// nil), rebuilds the cache once and runs it again. Nil means the log itself disagrees.
    public func retryingAfterRebuild<T>(
        _ reason: String, _ attempt: (MerkleCache) throws(MerkleCacheError) -> T?
    ) throws(MerkleCacheError) -> T? {
        if let result = try attempt(self) { return result }
        guard !rebuilt else { return nil }
        try rebuild(reason: reason)
        return try attempt(self)
    }

    // MARK: - Reading

    /// The tree head of the first `size` records (`size` at most `recordCount`).
    public func treeHead(size: UInt64) throws(MerkleCacheError) -> SHA256Digest {
        try merkle { () throws in try Merkle.root(size: size, reader: reader(size: size)) }
    }

    public func inclusionProof(index: UInt64, size: UInt64) throws(MerkleCacheError) -> [SHA256Digest] {
        try merkle { () throws in try Merkle.inclusionProof(index: index, size: size, reader: reader(size: size)) }
    }

    public func consistencyProof(oldSize: UInt64, newSize: UInt64) throws(MerkleCacheError) -> [SHA256Digest] {
        try merkle { () throws in
            try Merkle.consistencyProof(oldSize: oldSize, newSize: newSize, reader: reader(size: newSize))
        }
    }

    /// The line of record `seq` (without its newline), decoded and hash-checked.
    public func record(seq: UInt64) throws(MerkleCacheError) -> (line: [UInt8], record: Record) {
        guard seq < recordCount else { throw .noRecord(seq: seq, recordCount: recordCount) }
        let line: [UInt8]?
        do { line = try offsets.line(of: seq, log: log) } catch { throw .storage(error) }
        guard let line, let record = try? RecordCodec.decodeChecked(line: line), record.seq == seq else {
            throw .cacheDisagrees("cache/offsets does not point at record \(seq)")
        }
        return (line, record)
    }

    private func reader(size: UInt64) -> CachedHashReader {
        precondition(size <= recordCount, "the cache covers \(recordCount) records, not \(size)")
        return CachedHashReader(file: hashes, size: size)
    }

    /// Maps what building a proof can throw: the cache's I/O errors, or a request outside the tree.
    private func merkle<T>(_ body: () throws -> T) throws(MerkleCacheError) -> T {
        do {
            return try body()
        } catch let error as StorageError {
            throw .storage(error)
        } catch let error as MerkleProofError {
            throw .proof(error)
        } catch {
            throw .cacheDisagrees("\(error)")
        }
    }

    // MARK: - Validation and catch-up

    /// Why the cache cannot be extended as it is, or nil when it can.
    private func problem() throws(MerkleCacheError) -> String? {
        guard let header = hashes.header, let offsetsHeader = offsets.file.header else { return "header missing or damaged" }
        guard header.covers(sameAs: offsetsHeader) else { return "merkle.hashes and offsets cover different records" }
        do {
            guard try hashes.entryCapacity() >= Merkle.storedHashCount(size: header.recordCount),
                  try offsets.file.entryCapacity() >= header.recordCount else { return "shorter than its header says" }
            guard header.recordCount > 0 else { return header.coveredBytes == 0 ? nil : "inconsistent empty header" }
            guard header.coveredBytes <= (try log.size()) else { return "the log is shorter than the cache (truncated?)" }
            guard let line = try offsets.line(of: header.recordCount - 1, log: log),
                  try offsets.offset(of: header.recordCount - 1) + UInt64(line.count) + 1 == header.coveredBytes,
                  let record = try? RecordCodec.decodeChecked(line: line),
                  record.seq == header.recordCount - 1, record.hash == header.lastHash else {
                return "the log's record \(header.recordCount - 1) is not the one the cache covered (rewritten?)"
            }
        } catch {
            throw .storage(error)
        }
        guard try treeHead(size: header.recordCount) == header.treeHead else { return "its tree head does not match its hashes" }
        return nil
    }

    private func reset() throws(MerkleCacheError) {
        do {
            try hashes.reset()
            try offsets.file.reset()
        } catch {
            throw .storage(error)
        }
    }

    /// Extends the cache with the complete records after the ones it covers: a batch of lines at
    /// a time, whose links (each line parsed and re-hashed, which needs no other line) are found
    /// on every core before they are chained in order (a cold cache on 1.6 million records, or a
    /// batch of 100,000 just appended, spent most of its catching up there).
    private func catchUp() throws(MerkleCacheError) {
        let start = hashes.header ?? .empty
        var extender: CacheExtender
        do {
            let tree = start.recordCount == 0
                ? MerkleAccumulator() : try MerkleAccumulator(size: start.recordCount, reader: reader(size: start.recordCount))
            extender = CacheExtender(start: start, tree: tree, hashes: hashes, offsets: offsets.file)
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .cacheDisagrees("\(error)")
        }
        do {
            _ = try LogScanner.scanBatches(file: log, from: start.coveredBytes) { batch in
                let links = ChainLink.parse(batch)
                for (index, range) in batch.lines.enumerated() {
                    let line = UnsafeRawBufferPointer(rebasing: batch.buffer[range])
                    // Any value stops the scan; `extender.broken` says why, the ending is not used.
                    guard extender.add(line: line, link: links[index], offset: batch.offsets[index]) else { return 0 }
                }
                return nil
            }
        } catch let oversize as LogScanner.OversizeLine {
            extender.broken = .brokenLog(seq: extender.header.recordCount, offset: oversize.offset, reason: "a line longer than a record")
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            preconditionFailure("LogScanner throws StorageError or OversizeLine only: \(error)")
        }
        try extender.finish()
    }
}

/// Gathers what catching up appends, and writes it in large pieces.
private struct CacheExtender {
    var header: CacheHeader
    var tree: MerkleAccumulator
    let hashes: CacheFile
    let offsets: CacheFile
    var hashBytes: [UInt8] = []
    var offsetBytes: [UInt8] = []
    var hashesWritten: UInt64
    var offsetsWritten: UInt64
    var broken: MerkleCacheError?
    /// The hash of the last record added (kept raw; `header.lastHash` is set in `finish`).
    var lastHash: RawDigest
    /// Its 64 hex digits, which the next line's `prev` must repeat byte for byte.
    var lastHashHex: [UInt8]

    init(start: CacheHeader, tree: MerkleAccumulator, hashes: CacheFile, offsets: CacheFile) {
        precondition(tree.size == start.recordCount, "the tree resumes where the cache ends")
        self.header = start
        self.lastHash = RawDigest(start.lastHash)
        self.lastHashHex = Array(start.lastHash.hex.utf8)
        self.tree = tree
        self.hashes = hashes
        self.offsets = offsets
        self.hashesWritten = Merkle.storedHashCount(size: start.recordCount)
        self.offsetsWritten = start.recordCount
        hashBytes.reserveCapacity(MerkleCache.flushBytes + 64 * SHA256Digest.byteCount)
        offsetBytes.reserveCapacity(MerkleCache.flushBytes + 8)
    }

    /// Adds one line, parsed as `parsed`; false stops the scan (a broken link or an I/O error,
    /// kept in `broken`).
    mutating func add(line: UnsafeRawBufferPointer, link parsed: Result<ChainLink, ChainLink.Problem>, offset: UInt64) -> Bool {
        let link: ChainLink
        do {
            link = try parsed.get()
        } catch {
            let reason: String
            switch error {
            case .shape(let what): reason = "not a record line: \(what)"
            case .hashMismatch(let stored, let computed): reason = "stored hash \(stored.hex) but the line hashes to \(computed.hex)"
            }
            broken = .brokenLog(seq: header.recordCount, offset: offset, reason: reason)
            return false
        }
        let linked = lastHashHex.withUnsafeBytes { last in
            memcmp(line.baseAddress! + link.prevHex.lowerBound, last.baseAddress!, 64) == 0
        }
        guard link.seq == header.recordCount, linked else {
            let reason = link.seq != header.recordCount
                ? "seq is \(link.seq), expected \(header.recordCount)" : "prev does not link to the record before"
            broken = .brokenLog(seq: header.recordCount, offset: offset, reason: reason)
            return false
        }
        tree.append(leafHash: link.hash.leafHash)
        for subtree in tree.completedSubtrees {
            subtree.hash.withUnsafeBytes { hashBytes.append(contentsOf: $0) }
        }
        OffsetIndex.encode(offset, into: &offsetBytes)
        header.recordCount += 1
        header.coveredBytes = offset + UInt64(line.count) + 1
        lastHash = link.hash
        lastHashHex.withUnsafeMutableBytes { last in
            last.copyMemory(from: UnsafeRawBufferPointer(rebasing: line[link.hashHex]))
        }
        if hashBytes.count >= MerkleCache.flushBytes {
            do { try flush() } catch { broken = .storage(error); return false }
        }
        return true
    }

    mutating func flush() throws(StorageError) {
        try hashes.writeEntries(hashBytes, from: hashesWritten)
        try offsets.writeEntries(offsetBytes, from: offsetsWritten)
        hashesWritten += UInt64(hashBytes.count / SHA256Digest.byteCount)
        offsetsWritten += UInt64(offsetBytes.count / OffsetIndex.entryBytes)
        hashBytes.removeAll(keepingCapacity: true)
        offsetBytes.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and the headers (covering every good record), then reports a break.
    mutating func finish() throws(MerkleCacheError) {
        header.treeHead = tree.root
        header.lastHash = lastHash.digest
        do {
            try flush()
            precondition(hashesWritten == Merkle.storedHashCount(size: header.recordCount), "one stored hash per subtree")
            precondition(offsetsWritten == header.recordCount, "one offset per record")
            try offsets.commit(header, entryCount: offsetsWritten)
            try hashes.commit(header, entryCount: hashesWritten)
        } catch {
            throw .storage(error)
        }
        if let broken { throw broken }
    }
}

/// Perfect subtree hashes of the first `size` leaves, read from `cache/merkle.hashes`.
struct CachedHashReader: MerkleHashReader {
    let file: CacheFile
    let size: UInt64

    func perfectSubtreeHash(level: Int, index: UInt64) throws -> SHA256Digest {
        guard level >= 0, level < 63, index < size >> UInt64(level) else {
            throw MerkleHashStoreError.subtreeNotComplete(level: level, index: index, size: size)
        }
        return SHA256Digest(bytes: try file.readEntry(Merkle.storedHashIndex(level: level, index: index)))
    }
}

/// Why the proof cache could not answer.
public enum MerkleCacheError: Error, Sendable, Equatable, CustomStringConvertible {
    case storage(StorageError)
    /// The log's hash chain breaks at this record: `ledger verify` says more.
    case brokenLog(seq: UInt64, offset: UInt64, reason: String)
    /// The log has no record `seq` (it has `recordCount`).
    case noRecord(seq: UInt64, recordCount: UInt64)
    /// A request outside the tree (an index or size beyond it).
    case proof(MerkleProofError)
    /// The cache does not match the log; a rebuild fixes it.
    case cacheDisagrees(String)

    public var description: String {
        switch self {
        case .storage(let error): return error.description
        case .brokenLog(let seq, let offset, let reason):
            return "the log's hash chain breaks at record \(seq) (byte \(offset)): \(reason); run `ledger verify`"
        case .noRecord(let seq, let recordCount):
            return "the log has no record \(seq): it has \(recordCount) records (seq 0 to \(recordCount == 0 ? 0 : recordCount - 1))"
        case .proof(let error): return error.description
        case .cacheDisagrees(let reason): return "the proof cache disagrees with the log: \(reason)"
        }
    }
}
