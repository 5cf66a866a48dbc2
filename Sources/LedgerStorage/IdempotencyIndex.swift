#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto

/// A derivable cache: idempotency key -> byte offset of the record that used it, as an
/// open-addressing hash table in `cache/idempotency.idx`, so a lookup reads one or two slots
/// whatever the size of the log. It is never trusted: every hit is checked against the log itself,
/// and a header that does not match the log's tail makes it rebuilt from the log.
///
/// Layout (little-endian): a 64-byte header `LIDX0001`, capacity, count, covered log bytes,
/// hash of the record that ends there; then `capacity` slots of 24 bytes: the first 16 bytes of
/// SHA-256(key), and the record's offset + 1 (0 = empty slot).
final class IdempotencyIndex {
    static let magic = Array("LIDX0001".utf8)
    static let headerBytes = 64
    static let slotBytes = 24
    static let initialCapacity: UInt64 = 1024
    static let fileName = LedgerPaths.Name.idempotencyIndex

    /// `cache/`, where the index and its replacements are written.
    let directory: DirectoryHandle
    /// Its name in `cache/`: a temporary one while a new index is being built.
    private var name: String
    /// The whole file, mapped: a lookup touches one or two pages, a batch of inserts makes no
    /// system call per key. The mapping outlives the descriptor it was made from.
    private var map: MappedFile
    private(set) var capacity: UInt64
    private(set) var count: UInt64
    private(set) var coveredBytes: UInt64
    private(set) var coveredHash: SHA256Digest

    var path: String { directory.pathOf(name) }

    private init(directory: DirectoryHandle, name: String, map: MappedFile, capacity: UInt64, count: UInt64,
                 coveredBytes: UInt64, coveredHash: SHA256Digest) {
        self.directory = directory
        self.name = name
        self.map = map
        self.capacity = capacity
        self.count = count
        self.coveredBytes = coveredBytes
        self.coveredHash = coveredHash
    }

    /// What `open` found: the index, and why the entry at its name was replaced, if it was.
    struct Opened {
        let index: IdempotencyIndex
        /// "a symbolic link ...": the entry was not a file the writer can use, and a new index
        /// (covering nothing) took its place.
        let replaced: String?
    }

    /// Opens `cache/idempotency.idx`, or creates an empty one (covering nothing) when it is
    /// missing, unreadable, or not a file the writer can use (never following a link to one).
    static func open(in directory: DirectoryHandle) throws(StorageError) -> Opened {
        switch try directory.entry(fileName, flags: O_RDWR) {
        case .file(let file):
            if let index = try? openExisting(file, directory: directory) { return Opened(index: index, replaced: nil) }
            return Opened(index: try create(in: directory, capacity: initialCapacity), replaced: nil)
        case .missing:
            return Opened(index: try create(in: directory, capacity: initialCapacity), replaced: nil)
        case .unsafe(let refusal):
            return Opened(index: try create(in: directory, capacity: initialCapacity), replaced: refusal.reason)
        }
    }

    private static func openExisting(_ file: borrowing SystemFile,
                                     directory: DirectoryHandle) throws(StorageError) -> IdempotencyIndex? {
        let size = try file.size()
        guard size >= UInt64(headerBytes) else { return nil }
        let map = try MappedFile(file: file, byteCount: Int(size))
        guard map.bytes(0, 8) == magic else { return nil }
        let capacity = map.load(at: 8)
        guard capacity >= 16, capacity & (capacity - 1) == 0,
              size == UInt64(headerBytes) + capacity * UInt64(slotBytes) else { return nil }
        return IdempotencyIndex(directory: directory, name: fileName, map: map, capacity: capacity, count: map.load(at: 16),
                                coveredBytes: map.load(at: 24), coveredHash: SHA256Digest(bytes: map.bytes(32, 32)))
    }

    /// A new empty index at `cache/idempotency.idx`, replacing whatever was there.
    static func create(in directory: DirectoryHandle, capacity: UInt64) throws(StorageError) -> IdempotencyIndex {
        let index = try createTemporary(in: directory, capacity: capacity)
        do throws(StorageError) { try index.publish() } catch {
            try? directory.removeFile(index.name)
            throw error
        }
        return index
    }

