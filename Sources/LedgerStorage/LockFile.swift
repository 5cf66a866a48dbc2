#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ledger.lock`, the file writers hold an exclusive `flock` on (Specs/log-format.md, sections 1
/// and 6).
///
/// A `flock` needs only a descriptor of the file, of any access mode: whoever can open it, even
/// read-only, can lock it and stop every writer. So who may open it is what protects it, and it is
/// created readable and writable by its owner alone (0600), or by its owner and group (0660) when
/// the ledger directory itself is group-writable: that is the sign of a writers' group, whose
/// members must each be able to take the lock. The mode is set with `fchmod` after creation, so
/// that the umask neither widens nor narrows it. An existing lock file keeps its mode (one made
/// before this rule is 0644: `chmod 600` it), but is still opened without following a link.
///
/// It is opened read-write though never written: on NFS, `flock` is emulated with a byte-range
/// write lock, which needs a descriptor open for writing.
enum LockFile {
    static func open(in directory: DirectoryHandle) throws(StorageError) -> SystemFile {
        let name = LedgerPaths.Name.lock
        for _ in 0..<8 {
            if let existing = try directory.openFile(name, flags: O_RDWR) { return existing }
            let mode = try creationMode(in: directory)
            do throws(StorageError) {
                let file = try directory.createFile(name, mode: mode)
                guard fchmod(file.descriptor, mode) == 0 else { throw .system(operation: "chmod", path: file.path, errno: errno) }
                return file
            } catch .system(_, _, EEXIST) {
                continue  // another writer created it meanwhile: use theirs
            }
        }
        throw .system(operation: "open (the entry kept changing)", path: directory.pathOf(name), errno: EAGAIN)
    }

    /// 0660 in a group-writable ledger directory (a writers' group), 0600 otherwise.
    static func creationMode(in directory: DirectoryHandle) throws(StorageError) -> mode_t {
        try directory.status().st_mode & S_IWGRP != 0 ? 0o660 : 0o600
    }
}
