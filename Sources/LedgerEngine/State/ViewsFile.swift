#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto
import LedgerDomain
import LedgerStorage

/// The projections' part of a snapshot, `cache/snapshots/views-LAYOUT-N.part`: their compact
/// encoding after N records, bound to the core that names it by its SHA-256. A file of its own
/// so that an append, which needs only the rules' state, reads and checks the core alone.
enum ViewsFile {
    struct Key: Equatable, Sendable {
        let records: UInt64
        let digest: SHA256Digest
    }

    static func name(records: UInt64) -> String { "views-\(LedgerState.layout)-\(records).part" }

    static func write(_ views: Projections, paths: LedgerPaths, records: UInt64) throws(StorageError) -> Key {
        var writer = CompactWriter()
        writer.write(views)
        try snapshotDirectory(paths).writeAtomically(writer.bytes, to: name(records: records), durable: false)
        return Key(records: records, digest: SHA256.hash(writer.bytes))
    }

    /// `cache/snapshots/`, a real directory of the writer's (created if missing), never reached
    /// through a link (`DirectoryHandle`).
    static func snapshotDirectory(_ paths: LedgerPaths) throws(StorageError) -> DirectoryHandle {
        try DirectoryHandle(path: paths.directory).subdirectory(LedgerPaths.Name.cache).subdirectory(LedgerPaths.Name.snapshots)
    }

    /// The bytes of the file `key` names, checked against its digest.
    static func read(_ paths: LedgerPaths, key: Key) throws -> [UInt8] {
        guard let directory = try? snapshotDirectory(paths),
              let file = try? directory.openFile(name(records: key.records), flags: O_RDONLY) else {
            throw TableFile.Problem.missing
        }
        let bytes = try file.read(at: 0, count: Int(try file.size()))
        guard SHA256.hash(bytes) == key.digest else { throw TableFile.Problem.corrupt("it is not the file its snapshot names") }
        return bytes
    }
}
