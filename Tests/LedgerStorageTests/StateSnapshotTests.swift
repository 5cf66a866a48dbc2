import Foundation
import LedgerCore
import LedgerCrypto
import Testing
@testable import LedgerStorage

/// A toy state: the number of records and the sum of their amounts.
struct CountingState: SnapshotState, Equatable {
    static let snapshotVersion = "counting-1"
    var records: UInt64 = 0
    var total: Int64 = 0

    init() {}
    init(snapshotBytes: [UInt8]) throws {
        let text = String(decoding: snapshotBytes, as: UTF8.self).split(separator: " ")
        guard text.count == 2, let records = UInt64(text[0]), let total = Int64(text[1]) else { throw Bad() }
        self.records = records
        self.total = total
    }
    func snapshotBytes() -> [UInt8] { Array("\(records) \(total)".utf8) }
    mutating func apply(_ record: Record) {
        records += 1
        total += record.payload["amount"]?.integerValue ?? 0
    }
    struct Bad: Error {}
}

@Suite struct StateSnapshotTests {
    /// A signed ledger with `notes` notes appended in one append (records 1 ... notes).
    func ledger(notes: Int, signer: AppendSigner = SignedAppendTests.signer) throws -> (LedgerPaths, LedgerWriter) {
        let paths = try SignedAppendTests.newSignedLedger()
        let writer = try LedgerWriter(paths: paths)
        _ = try writer.append((1...notes).map { StorageFixture.note($0) }, clock: ManualClock(), signer: SignedAppendTests.signer)
        // What a writer keeps beside its caches: the lines that give the operators their keys.
        try KeyEvidence.update(paths: paths, logBytes: writer.logBytes)
        return (paths, writer)
    }

    /// What seals a snapshot of everything `writer` holds, whose last append began at `firstSeq`.
    static func sealer(_ writer: LedgerWriter, firstSeq: UInt64, signer: AppendSigner = SignedAppendTests.signer) -> StateSnapshots.Sealer {
        StateSnapshots.Sealer(signer: signer, lastRecord: writer.last, firstSeq: firstSeq)
    }

    func fold(_ paths: LedgerPaths, writer: LedgerWriter, from loaded: StateSnapshots.Loaded<CountingState>?) throws -> CountingState {
        var state = loaded?.state ?? CountingState()
        for record in try writer.records(from: loaded?.coveredBytes ?? 0) { state.apply(record) }
        return state
    }

    @Test func aSnapshotPlusTheTailEqualsAFullFold() throws {
        let (paths, writer) = try ledger(notes: 20)
        let full = try fold(paths, writer: writer, from: nil)
        try StateSnapshots.save(full, paths: paths, coveredBytes: writer.logBytes, sealer: Self.sealer(writer, firstSeq: 1))
        _ = try writer.append((21...30).map { StorageFixture.note($0) }, clock: ManualClock(), signer: SignedAppendTests.signer)
        let loaded = try #require(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { _ in }))
        #expect(loaded.coveredRecords == 21)
        #expect(try fold(paths, writer: writer, from: loaded) == fold(paths, writer: writer, from: nil))
    }

    @Test func aCorruptSnapshotIsIgnoredAndReported() throws {
        let (paths, writer) = try ledger(notes: 5)
        try StateSnapshots.save(try fold(paths, writer: writer, from: nil), paths: paths, coveredBytes: writer.logBytes,
                                sealer: Self.sealer(writer, firstSeq: 1))
        let name = try #require(StateSnapshots.candidates(in: StateSnapshots.openDirectory(paths)).first)
        let path = StorageFixture.snapshots(paths) + "/" + name
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        var warnings: [String] = []
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { warnings.append($0) }) == nil)
        #expect(warnings.count == 1)
        #expect(warnings[0].contains("corrupt"))
    }

    @Test func aSnapshotOfAnotherHistoryIsStale() throws {
        let (other, otherWriter) = try ledger(notes: 6)
        try StateSnapshots.save(try fold(other, writer: otherWriter, from: nil), paths: other, coveredBytes: otherWriter.logBytes,
                                sealer: Self.sealer(otherWriter, firstSeq: 1))
        let (paths, writer) = try ledger(notes: 5)
        let name = try #require(StateSnapshots.candidates(in: StateSnapshots.openDirectory(other)).first)
        try FileManager.default.createDirectory(atPath: StorageFixture.snapshots(paths), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: StorageFixture.snapshots(other) + "/" + name, toPath: StorageFixture.snapshots(paths) + "/" + name)
        var warnings: [String] = []
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { warnings.append($0) }) == nil)
        #expect(warnings.first?.contains("does not match the log") == true)
        // Beyond the log's end (the log was replaced by a shorter one).
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: 100, warn: { _ in }) == nil)
    }

    @Test func anotherVersionIsSilentlySkipped() throws {
        struct Other: SnapshotState {
            static let snapshotVersion = "other-1"
            init() {}
            init(snapshotBytes: [UInt8]) throws {}
            func snapshotBytes() -> [UInt8] { [] }
        }
        let (paths, writer) = try ledger(notes: 3)
        try StateSnapshots.save(Other(), paths: paths, coveredBytes: writer.logBytes, sealer: Self.sealer(writer, firstSeq: 1))
        var warnings: [String] = []
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { warnings.append($0) }) == nil)
        #expect(warnings.isEmpty)
    }
}

