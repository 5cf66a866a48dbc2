#if canImport(Glibc)
import Glibc
#endif

/// A file mapped read-write into memory (for the derivable caches). Little-endian loads and
/// stores at byte offsets; `sync` is the mapped equivalent of fsync. The file must not shrink
/// while mapped: only its owner resizes it, by mapping a new file.
final class MappedFile {
    let base: UnsafeMutableRawPointer
    let byteCount: Int

    init(file: borrowing SystemFile, byteCount: Int) throws(StorageError) {
        precondition(byteCount > 0, "an empty file cannot be mapped")
        let address = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_SHARED, file.descriptor, 0)
        guard let address, address != MAP_FAILED else { throw .system(operation: "mmap", path: file.path, errno: errno) }
        self.base = address
        self.byteCount = byteCount
    }

    deinit { munmap(base, byteCount) }

    func load(at offset: UInt64) -> UInt64 {
        precondition(Int(offset) + 8 <= byteCount, "load within the mapping")
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: Int(offset), as: UInt64.self))
    }

    func store(_ value: UInt64, at offset: UInt64) {
        precondition(Int(offset) + 8 <= byteCount, "store within the mapping")
        base.storeBytes(of: value.littleEndian, toByteOffset: Int(offset), as: UInt64.self)
    }

    func store(_ bytes: [UInt8], at offset: UInt64) {
        precondition(Int(offset) + bytes.count <= byteCount, "store within the mapping")
        bytes.withUnsafeBytes { (base + Int(offset)).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    func bytes(_ offset: Int, _ count: Int) -> [UInt8] {
        precondition(offset + count <= byteCount, "read within the mapping")
        return Array(UnsafeRawBufferPointer(start: base + offset, count: count))
    }

    func equals(_ bytes: [UInt8], at offset: UInt64) -> Bool {
        bytes.withUnsafeBytes { memcmp($0.baseAddress!, base + Int(offset), $0.count) == 0 }
    }

    func zero(from offset: Int, count: Int) {
        precondition(offset + count <= byteCount, "zero within the mapping")
        memset(base + offset, 0, count)
    }

    func sync(path: String) throws(StorageError) {
        guard msync(base, byteCount, MS_SYNC) == 0 else { throw .system(operation: "msync", path: path, errno: errno) }
    }
}
