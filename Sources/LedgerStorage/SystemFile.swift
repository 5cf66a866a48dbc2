#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX file descriptor with the few operations the ledger needs, each retrying on EINTR
/// and throwing `StorageError.system` with the path on failure. Not copyable: one owner closes it.
public struct SystemFile: ~Copyable {
    public let descriptor: Int32
    /// For messages; a file renamed into place is given its new name.
    public internal(set) var path: String

    /// Opens a file by its path, following links: for files the user names (outputs, keys, a log
    /// to read). Entries of a ledger directory that are written go through `DirectoryHandle`.
    public init(path: String, flags: Int32, mode: mode_t = 0o644) throws(StorageError) {
        let fd = retrying { open(path, flags | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw .system(operation: "open", path: path, errno: errno) }
        self.descriptor = fd
        self.path = path
    }

    /// Takes ownership of a descriptor opened elsewhere (`DirectoryHandle`); `path` is for messages.
    init(adopting descriptor: Int32, path: String) {
        precondition(descriptor >= 0, "an open descriptor")
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// What fstat says of the open file (its kind, owner, mode and links, whatever its name now names).
    public func status() throws(StorageError) -> stat {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .system(operation: "fstat", path: path, errno: errno) }
        return status
    }

    public func size() throws(StorageError) -> UInt64 {
        UInt64(try status().st_size)
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    /// The array is not zero-filled first: `pread` writes every byte it counts, and only those
    /// are kept (zeroing a snapshot's megabytes would cost as much as reading them).
    public func read(at offset: UInt64, count: Int) throws(StorageError) -> [UInt8] {
        var failure: StorageError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(StorageError) {
                initialized = try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Fills `buffer` from `offset` as far as the file goes; returns the number of bytes read.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(StorageError) -> Int {
        var done = 0
        while done < buffer.count {
            let got = retrying { pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done)) }
            guard got >= 0 else { throw .system(operation: "read", path: path, errno: errno) }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Writes all of `bytes` at `offset` (partial writes are continued, not ignored).
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            let wrote = retrying { pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done)) }
            guard wrote > 0 else { throw .system(operation: "write", path: path, errno: wrote == 0 ? EIO : errno) }
            done += wrote
        }
    }

    public func write(_ bytes: [UInt8], at offset: UInt64) throws(StorageError) {
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(StorageError) in try write(buffer, at: offset) } }
        try result.get()
    }

    public func sync() throws(StorageError) {
        guard retrying({ fsync(descriptor) }) == 0 else { throw .system(operation: "fsync", path: path, errno: errno) }
    }

    public func truncate(to size: UInt64) throws(StorageError) {
        guard retrying({ ftruncate(descriptor, off_t(size)) }) == 0 else {
            throw .system(operation: "truncate", path: path, errno: errno)
        }
    }

    /// Extends the file to `size` bytes with every block allocated (posix_fallocate).
    public func allocate(_ size: UInt64) throws(StorageError) {
        let code = posix_fallocate(descriptor, 0, off_t(size))
        guard code == 0 else { throw .system(operation: "allocate", path: path, errno: code) }
    }

    /// Takes the exclusive advisory lock, polling until `timeoutMilliseconds` have passed.
    public func lockExclusively(timeoutMilliseconds: Int) throws(StorageError) {
        var waited = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else { throw .system(operation: "lock", path: path, errno: code) }
            guard waited < timeoutMilliseconds else { throw .locked(path: path, waitedMilliseconds: waited) }
            usleep(2_000)
            waited += 2
        }
    }
}

/// Calls a system call again while it fails with EINTR (apple/swift-system's retryOnInterrupt).
@inline(__always)
func retrying<T: BinaryInteger>(_ call: () -> T) -> T {
    while true {
        let result = call()
        if result >= 0 || errno != EINTR { return result }
    }
}

/// Directory-level operations by path: fsync of a directory (so a new or renamed file survives a
/// crash). Inside a ledger directory, `DirectoryHandle` does the same relative to an open
/// directory, without following links.
public enum Directory {
    public static func sync(_ path: String) throws(StorageError) {
        let file = try SystemFile(path: path, flags: O_RDONLY | O_DIRECTORY)
        try file.sync()
    }

    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    public static func fileExists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// Creates the directory `path` (0755), or accepts an existing one only if it is a real
    /// directory (not a link) owned by this process's effective uid, as
    /// `DirectoryHandle.existingSubdirectory` requires. For callers that still name a directory
    /// inside a ledger by its path; `DirectoryHandle.subdirectory` also cannot be redirected
    /// between the check and the use.
    public static func create(_ path: String) throws(StorageError) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw .system(operation: "mkdir", path: path, errno: errno) }
        var status = stat()
        guard lstat(path, &status) == 0 else { throw .system(operation: "lstat", path: path, errno: errno) }
        if status.st_mode & S_IFMT == S_IFLNK { throw DirectoryHandle.Refusal.symbolicLink.error(at: path) }
        if let refusal = DirectoryHandle.Refusal(directory: status) { throw refusal.error(at: path) }
    }

    /// Whether the directory holds nothing but `ignoring`.
    public static func isEmpty(_ path: String, ignoring: Set<String> = []) throws(StorageError) -> Bool {
        guard let handle = opendir(path) else { throw .system(operation: "opendir", path: path, errno: errno) }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." && !ignoring.contains(name) { return false }
        }
        return true
    }

    public static func rename(_ from: String, _ to: String) throws(StorageError) {
        guard Glibc.rename(from, to) == 0 else { throw .system(operation: "rename", path: from + " -> " + to, errno: errno) }
    }
}
