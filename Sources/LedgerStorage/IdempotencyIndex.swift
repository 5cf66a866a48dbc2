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

    let path: String
    private var file: SystemFile
    private(set) var capacity: UInt64
    private(set) var count: UInt64
    private(set) var coveredBytes: UInt64
    private(set) var coveredHash: SHA256Digest

    private init(path: String, file: consuming SystemFile, capacity: UInt64, count: UInt64,
                 coveredBytes: UInt64, coveredHash: SHA256Digest) {
        self.path = path
        self.file = file
        self.capacity = capacity
        self.count = count
        self.coveredBytes = coveredBytes
        self.coveredHash = coveredHash
    }

    /// Opens the index, or creates an empty one (covering nothing) when it is missing or unreadable.
    static func open(path: String, cacheDirectory: String) throws(StorageError) -> IdempotencyIndex {
        try Directory.create(cacheDirectory)
        if let index = try? openExisting(path: path) { return index }
        return try create(path: path, capacity: initialCapacity)
    }

    private static func openExisting(path: String) throws(StorageError) -> IdempotencyIndex? {
        let file = try SystemFile(path: path, flags: O_RDWR)
        let header = try file.read(at: 0, count: headerBytes)
        guard header.count == headerBytes, Array(header[0..<8]) == magic else { return nil }
        let capacity = header.loadLittleEndian(at: 8)
        let size = try file.size()
        guard capacity >= 16, capacity & (capacity - 1) == 0,
              size == UInt64(headerBytes) + capacity * UInt64(slotBytes) else { return nil }
        return IdempotencyIndex(path: path, file: file, capacity: capacity, count: header.loadLittleEndian(at: 16),
                                coveredBytes: header.loadLittleEndian(at: 24),
                                coveredHash: SHA256Digest(bytes: header[32..<64]))
    }

    static func create(path: String, capacity: UInt64) throws(StorageError) -> IdempotencyIndex {
        let file = try SystemFile(path: path, flags: O_RDWR | O_CREAT | O_TRUNC)
        try file.truncate(to: UInt64(headerBytes) + capacity * UInt64(slotBytes))
        let index = IdempotencyIndex(path: path, file: file, capacity: capacity, count: 0, coveredBytes: 0,
                                     coveredHash: .zero)
        try index.writeHeader()
        return index
    }

    /// Forgets everything: the caller then re-covers the log from its first byte.
    func reset() throws(StorageError) {
        try file.truncate(to: 0)
        try file.truncate(to: UInt64(Self.headerBytes) + capacity * UInt64(Self.slotBytes))
        count = 0
        coveredBytes = 0
        coveredHash = .zero
        try writeHeader()
    }

    /// The offsets of every slot whose digest matches the key (normally zero or one).
    func candidates(for key: String) throws(StorageError) -> [UInt64] {
        let digest = Self.keyDigest(key)
        var found: [UInt64] = []
        var slot = Self.firstSlot(digest, capacity: capacity)
        for _ in 0..<capacity {
            let bytes = try file.read(at: slotOffset(slot), count: Self.slotBytes)
            let stored = bytes.loadLittleEndian(at: 16)
            if stored == 0 { return found }
            if Array(bytes[0..<16]) == digest { found.append(stored - 1) }
            slot = (slot + 1) & (capacity - 1)
        }
        return found
    }

    /// Adds key -> offset unless that exact pair is there already (catching up may meet it twice).
    func insert(key: String, recordOffset: UInt64) throws(StorageError) {
        if try candidates(for: key).contains(recordOffset) { return }
        if (count + 1) * 2 > capacity { try grow() }
        let digest = Self.keyDigest(key)
        var slot = Self.firstSlot(digest, capacity: capacity)
        while try file.read(at: slotOffset(slot) + 16, count: 8).loadLittleEndian(at: 0) != 0 {
            slot = (slot + 1) & (capacity - 1)
        }
        var bytes = digest
        bytes.appendLittleEndian(recordOffset + 1)
        try file.write(bytes, at: slotOffset(slot))
        count += 1
    }

    /// Makes the slots durable, then records how much of the log they cover. The header is
    /// written after the fsync: if it is lost, the next writer only catches up again.
    func commit(coveredBytes: UInt64, coveredHash: SHA256Digest, slotsChanged: Bool) throws(StorageError) {
        if slotsChanged { try file.sync() }
        self.coveredBytes = coveredBytes
        self.coveredHash = coveredHash
        try writeHeader()
    }

    private func grow() throws(StorageError) {
        let temporaryPath = path + ".tmp"
        let bigger = try Self.create(path: temporaryPath, capacity: capacity * 2)
        for slot in 0..<capacity {
            let bytes = try file.read(at: slotOffset(slot), count: Self.slotBytes)
            let stored = bytes.loadLittleEndian(at: 16)
            if stored != 0 { try bigger.insertDigest(Array(bytes[0..<16]), stored: stored) }
        }
        try bigger.commit(coveredBytes: coveredBytes, coveredHash: coveredHash, slotsChanged: true)
        try Directory.rename(temporaryPath, path)
        file = try SystemFile(path: path, flags: O_RDWR)
        capacity = bigger.capacity
        count = bigger.count
    }

    private func insertDigest(_ digest: [UInt8], stored: UInt64) throws(StorageError) {
        var slot = Self.firstSlot(digest, capacity: capacity)
        while try file.read(at: slotOffset(slot) + 16, count: 8).loadLittleEndian(at: 0) != 0 {
            slot = (slot + 1) & (capacity - 1)
        }
        var bytes = digest
        bytes.appendLittleEndian(stored)
        try file.write(bytes, at: slotOffset(slot))
        count += 1
    }

    private func writeHeader() throws(StorageError) {
        var header = Self.magic
        header.appendLittleEndian(capacity)
        header.appendLittleEndian(count)
        header.appendLittleEndian(coveredBytes)
        header.append(contentsOf: coveredHash.bytes)
        precondition(header.count == Self.headerBytes, "the header has a fixed size")
        try file.write(header, at: 0)
    }

    private func slotOffset(_ slot: UInt64) -> UInt64 { UInt64(Self.headerBytes) + slot * UInt64(Self.slotBytes) }

    static func keyDigest(_ key: String) -> [UInt8] { Array(SHA256.hash(Array(key.utf8)).bytes[0..<16]) }

    static func firstSlot(_ digest: [UInt8], capacity: UInt64) -> UInt64 {
        digest.loadLittleEndian(at: 0) & (capacity - 1)
    }
}

extension Array where Element == UInt8 {
    func loadLittleEndian(at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(self[offset + index]) }
        return value
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        for index in 0..<8 { append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }
}
