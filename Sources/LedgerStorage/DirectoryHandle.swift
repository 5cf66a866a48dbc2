#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open directory of a ledger: the way LedgerStorage creates, replaces, writes and removes the
/// entries of the ledger directory (Specs/log-format.md, section 1).
///
/// Whoever may write the ledger directory without holding an operator key could plant a symbolic
/// link, a FIFO or a hard link where a writer expects its own file, to make it write outside the
/// directory or hang. So every entry is reached relative to this descriptor (`openat`, `mkdirat`,
/// `renameat`, `unlinkat`), never through a link (`O_NOFOLLOW`), without waiting on a FIFO
/// (`O_NONBLOCK` until it is known to be a regular file), and is checked once open (`fstat`): a file
/// must be a regular file, and one opened for writing must have no other hard link; a subdirectory
/// must be a real directory owned by this process's effective uid, so that nobody else can add,
/// swap or remove its entries. What fails a check is refused (`StorageError.unsafeEntry`), or, for
/// a file the writer can always rebuild, replaced (`openReplaceableFile`); it is never written
/// through. New files are created exclusively (`O_CREAT | O_EXCL`); a file that replaces another
/// is written under an unpredictable temporary name and renamed over the old one, which replaces
/// whatever the name held, a planted link included.
public final class DirectoryHandle: Sendable {
    public let descriptor: Int32
    /// For messages only: nothing is opened by this path once the directory is open.
    public let path: String

    /// Opens the directory at `path`. A link in `path` itself is followed: the user named it.
    public init(path: String) throws(StorageError) {
        let fd = retrying { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw .system(operation: "open directory", path: path, errno: errno) }
        self.descriptor = fd
        self.path = path
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// The directory that holds `path`, and the entry's name in it.
    public static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return (directory, String(path[path.index(after: slash)...]))
    }

    /// The path of the entry `name`, for messages.
    public func pathOf(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    public func status() throws(StorageError) -> stat {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .system(operation: "fstat", path: path, errno: errno) }
        return status
    }

    /// fsync of the directory: entries created, renamed or removed in it survive a crash.
    public func sync() throws(StorageError) {
        guard retrying({ fsync(descriptor) }) == 0 else { throw .system(operation: "fsync", path: path, errno: errno) }
    }

    // MARK: - Subdirectories

    /// The subdirectory `name`, created (0755) when it is missing; see `existingSubdirectory`.
    public func subdirectory(_ name: String) throws(StorageError) -> DirectoryHandle {
        Self.checkName(name)
        guard mkdirat(descriptor, name, 0o755) == 0 || errno == EEXIST else {
            throw .system(operation: "mkdir", path: pathOf(name), errno: errno)
        }
        guard let directory = try existingSubdirectory(name) else {
            throw .system(operation: "open directory", path: pathOf(name), errno: ENOENT)
        }
        return directory
    }

    /// The subdirectory `name`, or nil when there is none. It must be a real directory (not a link)
    /// owned by this process's effective uid; anything else is refused (`StorageError.unsafeEntry`).
    public func existingSubdirectory(_ name: String) throws(StorageError) -> DirectoryHandle? {
        Self.checkName(name)
        let fd = retrying { openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            // O_DIRECTORY answers ENOTDIR for a link too: say what is really there.
            var status = stat()
            if code == ENOTDIR || code == ELOOP, fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 {
                let refusal = status.st_mode & S_IFMT == S_IFLNK ? .symbolicLink : Refusal(directory: status)
                if let refusal { throw refusal.error(at: pathOf(name)) }
            }
            throw .system(operation: "open directory", path: pathOf(name), errno: code)
        }
        let directory = DirectoryHandle(descriptor: fd, path: pathOf(name))
        if let refusal = Refusal(directory: try directory.status()) { throw refusal.error(at: directory.path) }
        return directory
    }

    // MARK: - Files

    /// Opens the existing regular file `name` with `flags` (an access mode, maybe `O_APPEND`); nil
    /// when there is none. A link, a special file, or (opened for writing) a file with other hard
    /// links is refused (`StorageError.unsafeEntry`).
    public func openFile(_ name: String, flags: Int32) throws(StorageError) -> SystemFile? {
        switch try entry(name, flags: flags) {
        case .file(let file): return file
        case .missing: return nil
        case .unsafe(let refusal): throw refusal.error(at: pathOf(name))
        }
    }

