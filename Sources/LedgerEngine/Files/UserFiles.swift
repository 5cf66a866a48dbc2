#if canImport(Glibc)
import Glibc
#endif
import LedgerStorage

/// Files a caller names (key files, checkpoints, event batches, outputs), outside the ledger
/// directory: read whole with a clear error, written whole or not at all.
public enum UserFiles {
    /// How much of a caller's input is read before it is refused. The reading stops at the
    /// first byte past it, never loads more.
    public struct Limits: Sendable {
        public var bytesMax: Int

        public init(bytesMax: Int = 1 << 30) {
            self.bytesMax = bytesMax
        }
    }

    /// Reads a whole file within `limits`.
    public static func read(_ path: String, limits: Limits = Limits()) throws(LedgerError) -> [UInt8] {
        try withDescriptor(path) { descriptor throws(LedgerError) in try read(descriptor: descriptor, source: path, limits: limits) }
    }

    /// Reads a descriptor to its end, refusing at the first byte past `limits`.
    public static func read(descriptor: Int32, source: String, limits: Limits) throws(LedgerError) -> [UInt8] {
        var bytes: [UInt8] = []
        try readChunks(descriptor: descriptor, source: source) { chunk throws(LedgerError) in
            guard bytes.count + chunk.count <= limits.bytesMax else { throw .invalidInput("\(source) is larger than \(limits.bytesMax) bytes") }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    /// Reads `path` a chunk at a time (`readChunks(descriptor:source:_:)`).
    public static func readChunks(_ path: String, _ body: (UnsafeRawBufferPointer) throws(LedgerError) -> Void) throws(LedgerError) {
        try withDescriptor(path) { descriptor throws(LedgerError) in try readChunks(descriptor: descriptor, source: path, body) }
    }

    /// Reads a descriptor to its end, handing `body` each chunk as it comes (at most a MiB):
    /// whoever reads a caller's input stops it by throwing, at the first byte it refuses,
    /// without loading the rest (a file that never ends, `/dev/zero`, costs one chunk).
    public static func readChunks(descriptor: Int32, source: String,
                                  _ body: (UnsafeRawBufferPointer) throws(LedgerError) -> Void) throws(LedgerError) {
        // Not zeroed: a zeroed MiB was 256 pages touched (about 0.5 ms) to read a key file of a
        // hundred bytes; the kernel touches only the pages a read fills.
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let got = Glibc.read(descriptor, chunk.baseAddress, chunk.count)
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw .invalidInput("cannot read \(source): \(String(cString: strerror(errno)))") }
            if got == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: chunk[0..<got]))
        }
    }

    private static func withDescriptor<Result>(_ path: String, _ body: (Int32) throws(LedgerError) -> Result) throws(LedgerError) -> Result {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .invalidInput("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        return try body(descriptor)
    }

    /// Writes `text` to `path` whole or not at all: a temporary file beside it, fsync, rename,
    /// fsync of the directory. Never over a file that should not be replaced: the temporary is
    /// created exclusively.
    public static func replace(_ path: String, with text: String) throws(LedgerError) {
        let temporary = path + ".tmp-\(getpid())"
        do throws(StorageError) {
            let file = try SystemFile(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
            try file.write(Array(text.utf8), at: 0)
            try file.sync()
            try Directory.rename(temporary, path)
            try Directory.sync(directory(of: path))
        } catch {
            unlink(temporary)
            throw .storage(error)
        }
    }

    /// Creates `path` (it must not exist) with `mode`, writes `text` and syncs it.
    public static func create(_ path: String, with text: String, mode: UInt32) throws(LedgerError) {
        do throws(StorageError) {
            let file = try SystemFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode_t(mode))
            guard fchmod(file.descriptor, mode_t(mode)) == 0 else {
                throw StorageError.system(operation: "chmod", path: path, errno: errno)
            }
            try file.write(Array(text.utf8), at: 0)
            try file.sync()
        } catch {
            throw .storage(error)
        }
    }

    /// Syncs the directory holding `path` (after creating files in it).
    public static func syncDirectory(of path: String) throws(LedgerError) {
        do { try Directory.sync(directory(of: path)) } catch { throw .storage(error) }
    }

    /// Whether anything (a file, a directory, a dangling symbolic link) is at `path`.
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Removes a file this process just created (a half key pair, say).
    public static func remove(_ path: String) {
        unlink(path)
    }

    /// Whether group or others may read the file (a signer key should be 0600).
    public static func permissions(_ path: String) -> UInt32? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return UInt32(status.st_mode & 0o777)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
