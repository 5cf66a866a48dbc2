#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DirectoryHandle {
    /// Why an entry is not used: what it is, and the errno that goes with it in the error.
    struct Refusal: Equatable {
        let reason: String
        let code: Int32

        static let symbolicLink = Refusal(reason: "a symbolic link (nothing in a ledger directory is reached through one)",
                                          code: ELOOP)

        init(reason: String, code: Int32) {
            self.reason = reason
            self.code = code
        }

        func error(at path: String) -> StorageError { .unsafeEntry(path: path, reason: reason, errno: code) }

        /// Why an open file cannot be used, or nil: it must be a regular file and, when it is to be
        /// written, have no other name (a hard link planted in the ledger directory would make
        /// the writer change a file elsewhere).
        init?(file status: stat, writing: Bool) {
            let kind = status.st_mode & S_IFMT
            if kind != S_IFREG {
                self.init(reason: Self.describe(kind) + ", not a regular file", code: kind == S_IFDIR ? EISDIR : EINVAL)
            } else if writing && status.st_nlink > 1 {
                self.init(reason: "a file with \(status.st_nlink) hard links (writing it would change a file elsewhere)",
                          code: EMLINK)
            } else {
                return nil
            }
        }

        /// Why an open directory cannot be used, or nil: it must be owned by this process's
        /// effective uid, so that nobody else can add, swap or remove its entries.
        init?(directory status: stat) {
            let user = geteuid()
            if status.st_mode & S_IFMT != S_IFDIR {
                self.init(reason: Self.describe(status.st_mode & S_IFMT) + ", not a directory", code: ENOTDIR)
            } else if status.st_uid != user {
                self.init(reason: "a directory owned by uid \(status.st_uid), not by this user (uid \(user))", code: EPERM)
            } else {
                return nil
            }
        }

        static func describe(_ kind: mode_t) -> String {
            switch kind {
            case S_IFLNK: return "a symbolic link"
            case S_IFDIR: return "a directory"
            case S_IFIFO: return "a FIFO"
            case S_IFSOCK: return "a socket"
            case S_IFCHR, S_IFBLK: return "a device"
            default: return "a regular file"
            }
        }
    }

    /// What opening an existing entry found.
    enum Entry: ~Copyable {
        case file(SystemFile)
        case missing
        case unsafe(Refusal)
    }

    /// Opens the existing entry `name` with `flags` without following a link and without waiting
    /// on a FIFO, then checks what it is (`Refusal(file:writing:)`).
    func entry(_ name: String, flags: Int32) throws(StorageError) -> Entry {
        Self.checkName(name)
        precondition(flags & (O_CREAT | O_TRUNC) == 0, "opening an existing entry neither creates nor truncates")
        let fd = retrying { openat(descriptor, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard fd >= 0 else {
            switch errno {
            case ENOENT: return .missing
            case ELOOP: return .unsafe(.symbolicLink)
            case EISDIR: return .unsafe(Refusal(reason: "a directory, not a regular file", code: EISDIR))
            // A FIFO opened for writing with no reader, or a socket.
            case ENXIO: return .unsafe(Refusal(reason: "a FIFO or a socket, not a regular file", code: ENXIO))
            case let code: throw .system(operation: "open", path: pathOf(name), errno: code)
            }
        }
        let file = SystemFile(adopting: fd, path: pathOf(name))
        if let refusal = Refusal(file: try file.status(), writing: flags & O_ACCMODE != O_RDONLY) { return .unsafe(refusal) }
        // A regular file ignores O_NONBLOCK; cleared all the same, so that no read depends on that.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return .file(file)
    }

    /// A file from `openReplaceableFile`, and what was at its name if that had to be replaced.
    public struct ReplaceableFile: ~Copyable {
        public let file: SystemFile
        /// Why the entry that was there could not be used ("a symbolic link ..."); nil when the
        /// file was used as it was, or created because there was none.
        public let replaced: String?
    }

    /// Opens `name` for reading and writing, for a file the writer can always do without (a
    /// cache, the batch note): created when it is missing, and, when what is there cannot be used
    /// (a link, a special file, a file with other hard links), replaced by a new empty file, which
    /// `replaced` reports. The directory is fsynced when the entry is new.
    public func openReplaceableFile(_ name: String, mode: mode_t = 0o644) throws(StorageError) -> ReplaceableFile {
        // Bounded: someone creating and removing the name in a loop only makes this fail.
        for _ in 0..<8 {
            switch try entry(name, flags: O_RDWR) {
            case .file(let file):
                return ReplaceableFile(file: file, replaced: nil)
            case .unsafe(let refusal):
                return ReplaceableFile(file: try replaceWithEmptyFile(name, mode: mode), replaced: refusal.reason)
            case .missing:
                do throws(StorageError) {
                    let file = try createFile(name, mode: mode)
                    try sync()
                    return ReplaceableFile(file: file, replaced: nil)
                } catch .system(_, _, EEXIST) {
                    continue
                }
            }
        }
        throw .system(operation: "open (the entry kept changing)", path: pathOf(name), errno: EAGAIN)
    }

    /// Puts a new empty file at `name` in place of whatever is there (renamed over it), and
    /// returns it open for reading and writing.
    func replaceWithEmptyFile(_ name: String, mode: mode_t = 0o644) throws(StorageError) -> SystemFile {
        let temporary = try createTemporaryFile(for: name, mode: mode)
        do throws(StorageError) {
            try rename(temporary.name, to: name)
            try sync()
        } catch {
            _ = unlinkat(descriptor, temporary.name, 0)
            throw error
        }
        var file = temporary.file
        file.path = pathOf(name)
        return file
    }

    /// 16 hex digits from the kernel's random source (`SystemRandomNumberGenerator` reads
    /// `getrandom(2)` on Linux): a name nobody can plant something at in advance.
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = String(generator.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Entries are single names: a path with a "/" would be resolved through its components.
    static func checkName(_ name: String) {
        precondition(!name.isEmpty && name != "." && name != ".." && !name.utf8.contains(UInt8(ascii: "/")),
                     "\"\(name)\" is an entry name, not a path")
    }
}
