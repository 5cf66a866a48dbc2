#if canImport(Glibc)
import Glibc
#endif
import LedgerStorage

/// Files a caller names (key files, checkpoints, event batches, outputs), outside the ledger
/// directory: read whole with a clear error, written whole or not at all.
public enum UserFiles {
    /// How much of a caller's input is read before it is refused: in all, and (for JSON Lines,
    /// a batch) per line. The reading stops at the first byte past a limit, never loads more.
    public struct Limits: Sendable {
        public var bytesMax: Int
        public var lineBytesMax: Int?

        public init(bytesMax: Int = 1 << 30, lineBytesMax: Int? = nil) {
            self.bytesMax = bytesMax
            self.lineBytesMax = lineBytesMax
        }
    }

    /// Reads a whole file within `limits`.
    public static func read(_ path: String, limits: Limits = Limits()) throws(LedgerError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .invalidInput("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        return try read(descriptor: descriptor, source: path, limits: limits)
    }

    /// Reads a descriptor to its end, refusing at the first byte past `limits`: a line of a
    /// gigabyte (or `/dev/zero`) stops the reading at the line limit, with its line number.
    public static func read(descriptor: Int32, source: String, limits: Limits) throws(LedgerError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var lineStart = 0, lineNumber = 1
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw .invalidInput("cannot read \(source): \(String(cString: strerror(errno)))") }
            if got == 0 { return bytes }
            guard bytes.count + got <= limits.bytesMax else { throw .invalidInput("\(source) is larger than \(limits.bytesMax) bytes") }
            bytes.append(contentsOf: chunk[0..<got])
            guard let lineBytesMax = limits.lineBytesMax else { continue }
            for index in (bytes.count - got)..<bytes.count where bytes[index] == 0x0A {
                guard index - lineStart <= lineBytesMax else { break }
                lineStart = index + 1
                lineNumber += 1
            }
            guard bytes.count - lineStart <= lineBytesMax else {
                throw .invalidInput("\(source) line \(lineNumber): longer than \(lineBytesMax) bytes (an event is one JSON object per line)")
            }
        }
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
