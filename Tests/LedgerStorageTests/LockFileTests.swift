import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LedgerStorage

/// Whoever can open `ledger.lock`, even read-only, can flock it and stop every writer: it is
/// created for its owner alone, or for a writers' group when the ledger directory is group-writable.
@Suite struct LockFileTests {
    /// An empty directory with exactly `mode` (whatever the umask), where a ledger is then created.
    static func ledger(inDirectoryWithMode mode: mode_t) throws -> LedgerPaths {
        let path = try Planted.outsideDirectory() + "/fund"
        try Planted.makeDirectory(path)
        #expect(chmod(path, mode) == 0)
        let paths = LedgerPaths(directory: path)
        _ = try LedgerCreation.create(paths: paths, genesis: StorageFixture.genesis, actor: "OP-1", clock: ManualClock())
        return paths
    }

    @Test func inAPrivateDirectoryTheLockIsTheOwnersAlone() throws {
        let paths = try Self.ledger(inDirectoryWithMode: 0o755)
        #expect(Planted.permissions(paths.lock) == 0o600)
    }

    @Test func inAGroupWritableDirectoryTheLockIsTheGroupsToo() throws {
        let paths = try Self.ledger(inDirectoryWithMode: 0o775)
        #expect(Planted.permissions(paths.lock) == 0o660)
    }

    @Test func aWriterCreatesAMissingLockWithTheSameRule() throws {
        let paths = try Self.ledger(inDirectoryWithMode: 0o770)
        try FileManager.default.removeItem(atPath: paths.lock)
        _ = try LedgerWriter(paths: paths)
        #expect(Planted.permissions(paths.lock) == 0o660)
        #expect(chmod(paths.directory, 0o700) == 0)
        try FileManager.default.removeItem(atPath: paths.lock)
        _ = try LedgerWriter(paths: paths)
        #expect(Planted.permissions(paths.lock) == 0o600)
    }

    @Test func anExistingLockKeepsItsMode() throws {
        let paths = try StorageFixture.newLedger()
        #expect(chmod(paths.lock, 0o644) == 0)
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1)], clock: ManualClock())
        #expect(Planted.permissions(paths.lock) == 0o644)
    }

    @Test func aLinkedLockIsRefused() throws {
        let paths = try StorageFixture.newLedger()
        let outside = try Planted.outsideFile()
        let before = try StorageFixture.bytes(outside)
        try FileManager.default.removeItem(atPath: paths.lock)
        try Planted.link(paths.lock, to: outside)
        Planted.expectRefusal(at: paths.lock, code: ELOOP) { _ = try LedgerWriter(paths: paths) }
        #expect(try StorageFixture.bytes(outside) == before)
    }

    @Test(.timeLimit(.minutes(1))) func aFIFOAtTheLockIsRefusedWithoutWaiting() throws {
        let paths = try StorageFixture.newLedger()
        try FileManager.default.removeItem(atPath: paths.lock)
        try Planted.fifo(paths.lock)
        Planted.expectRefusal(at: paths.lock, code: EINVAL) { _ = try LedgerWriter(paths: paths) }
    }

    /// A FIFO at `append.pending` once made a command that issues evidence wait forever
    /// (it opened the note read-only to see whether a writer had something to repair).
    @Test(.timeLimit(.minutes(1))) func aFIFOAtTheBatchNoteIsReportedWithoutWaiting() throws {
        let paths = try StorageFixture.newLedger()
        try Planted.fifo(paths.pending)
        #expect(LedgerWriter.mayNeedRecovery(paths))
        let writer = try LedgerWriter(paths: paths)
        #expect(writer.notices.first?.contains("append.pending was a FIFO") == true)
        #expect(Planted.kind(paths.pending) == S_IFREG)
    }
}
