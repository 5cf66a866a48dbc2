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
    static func path(_ paths: LedgerPaths, records: UInt64) -> String { paths.cache + "/snapshots/" + name(records: records) }

    static func write(_ views: Projections, paths: LedgerPaths, records: UInt64) throws(StorageError) -> Key {
        var writer = CompactWriter()
        writer.write(views)
        try Directory.create(paths.cache)
        try Directory.create(paths.cache + "/snapshots")
        let target = path(paths, records: records)
        let file = try SystemFile(path: target + ".tmp", flags: O_WRONLY | O_CREAT | O_TRUNC)
        try file.write(writer.bytes, at: 0)
        try Directory.rename(target + ".tmp", target)
        return Key(records: records, digest: SHA256.hash(writer.bytes))
    }

    /// The bytes of the file `key` names, checked against its digest.
    static func read(_ paths: LedgerPaths, key: Key) throws -> [UInt8] {
        guard let file = try? SystemFile(path: path(paths, records: key.records), flags: O_RDONLY) else {
            throw TableFile.Problem.missing
        }
        let bytes = try file.read(at: 0, count: Int(try file.size()))
        guard SHA256.hash(bytes) == key.digest else { throw TableFile.Problem.corrupt("it is not the file its snapshot names") }
        return bytes
    }
}
