import Foundation
import LedgerCore
import LedgerCrypto
import LedgerJSON
import Testing
@testable import LedgerStorage

/// Version 2 in the writer: every append signed on its last record, and recovery that rolls back
/// an unsigned tail (an append that never finished) and never a signed record.
@Suite struct SignedAppendTests {
    static let signer = AppendSigner(privateKey: Ed25519.PrivateKey(seed: [UInt8](repeating: 7, count: 32)))

    static func newSignedLedger(clock: ManualClock = ManualClock()) throws -> LedgerPaths {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-signed-\(UUID().uuidString)")
        let paths = LedgerPaths(directory: base.path)
        let genesis = StorageFixture.genesis.keyed(signer.publicKey.bytes, simulated: true)
        _ = try LedgerCreation.create(paths: paths, genesis: genesis, actor: "OP-1", clock: clock, signer: signer)
        return paths
    }

    /// The last record of each append carries the signature, and it signs that append.
    @Test func theLastRecordOfAnAppendCarriesItsSignature() throws {
        let paths = try Self.newSignedLedger()
        let writer = try LedgerWriter(paths: paths)
        let outcomes = try writer.append([StorageFixture.note(1), StorageFixture.note(2), StorageFixture.note(3)],
                                         clock: ManualClock(), signer: Self.signer)
        let records = outcomes.map(\.record)
        #expect(records.map(\.version) == [2, 2, 2])
        #expect(records[0].signature == nil && records[1].signature == nil)
        let signature = try #require(records[2].signature)
        #expect(AppendSignature.holds(signature, firstSeq: 1, lastRecord: records[2], key: Self.signer.publicKey))
        #expect(!AppendSignature.holds(signature, firstSeq: 2, lastRecord: records[2], key: Self.signer.publicKey))
        #expect(try StorageFixture.verify(paths).failure == nil)
    }

    /// A version-2 log takes no unsigned (version-1) append.
    @Test func aVersion2LogRefusesAnUnsignedAppend() throws {
        let paths = try Self.newSignedLedger()
        let before = try StorageFixture.bytes(paths.log)
        let writer = try LedgerWriter(paths: paths)
        #expect(throws: AppendError.self) { try writer.append([StorageFixture.note(1)], clock: ManualClock()) }
        #expect(try StorageFixture.bytes(paths.log) == before)
    }

    /// Records after the last signed one (a crash mid-append; the note may be gone) are set aside.
    @Test func anUnsignedTailIsRolledBackWithoutANote() throws {
        let paths = try Self.newSignedLedger()
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1)], clock: ManualClock(), signer: Self.signer)
        let acknowledged = try StorageFixture.bytes(paths.log)
        let unfinished = try Self.unsignedLines(after: paths, count: 3)
        try StorageFixture.appendRaw(unfinished, to: paths.log)
        #expect(LedgerWriter.mayNeedRecovery(paths))
        #expect(try StorageFixture.verify(paths).failure?.kind == .unfinishedBatch)
        let writer = try LedgerWriter(paths: paths)
        #expect(writer.notices.contains { $0.contains("3 unsigned records") }, "\(writer.notices)")
        #expect(try StorageFixture.bytes(paths.log) == acknowledged)
        let kept = try #require(StorageFixture.tornFiles(paths).first)
        #expect(try Data(contentsOf: URL(fileURLWithPath: paths.torn + "/" + kept)) == Data(unfinished))
    }

    /// A note planted to name signed records as an unfinished batch rolls nothing back.
    @Test func aPlantedNoteNeverRollsBackSignedRecords() throws {
        let paths = try Self.newSignedLedger()
        _ = try LedgerWriter(paths: paths).append([StorageFixture.note(1), StorageFixture.note(2)], clock: ManualClock(),
                                                  signer: Self.signer)
        let before = try StorageFixture.bytes(paths.log)
        let note = Recovery.PendingBatch(bytesBefore: 10, bytesAfter: UInt64(before.count) + 500, lastHash: .zero)
        try Data(note.text.utf8).write(to: URL(fileURLWithPath: paths.pending))
        let writer = try LedgerWriter(paths: paths)
        #expect(writer.notices.isEmpty, "\(writer.notices)")
        #expect(try StorageFixture.bytes(paths.log) == before)
        #expect(StorageFixture.tornFiles(paths).isEmpty)
    }

    /// Well-formed version-2 lines after the log's last record, without a signature.
    static func unsignedLines(after paths: LedgerPaths, count: Int) throws -> [UInt8] {
        let lines = try StorageFixture.bytes(paths.log).split(separator: 0x0A)
        var previous = try RecordCodec.decodeChecked(line: Array(lines.last!))
        var bytes: [UInt8] = []
        for number in 0..<count {
            let (line, record) = RecordCodec.encode(draft: StorageFixture.note(50 + number), seq: previous.seq + 1, prev: previous.hash,
                                                    recordedAt: previous.recordedAt, effective: previous.effective, version: 2)
            bytes += line
            previous = record
        }
        return bytes
    }
}
