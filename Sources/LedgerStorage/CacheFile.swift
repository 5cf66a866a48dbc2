#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto

/// What a proof cache file says it covers: the first `recordCount` records of the log, which
/// end at byte `coveredBytes`, the last of which has hash `lastHash`; and, in the Merkle file,
/// the tree head of those records. Checked against the log before every use (Specs/proofs.md,
/// section 9).
struct CacheHeader: Equatable {
    var recordCount: UInt64
    var coveredBytes: UInt64
    var lastHash: SHA256Digest
    var treeHead: SHA256Digest

    static let empty = CacheHeader(recordCount: 0, coveredBytes: 0, lastHash: .zero, treeHead: .zero)

    /// 8 magic, 8 count, 8 covered bytes, 8 reserved (zero), 32 last hash, 32 tree head,
    /// 32 SHA-256 of the 96 bytes before it. Little-endian integers.
    static let byteCount = 128
    static let checkedByteCount = 96

    /// Whether the covered part of the header agrees with another file's (the tree head is
    /// only kept in the Merkle file).
    func covers(sameAs other: CacheHeader) -> Bool {
        recordCount == other.recordCount && coveredBytes == other.coveredBytes && lastHash == other.lastHash
    }

    func encoded(magic: [UInt8]) -> [UInt8] {
        precondition(magic.count == 8, "a cache magic is 8 bytes")
        var bytes = magic
        LittleEndian.append(recordCount, to: &bytes)
        LittleEndian.append(coveredBytes, to: &bytes)
        LittleEndian.append(0, to: &bytes)
        bytes.append(contentsOf: lastHash.bytes)
        bytes.append(contentsOf: treeHead.bytes)
        precondition(bytes.count == Self.checkedByteCount, "the checked part of a header is 96 bytes")
        bytes.append(contentsOf: SHA256.hash(bytes).bytes)
        precondition(bytes.count == Self.byteCount, "a cache header is 128 bytes")
        return bytes
    }

    /// The header in `bytes`, or nil when its magic, reserved field or checksum is wrong.
    static func decode(_ bytes: [UInt8], magic: [UInt8]) -> CacheHeader? {
        guard bytes.count == byteCount, Array(bytes[0..<8]) == magic, LittleEndian.load(bytes, at: 24) == 0,
              SHA256.hash(Array(bytes[0..<checkedByteCount])).bytes == Array(bytes[checkedByteCount...]) else {
            return nil
        }
        let header = CacheHeader(recordCount: LittleEndian.load(bytes, at: 8), coveredBytes: LittleEndian.load(bytes, at: 16),
                                 lastHash: SHA256Digest(bytes: bytes[32..<64]),
                                 treeHead: SHA256Digest(bytes: bytes[64..<96]))
        guard header.recordCount < 1 << 53, header.coveredBytes < 1 << 62 else { return nil }
        return header
    }
}

/// A cache file: a `CacheHeader`, then fixed-size entries written in order. The header is
/// written after the entries it describes, so an interrupted update leaves the old header,
/// which covers less; whatever lies past the entries it covers is overwritten later.
final class CacheFile {
    let name: String
    let path: String
    let magic: [UInt8]
    let entryBytes: Int
    private let file: SystemFile
    /// nil when the header is missing or damaged.
    private(set) var header: CacheHeader?
    /// Why the entry at the file's name could not be used ("a symbolic link ..."), when a new
    /// empty file took its place (`DirectoryHandle.openReplaceableFile`).
    let replaced: String?

    /// Opens `name` in `directory` (`cache/`), creating it when it is missing and replacing it
    /// when it is not a file the writer can use: a link is never followed.
    init(in directory: DirectoryHandle, name: String, magic: [UInt8], entryBytes: Int) throws(StorageError) {
        precondition(entryBytes > 0 && entryBytes <= 64, "entries are small and fixed-size")
        let opened = try directory.openReplaceableFile(name)
        self.name = name
        self.path = directory.pathOf(name)
        self.magic = magic
        self.entryBytes = entryBytes
        self.replaced = opened.replaced
        self.file = opened.file
        self.header = CacheHeader.decode(try file.read(at: 0, count: CacheHeader.byteCount), magic: magic)
    }

    func lockExclusively(timeoutMilliseconds: Int) throws(StorageError) {
        try file.lockExclusively(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// How many whole entries the file holds (some may lie past what the header covers).
    func entryCapacity() throws(StorageError) -> UInt64 {
        let size = try file.size()
        guard size >= UInt64(CacheHeader.byteCount) else { return 0 }
        return (size - UInt64(CacheHeader.byteCount)) / UInt64(entryBytes)
    }

    func readEntry(_ index: UInt64) throws(StorageError) -> [UInt8] {
        let bytes = try file.read(at: entryOffset(index), count: entryBytes)
        guard bytes.count == entryBytes else {
            throw .system(operation: "read (cache entry \(index) is past the end)", path: path, errno: EIO)
        }
        return bytes
    }

    /// Writes consecutive entries starting at entry `index`.
    func writeEntries(_ bytes: [UInt8], from index: UInt64) throws(StorageError) {
        precondition(bytes.count % entryBytes == 0, "whole entries only")
        try file.write(bytes, at: entryOffset(index))
    }

    /// Records what the entries now cover; `entryCount` entries are kept, the rest cut off.
    func commit(_ header: CacheHeader, entryCount: UInt64) throws(StorageError) {
        try file.truncate(to: entryOffset(entryCount))
        try file.write(header.encoded(magic: magic), at: 0)
        self.header = header
    }

    /// Forgets everything: an empty, valid file covering no record.
    func reset() throws(StorageError) {
        try file.truncate(to: 0)
        try commit(.empty, entryCount: 0)
    }

    private func entryOffset(_ index: UInt64) -> UInt64 {
        UInt64(CacheHeader.byteCount) + index * UInt64(entryBytes)
    }
}

/// The 8-byte little-endian integers of the cache files.
enum LittleEndian {
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    static func load(_ bytes: [UInt8], at offset: Int) -> UInt64 { load(bytes[...], at: offset) }

    /// The u64 at `index` of `bytes` (an index of the slice, as a slice's are, not an offset
    /// from its start), in one unaligned load: a tables file reads three per lookup.
    static func load(_ bytes: ArraySlice<UInt8>, at index: Int) -> UInt64 {
        precondition(index >= bytes.startIndex && index + 8 <= bytes.endIndex, "8 bytes at the index")
        return bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: index - bytes.startIndex, as: UInt64.self)) }
    }
}