    /// A new empty index in a temporary file of `directory` (an unpredictable name, created
    /// exclusively); `publish` renames it into place.
    private static func createTemporary(in directory: DirectoryHandle,
                                        capacity: UInt64) throws(StorageError) -> IdempotencyIndex {
        let temporary = try directory.createTemporaryFile(for: fileName)
        let size = UInt64(headerBytes) + capacity * UInt64(slotBytes)
        do throws(StorageError) {
            // Blocks reserved now: a mapped page without one would kill the process with SIGBUS on
            // a full disk, where this throws ENOSPC instead.
            try temporary.file.allocate(size)
            let map = try MappedFile(file: temporary.file, byteCount: Int(size))
            let index = IdempotencyIndex(directory: directory, name: temporary.name, map: map, capacity: capacity, count: 0,
                                         coveredBytes: 0, coveredHash: .zero)
            index.writeHeader()
            return index
        } catch {
            try? directory.removeFile(temporary.name)
            throw error
        }
    }

    /// Renames the index, built in a temporary file, over `idempotency.idx` (never through it).
    private func publish() throws(StorageError) {
        try directory.rename(name, to: Self.fileName)
        name = Self.fileName
    }

    /// Forgets everything: the caller then re-covers the log from its first byte.
    func reset() throws(StorageError) {
        map.zero(from: 0, count: map.byteCount)
        count = 0
        coveredBytes = 0
        coveredHash = .zero
        writeHeader()
    }

    /// The offsets of every slot whose digest matches the key (normally zero or one).
    func candidates(for key: String) -> [UInt64] {
        let digest = Self.keyDigest(key)
        var found: [UInt64] = []
        var slot = Self.firstSlot(digest, capacity: capacity)
        for _ in 0..<capacity {
            let stored = map.load(at: slotOffset(slot) + 16)
            if stored == 0 { return found }
            if map.equals(digest, at: slotOffset(slot)) { found.append(stored - 1) }
            slot = (slot + 1) & (capacity - 1)
        }
        return found
    }

    /// Adds key -> offset unless that exact pair is there already (catching up may meet it twice).
    func insert(key: String, recordOffset: UInt64) throws(StorageError) {
        if candidates(for: key).contains(recordOffset) { return }
        if (count + 1) * 2 > capacity { try grow() }
        insertDigest(Self.keyDigest(key), stored: recordOffset + 1)
    }

    /// Makes the slots durable, then records how much of the log they cover. The header is
    /// written after the sync: if it is lost, the next writer only catches up again.
    func commit(coveredBytes: UInt64, coveredHash: SHA256Digest, slotsChanged: Bool) throws(StorageError) {
        if slotsChanged { try map.sync(path: path) }
        self.coveredBytes = coveredBytes
        self.coveredHash = coveredHash
        writeHeader()
    }

    private func grow() throws(StorageError) {
        let bigger = try Self.createTemporary(in: directory, capacity: capacity * 2)
        for slot in 0..<capacity {
            let stored = map.load(at: slotOffset(slot) + 16)
            if stored != 0 { bigger.insertDigest(map.bytes(Int(slotOffset(slot)), 16), stored: stored) }
        }
        do throws(StorageError) {
            try bigger.commit(coveredBytes: coveredBytes, coveredHash: coveredHash, slotsChanged: true)
            try bigger.publish()
        } catch {
            try? directory.removeFile(bigger.name)
            throw error
        }
        map = bigger.map
        capacity = bigger.capacity
        count = bigger.count
    }

    private func insertDigest(_ digest: [UInt8], stored: UInt64) {
        var slot = Self.firstSlot(digest, capacity: capacity)
        while map.load(at: slotOffset(slot) + 16) != 0 { slot = (slot + 1) & (capacity - 1) }
        map.store(digest, at: slotOffset(slot))
        map.store(stored, at: slotOffset(slot) + 16)
        count += 1
    }

    private func writeHeader() {
        map.store(Self.magic, at: 0)
        map.store(capacity, at: 8)
        map.store(count, at: 16)
        map.store(coveredBytes, at: 24)
        map.store(coveredHash.bytes, at: 32)
    }

    private func slotOffset(_ slot: UInt64) -> UInt64 { UInt64(Self.headerBytes) + slot * UInt64(Self.slotBytes) }

    static func keyDigest(_ key: String) -> [UInt8] { Array(SHA256.hash(Array(key.utf8)).bytes[0..<16]) }

    static func firstSlot(_ digest: [UInt8], capacity: UInt64) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(digest[index]) }
        return value & (capacity - 1)
    }
}