extension StateSnapshotTests {
    /// The header names the payload's length: a file cut short, or grown, is corrupt.
    @Test func aSnapshotOfTheWrongLengthIsCorrupt() throws {
        let (paths, writer) = try ledger(notes: 5)
        try StateSnapshots.save(try fold(paths, writer: writer, from: nil), paths: paths, coveredBytes: writer.logBytes,
                                sealer: Self.sealer(writer, firstSeq: 1))
        let path = StorageFixture.snapshots(paths) + "/" + (try #require(StateSnapshots.candidates(in: StateSnapshots.openDirectory(paths)).first))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for damaged in [bytes.dropLast(), bytes + [0], bytes.prefix(30)] {
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            var warnings: [String] = []
            #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { warnings.append($0) }) == nil)
            #expect(warnings.count == 1 && warnings[0].contains("corrupt"), "\(warnings)")
        }
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { _ in }) != nil)
    }
}

extension StateSnapshotTests {
    /// Whoever can write the directory can write a snapshot; only the operator of the last
    /// covered append can seal one. A snapshot sealed by another key, or over other content, is
    /// ignored and reported.
    @Test func aSnapshotNotSealedByTheLastAppendsKeyIsIgnored() throws {
        let (paths, writer) = try ledger(notes: 5)
        let intruder = AppendSigner(privateKey: Ed25519.PrivateKey(seed: [UInt8](repeating: 9, count: 32)))
        var forged = try fold(paths, writer: writer, from: nil)
        forged.total += 1_000_000
        try StateSnapshots.save(forged, paths: paths, coveredBytes: writer.logBytes, sealer: Self.sealer(writer, firstSeq: 1, signer: intruder))
        var warnings: [String] = []
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { warnings.append($0) }) == nil)
        #expect(warnings.count == 1 && warnings[0].contains("not sealed by the key that signed the last append"), "\(warnings)")
        // The right key but another first seq: the append's signature does not hold with it.
        try StateSnapshots.save(forged, paths: paths, coveredBytes: writer.logBytes, sealer: Self.sealer(writer, firstSeq: 2))
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { _ in }) == nil)
        // Sealed right, then its payload rewritten and re-checksummed by someone without the key.
        try StateSnapshots.save(try fold(paths, writer: writer, from: nil), paths: paths, coveredBytes: writer.logBytes,
                                sealer: Self.sealer(writer, firstSeq: 1))
        let name = try #require(StateSnapshots.candidates(in: StateSnapshots.openDirectory(paths)).first)
        let path = StorageFixture.snapshots(paths) + "/" + name
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let payloadAt = bytes.count - 32 - Array("6 15".utf8).count
        #expect(Array(bytes[payloadAt..<(bytes.count - 32)]) == Array("6 15".utf8))
        bytes.replaceSubrange(payloadAt..<(bytes.count - 32), with: Array("6 95".utf8))
        bytes.replaceSubrange((bytes.count - 32)..., with: SHA256.hash(Array(bytes.dropLast(32))).bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        warnings = []
        #expect(StateSnapshots.load(CountingState.self, paths: paths, logBytes: writer.logBytes, warn: { warnings.append($0) }) == nil)
        #expect(warnings.count == 1 && warnings[0].contains("not sealed"), "\(warnings)")
    }
}
