import Foundation
import LedgerCore
import LedgerCrypto
import LedgerJSON
import Testing
@testable import LedgerStorage

/// A batch of several chunks (`LedgerWriter.chunkRecords`) is encoded on one thread while the
/// chunk before is read back and checked on another: the records, their order, their chain and
/// the append's signature are those of a batch written in one piece, and a refusal in any chunk
/// writes nothing.
@Suite struct BatchPipelineTests {
    static let count = 2 * LedgerWriter.chunkRecords + 123

    @Test func aBatchOfSeveralChunksIsOneSignedChainedAppend() throws {
        let paths = try SignedAppendTests.newSignedLedger()
        var checked: [UInt64] = []
        let outcomes = try LedgerWriter(paths: paths).append((1...Self.count).map { StorageFixture.note($0) }, clock: ManualClock(),
                                                             signer: SignedAppendTests.signer,
                                                             check: { record throws(RuleViolation) in checked.append(record.seq) })
        let records = outcomes.map(\.record)
        // Every record checked once, in log order, and each the draft at its place.
        #expect(checked == Array(1...UInt64(Self.count)))
        #expect(records.map(\.seq) == Array(1...UInt64(Self.count)))
        #expect(records.enumerated().allSatisfy { $0.element.payload["amount"] == .integer(Int64($0.offset + 1)) })
        #expect(zip(records, records.dropFirst()).allSatisfy { $1.prev == $0.hash })
        #expect(records.dropLast().allSatisfy { $0.signature == nil })
        let signature = try #require(records.last?.signature)
        #expect(AppendSignature.holds(signature, firstSeq: 1, lastRecord: records.last!, key: SignedAppendTests.signer.publicKey))
        let report = try StorageFixture.verify(paths)
        #expect(report.failure == nil)
        #expect(report.recordCount == UInt64(Self.count) + 1)
    }

    /// A rule broken in the last chunk, or the first, or one in the middle: nothing is written,
    /// and the refusal names the draft.
    @Test(arguments: [1, LedgerWriter.chunkRecords + 1, count])
    func aRefusalInAnyChunkWritesNothing(refused: Int) throws {
        let paths = try SignedAppendTests.newSignedLedger()
        let before = try StorageFixture.bytes(paths.log)
        let violation = RuleViolation(rule: "T.test", message: "refused for the test")
        #expect(throws: AppendError.ruleViolation(position: refused - 1, violation)) {
            try LedgerWriter(paths: paths).append((1...Self.count).map { StorageFixture.note($0) }, clock: ManualClock(),
                                                  signer: SignedAppendTests.signer,
                                                  check: { record throws(RuleViolation) in if record.seq == UInt64(refused) { throw violation } })
        }
        #expect(try StorageFixture.bytes(paths.log) == before)
        #expect(try StorageFixture.verify(paths).recordCount == 1)
    }

    /// Each line is read back before anything is written (for every chunk but the first, in
    /// blocks taken by whichever thread is free): a draft whose line does not read back as its
    /// record (here, too long to be a line of the log) is refused in whichever chunk and block
    /// it falls, and nothing is written. The last chunk's line is read back once more after it
    /// is signed.
    @Test(arguments: [1, LedgerWriter.chunkRecords + 1, LedgerWriter.chunkRecords + 7 * LedgerWriter.SharedReadBack.blockLines + 5,
                      2 * LedgerWriter.chunkRecords, 2 * LedgerWriter.chunkRecords + 1, count])
    func aLineThatDoesNotReadBackInAnyChunkWritesNothing(bad: Int) throws {
        let paths = try SignedAppendTests.newSignedLedger()
        let before = try StorageFixture.bytes(paths.log)
        var drafts = (1...Self.count).map { StorageFixture.note($0) }
        drafts[bad - 1] = StorageFixture.note(bad, text: String(repeating: "x", count: RecordCodec.lineBytesMax))
        let error = #expect(throws: AppendError.self) {
            try LedgerWriter(paths: paths).append(drafts, clock: ManualClock(), signer: SignedAppendTests.signer,
                                                  check: { _ throws(RuleViolation) in })
        }
        guard case .invalidDraft(let position, let field, _)? = error else {
            Issue.record("refused as \(String(describing: error)), not as an invalid draft")
            return
        }
        #expect(position == bad - 1)
        #expect(field == "payload")
        #expect(try StorageFixture.bytes(paths.log) == before)
    }

    /// A chunk read back by three threads at once, each taking blocks as it is free, gets the
    /// answers one thread gives, the bad line's included.
    @Test func aChunkSharedBetweenThreadsReadsBackAsOnOne() throws {
        let writer = try LedgerWriter(paths: try StorageFixture.newLedger())
        var drafts = (1...LedgerWriter.chunkRecords).map { StorageFixture.note($0) }
        drafts[700] = StorageFixture.note(701, text: String(repeating: "x", count: RecordCodec.lineBytesMax))
        var encoder = LedgerWriter.ChunkEncoder(previous: writer.last, now: ManualClock().now(), version: 1)
        let chunk = encoder.encode(Array(drafts.indices)[...], of: drafts)
        let shared = LedgerWriter.SharedReadBack()
        ParallelWork.run(parts: 3) { part in
            if part == 1 { shared.publish(chunk) }
            shared.help()   // the others wait for the chunk
        }
        let answers = shared.answers
        #expect(answers == chunk.readBack(parts: 1))
        #expect(answers.indices.filter { !answers[$0] } == [700])
    }

    /// Drafts that repeat an earlier draft's idempotency key write nothing of their own, in
    /// whichever chunk they fall: the records stay dense and chained.
    @Test func repeatedKeysAcrossChunksAreAnsweredByTheFirst() throws {
        let paths = try StorageFixture.newLedger()
        let drafts = (1...Self.count).map { number in
            number % 1_000 == 0 ? StorageFixture.note(number - 999, key: "K-\(number - 999)") : StorageFixture.note(number, key: "K-\(number)")
        }
        let outcomes = try LedgerWriter(paths: paths).appendKeyed(drafts, clock: ManualClock())
        let repeated = Self.count / 1_000
        #expect(Set(outcomes.map(\.record.seq)).count == Self.count - repeated)
        for number in stride(from: 1_000, through: Self.count, by: 1_000) {
            #expect(outcomes[number - 1].record == outcomes[number - 1_000].record)
        }
        let report = try StorageFixture.verify(paths)
        #expect(report.failure == nil)
        #expect(report.recordCount == UInt64(Self.count - repeated) + 1)
    }
}
