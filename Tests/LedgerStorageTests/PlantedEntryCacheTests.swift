import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import Testing
@testable import LedgerStorage

/// The derivable caches under planted links: a linked cache file is an unusable cache, rebuilt in
/// a real file; a linked cache directory is refused; a snapshot or a tables file is written under
/// an unpredictable temporary name and renamed over whatever held its name.
@Suite struct PlantedEntryCacheTests {
    @Test func linkedProofCacheFilesAreReplacedAndRebuilt() throws {
        let paths = try MerkleCacheTests.ledger(notes: 10)
        let hashes = try Planted.outsideFile("hashes\n")
        let offsets = try Planted.outsideFile("offsets\n")
        try Planted.link(paths.merkleHashes, to: hashes)
        try Planted.link(paths.recordOffsets, to: offsets)
        let cache = try MerkleCache.open(paths: paths)
        #expect(cache.recordCount == 11)
        #expect(try cache.treeHead(size: 11) == StorageFixture.verify(paths).treeHead)
        #expect(try StorageFixture.bytes(hashes) == Data("hashes\n".utf8))
        #expect(try StorageFixture.bytes(offsets) == Data("offsets\n".utf8))
        #expect(Planted.kind(paths.merkleHashes) == S_IFREG)
        #expect(Planted.kind(paths.recordOffsets) == S_IFREG)
        #expect(cache.notices.count == 2)
        #expect(cache.notices.first?.hasPrefix("cache/merkle.hashes was a symbolic link") == true, "\(cache.notices)")
        #expect(cache.notices.last?.hasPrefix("cache/offsets was a symbolic link") == true, "\(cache.notices)")
    }

    @Test func aLinkedCacheDirectoryIsRefusedByTheProofCache() throws {
        let paths = try MerkleCacheTests.ledger(notes: 3)
        let outside = try Planted.outsideDirectory()
        try FileManager.default.removeItem(atPath: paths.cache)
        try Planted.link(paths.cache, to: outside)
        #expect {
            _ = try MerkleCache.open(paths: paths)
        } throws: { error in
            guard case .storage(let storage) = error as? MerkleCacheError else { return false }
            return Planted.refusal(storage)?.path == paths.cache
        }
        #expect(Planted.names(outside).isEmpty)
    }

    func ledgerWithSnapshotState() throws -> (LedgerPaths, LedgerWriter, CountingState) {
        let paths = try SignedAppendTests.newSignedLedger()
        let writer = try LedgerWriter(paths: paths)
        _ = try writer.append((1...5).map { StorageFixture.note($0) }, clock: ManualClock(), signer: SignedAppendTests.signer)
        // What a writer keeps beside its caches: the lines that give the operators their keys.
        try KeyEvidence.update(paths: paths, logBytes: writer.logBytes)
        var state = CountingState()
        for record in try writer.records() { state.apply(record) }
        return (paths, writer, state)
    }

    @Test func aSnapshotReplacesALinkAtItsNameAndNeverUsesAPredictableTemporary() throws {
        let (paths, writer, state) = try ledgerWithSnapshotState()
        let snapshots = StorageFixture.snapshots(paths)
        try Planted.makeDirectory(snapshots)
        let name = "state-\(CountingState.snapshotVersion)-6.snap"
        let outside = try Planted.outsideFile()
        let before = try StorageFixture.bytes(outside)
        try Planted.link(snapshots + "/" + name + ".tmp", to: outside)
        try Planted.link(snapshots + "/" + name, to: outside)
        try StateSnapshots.save(state, paths: paths, coveredBytes: writer.logBytes, sealer: StateSnapshotTests.sealer(writer, firstSeq: 1))
        #expect(try StorageFixture.bytes(outside) == before)
        #expect(Planted.kind(snapshots + "/" + name) == S_IFREG)
        #expect(Planted.names(snapshots) == [name, name + ".tmp"])
        let loaded = StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { _ in })
        #expect(loaded?.state == state)
    }

    @Test func aLinkedSnapshotIsNeverRead() throws {
        let (paths, writer, state) = try ledgerWithSnapshotState()
        try StateSnapshots.save(state, paths: paths, coveredBytes: writer.logBytes, sealer: StateSnapshotTests.sealer(writer, firstSeq: 1))
        let name = "state-\(CountingState.snapshotVersion)-6.snap"
        let path = StorageFixture.snapshots(paths) + "/" + name
        let outside = try Planted.outsideDirectory() + "/" + name
        try FileManager.default.moveItem(atPath: path, toPath: outside)
        try Planted.link(path, to: outside)
        var warnings: [String] = []
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { warnings.append($0) }) == nil)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("symbolic link") == true, "\(warnings)")
    }

    @Test(arguments: [LedgerPaths.Name.cache, LedgerPaths.Name.cache + "/" + LedgerPaths.Name.snapshots])
    func aLinkedSnapshotDirectoryIsRefused(linked: String) throws {
        let (paths, writer, state) = try ledgerWithSnapshotState()
        let outside = try Planted.outsideDirectory()
        if linked != LedgerPaths.Name.cache { try Planted.makeDirectory(paths.cache) }
        try? FileManager.default.removeItem(atPath: paths.directory + "/" + linked)
        try Planted.link(paths.directory + "/" + linked, to: outside)
        Planted.expectRefusal(at: paths.directory + "/" + linked, code: ELOOP) {
            try StateSnapshots.save(state, paths: paths, coveredBytes: writer.logBytes, sealer: StateSnapshotTests.sealer(writer, firstSeq: 1))
        }
        #expect(Planted.names(outside).isEmpty)
        var warnings: [String] = []
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { warnings.append($0) }) == nil)
        #expect(warnings.count == 1 && warnings[0].contains("symbolic link"), "\(warnings)")
    }

    @Test func aTablesFileReplacesLinksAndIsNeverReadThroughOne() throws {
        let directory = try TableFileTests.directory()
        let path = directory + "/bulk.tables"
        let outside = try Planted.outsideFile()
        let before = try StorageFixture.bytes(outside)
        try Planted.link(path + ".tmp", to: outside)
        try Planted.link(path, to: outside)
        let rows = TableFileTests.rows(40)
        let digest = try TableFileTests.write(rows, to: path)
        #expect(try StorageFixture.bytes(outside) == before)
        #expect(Planted.kind(path) == S_IFREG)
        #expect(Planted.names(directory) == ["bulk.tables", "bulk.tables.tmp"])
        let file = try TableFile(path: path, digest: digest)
        #expect(try file.value(table: rows[3].0, key: rows[3].1) == rows[3].2)
        // The same file reached through a link is not read.
        let elsewhere = try Planted.outsideDirectory() + "/bulk.tables"
        try FileManager.default.moveItem(atPath: path, toPath: elsewhere)
        try Planted.link(path, to: elsewhere)
        #expect {
            _ = try TableFile(path: path, digest: digest)
        } throws: { error in
            guard case .corrupt(let reason) = error as? TableFile.Problem else { return false }
            return reason.contains("symbolic link")
        }
    }
}