    /// Creates the file `name`, which must not exist (`O_EXCL`: nothing at the name, a link
    /// included, is ever opened), for reading and writing. `mode` is narrowed by the umask.
    public func createFile(_ name: String, mode: mode_t = 0o644) throws(StorageError) -> SystemFile {
        Self.checkName(name)
        let fd = retrying { openat(descriptor, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw .system(operation: "create", path: pathOf(name), errno: errno) }
        return SystemFile(adopting: fd, path: pathOf(name))
    }

    /// A file created by `createTemporaryFile` or `createFileWithFreshName`, and the name it got.
    public struct CreatedFile: ~Copyable {
        public let file: SystemFile
        public let name: String
    }

    /// Creates `stem + suffix` or, when that name is taken (by a file, a link, anything), a name
    /// with 16 random hex digits before the suffix, `stem-<random>suffix`. Whatever held the first
    /// name is left as it was.
    public func createFileWithFreshName(stem: String, suffix: String, mode: mode_t = 0o644) throws(StorageError) -> CreatedFile {
        var name = stem + suffix
        for _ in 0..<8 {
            do throws(StorageError) {
                return CreatedFile(file: try createFile(name, mode: mode), name: name)
            } catch .system(_, _, EEXIST) {
                name = stem + "-" + Self.randomHex() + suffix
            }
        }
        throw .system(operation: "create (every name tried was taken)", path: pathOf(name), errno: EEXIST)
    }

    /// A new file for what will replace `name`, under a name nobody can predict:
    /// `.<name>.<16 random hex digits>.tmp`, created exclusively. `rename(_:to:)` puts it in place.
    public func createTemporaryFile(for name: String, mode: mode_t = 0o644) throws(StorageError) -> CreatedFile {
        Self.checkName(name)
        for _ in 0..<8 {
            let temporary = "." + name + "." + Self.randomHex() + ".tmp"
            do throws(StorageError) {
                return CreatedFile(file: try createFile(temporary, mode: mode), name: temporary)
            } catch .system(_, _, EEXIST) {
                continue
            }
        }
        throw .system(operation: "create a temporary file (every name tried was taken)", path: pathOf(name), errno: EEXIST)
    }

    /// Writes `bytes` as the whole new content of `name`: see `writeAtomically(to:mode:durable:_:)`.
    public func writeAtomically(_ bytes: [UInt8], to name: String, mode: mode_t = 0o644,
                                durable: Bool = true) throws(StorageError) {
        try writeAtomically(to: name, mode: mode, durable: durable) { file throws(StorageError) in try file.write(bytes, at: 0) }
    }

    /// Replaces `name` by a file that `write` fills: a new temporary file (`createTemporaryFile`),
    /// fsynced, renamed over `name` (whatever `name` held, a planted link included, is replaced,
    /// never written through), then the directory fsynced. A reader sees the old file or the new
    /// one, never a part of one. `durable: false` skips both fsyncs, for a cache that is checked
    /// before use: after a crash it may be the old file, or a new one that fails its checksum.
    /// On failure the temporary file is removed and `name` is left as it was.
    public func writeAtomically<T>(to name: String, mode: mode_t = 0o644, durable: Bool = true,
                                   _ write: (borrowing SystemFile) throws(StorageError) -> T) throws(StorageError) -> T {
        let temporary = try createTemporaryFile(for: name, mode: mode)
        do throws(StorageError) {
            let result = try write(temporary.file)
            if durable { try temporary.file.sync() }
            try rename(temporary.name, to: name)
            if durable { try sync() }
            return result
        } catch {
            _ = unlinkat(descriptor, temporary.name, 0)
            throw error
        }
    }

    /// `renameat` within this directory: the entry at `name` is replaced, never followed.
    public func rename(_ from: String, to name: String) throws(StorageError) {
        Self.checkName(from)
        Self.checkName(name)
        guard renameat(descriptor, from, descriptor, name) == 0 else {
            throw .system(operation: "rename", path: pathOf(from) + " -> " + name, errno: errno)
        }
    }

    /// Removes the entry `name` (a link is removed, not what it points at); a missing one is no error.
    public func removeFile(_ name: String) throws(StorageError) {
        Self.checkName(name)
        guard unlinkat(descriptor, name, 0) == 0 || errno == ENOENT else {
            throw .system(operation: "unlink", path: pathOf(name), errno: errno)
        }
    }

    /// The names of the directory's entries, "." and ".." aside.
    public func names() throws(StorageError) -> [String] {
        // fdopendir takes the descriptor it is given: a duplicate, so that ours stays open.
        let duplicate = dup(descriptor)
        guard duplicate >= 0, let handle = fdopendir(duplicate) else {
            let code = errno
            if duplicate >= 0 { close(duplicate) }
            throw .system(operation: "opendir", path: path, errno: code)
        }
        defer { closedir(handle) }
        rewinddir(handle)  // the duplicate shares the position of an earlier listing
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
