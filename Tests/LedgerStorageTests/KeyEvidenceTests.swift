import Foundation
import LedgerCore
import LedgerCrypto
import LedgerJSON
@testable import LedgerStorage
import Testing

/// `cache/keys.evidence` (Specs/log-format.md §10.6): the log's lines that give the operators
/// their keys, verified from the genesis line by every reader before it trusts a cache's seal.
@Suite struct KeyEvidenceTests {
    static let founder = SignedAppendTests.signer
    static let clerk = AppendSigner(privateKey: Ed25519.PrivateKey(seed: [UInt8](repeating: 9, count: 32)))
    static let clerkRotated = AppendSigner(privateKey: Ed25519.PrivateKey(seed: [UInt8](repeating: 10, count: 32)))
    static let stranger = AppendSigner(privateKey: Ed25519.PrivateKey(seed: [UInt8](repeating: 11, count: 32)))

    static func keyEvent(_ type: String, _ operatorID: String, key: AppendSigner?, actor: String = "OP-1") -> RecordDraft {
        var payload: [(String, JSONValue)] = [("operator", .string(operatorID))]
        if let key { payload.insert(("key", .string(Base64.encode(key.publicKey.bytes))), at: 0) }
        if type == "operator.registered" { payload.append(("role", .string("clerk"))) }
        return RecordDraft(type: type, effective: CalendarDate("2026-03-01"), actor: actor, idempotencyKey: nil, payload: JSONObject(payload))
    }

    static func note(_ number: Int, by actor: String) -> RecordDraft {
        var draft = StorageFixture.note(number)
        draft.actor = actor
        return draft
    }

    /// A founder (OP-1) who registers a clerk in a batch with notes around it, the clerk's own
    /// appends, then a rotation of the clerk's key.
    static func ledger() throws -> (LedgerPaths, LedgerWriter) {
        let paths = try SignedAppendTests.newSignedLedger()
        let writer = try LedgerWriter(paths: paths)
        let clock = ManualClock()
        _ = try writer.append([StorageFixture.note(1), keyEvent("operator.registered", "OP-CLERK", key: clerk), StorageFixture.note(2)],
                              clock: clock, signer: founder)
        _ = try writer.append([note(3, by: "OP-CLERK")], clock: clock, signer: clerk)
        _ = try writer.append([keyEvent("operator.key_rotated", "OP-CLERK", key: clerkRotated)], clock: clock, signer: founder)
        _ = try writer.append([note(4, by: "OP-CLERK")], clock: clock, signer: clerkRotated)
        try KeyEvidence.update(paths: paths, logBytes: writer.logBytes)
        return (paths, writer)
    }

    @Test func theEvidenceGivesEachAppendTheKeyItsOperatorHadThen() throws {
        let (paths, _) = try Self.ledger()
        let entries = try #require(KeyEvidence.read(paths))
        #expect(entries.map(\.firstSeq) == [1, 5])
        #expect(entries[0].records.map(\.seq) == [2, 3], "from the key event to the append's signed end")
        #expect(KeyEvidence.confirms(key: Self.clerk.publicKey, actor: "OP-CLERK", appendFirstSeq: 4, paths: paths))
        #expect(!KeyEvidence.confirms(key: Self.clerk.publicKey, actor: "OP-CLERK", appendFirstSeq: 6, paths: paths), "rotated away")
        #expect(KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 6, paths: paths))
        #expect(!KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 4, paths: paths), "not yet")
        #expect(KeyEvidence.confirms(key: Self.founder.publicKey, actor: "OP-1", appendFirstSeq: 0, paths: paths))
        #expect(!KeyEvidence.confirms(key: Self.stranger.publicKey, actor: "OP-1", appendFirstSeq: 6, paths: paths))
    }

    /// An entry the insider adds (a rotation signed by a key of their own) fails: nothing after it
    /// is confirmed, and the next writer rebuilds the evidence from the log.
    @Test func aForgedEntryConfirmsNothingAndTheNextWriterRebuildsTheEvidence() throws {
        let (paths, writer) = try Self.ledger()
        let path = paths.cache + "/" + LedgerPaths.Name.keyEvidence
        let honest = try StorageFixture.bytes(path)
        let last = writer.last
        let (_, forged) = RecordCodec.encode(draft: Self.keyEvent("operator.key_rotated", "OP-CLERK", key: Self.stranger),
                                             seq: last.seq + 1, prev: last.hash, recordedAt: last.recordedAt, effective: last.effective)
        let signed = forged.signed(Self.stranger.sign(firstSeq: forged.seq, lastRecord: forged))
        try (honest + Data("\(signed.seq) ".utf8) + Data(RecordCodec.line(of: signed))).write(to: URL(fileURLWithPath: path))
        #expect(!KeyEvidence.confirms(key: Self.stranger.publicKey, actor: "OP-CLERK", appendFirstSeq: 9, paths: paths))
        #expect(!KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 9, paths: paths))
        #expect(KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 6, paths: paths),
                "the appends before the forged entry keep their keys")
        try KeyEvidence.update(paths: paths, logBytes: writer.logBytes)
        #expect(try StorageFixture.bytes(path) == honest)
    }

    /// A ledger's checks keep the signatures they found good (a registry is computed up to three
    /// times per append): a kept signature vouches for its own message only. The rotation,
    /// checked once, then replaced by a well-formed line giving the clerk another key under the
    /// rotation's own signature, confirms nothing.
    @Test func aSignatureCheckedOnceVouchesForItsOwnMessageOnly() throws {
        let (paths, _) = try Self.ledger()
        let checks = KeyEvidence.Checks()   // shared by every check below, as a ledger's are
        #expect(KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 6, paths: paths, checks: checks))
        let entries = try #require(KeyEvidence.read(paths, checks: checks))
        let rotation = try #require(entries.last?.records.first), signature = try #require(rotation.signature)
        let (_, other) = RecordCodec.encode(draft: Self.keyEvent("operator.key_rotated", "OP-CLERK", key: Self.stranger),
                                            seq: rotation.seq, prev: rotation.prev, recordedAt: rotation.recordedAt,
                                            effective: rotation.effective)
        let path = paths.cache + "/" + LedgerPaths.Name.keyEvidence
        let honest = try StorageFixture.bytes(path)
        let line = Data(try #require(entries.last?.lines.first)), replayed = Data(RecordCodec.line(of: other.signed(signature)).dropLast())
        let at = try #require(honest.range(of: line))
        var changed = honest
        changed.replaceSubrange(at, with: replayed)
        try changed.write(to: URL(fileURLWithPath: path))
        #expect(KeyEvidence.read(paths, checks: checks)?.last?.records.first?.signature == signature, "a well-formed line")
        #expect(!KeyEvidence.confirms(key: Self.stranger.publicKey, actor: "OP-CLERK", appendFirstSeq: 6, paths: paths, checks: checks))
        #expect(!KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 6, paths: paths, checks: checks))
        try honest.write(to: URL(fileURLWithPath: path))
        #expect(KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 6, paths: paths, checks: checks))
    }

    @Test func aMissingOrDamagedFileConfirmsNoAppendButTheGenesis() throws {
        let (paths, _) = try Self.ledger()
        let path = paths.cache + "/" + LedgerPaths.Name.keyEvidence
        var bytes = try StorageFixture.bytes(path)
        bytes[bytes.count - 20] ^= 1
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(!KeyEvidence.confirms(key: Self.clerk.publicKey, actor: "OP-CLERK", appendFirstSeq: 4, paths: paths))
        try FileManager.default.removeItem(atPath: path)
        #expect(!KeyEvidence.confirms(key: Self.clerk.publicKey, actor: "OP-CLERK", appendFirstSeq: 4, paths: paths))
        #expect(KeyEvidence.confirms(key: Self.founder.publicKey, actor: "OP-1", appendFirstSeq: 0, paths: paths))
    }

    /// After an append without key events the file may stay as it was, its bytes scanned
    /// behind by up to `rescanBytesMax`: the next update scans them again, so a key event after
    /// them is found, and a longer stretch is written down.
    @Test func aShortStretchWithoutKeyEventsLeavesTheFileAndIsScannedAgain() throws {
        let (paths, writer) = try Self.ledger()
        let path = paths.cache + "/" + LedgerPaths.Name.keyEvidence
        let clock = ManualClock()
        let before = try StorageFixture.bytes(path)
        _ = try writer.append([Self.note(5, by: "OP-CLERK")], clock: clock, signer: Self.clerkRotated)
        try KeyEvidence.update(paths: paths, logBytes: writer.logBytes)
        #expect(try StorageFixture.bytes(path) == before, "a note's append leaves the file")
        _ = try writer.append([Self.keyEvent("operator.revoked", "OP-CLERK", key: nil)], clock: clock, signer: Self.founder)
        try KeyEvidence.update(paths: paths, logBytes: writer.logBytes)
        #expect(try KeyEvidence.load(from: DirectoryHandle(path: paths.cache))?.scanned == writer.logBytes)
        #expect(KeyEvidence.read(paths)?.map(\.firstSeq) == [1, 5, 8], "the revocation after the stretch is found")
        #expect(!KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 9, paths: paths))
        let revoked = writer.logBytes
        _ = try writer.append((6..<406).map { StorageFixture.note($0) }, clock: clock, signer: Self.founder)
        #expect(writer.logBytes - revoked > KeyEvidence.rescanBytesMax)
        try KeyEvidence.update(paths: paths, logBytes: writer.logBytes)
        #expect(try KeyEvidence.load(from: DirectoryHandle(path: paths.cache))?.scanned == writer.logBytes, "a long stretch is written down")
    }

    /// A revocation removes the key from the next append on.
    @Test func aRevokedKeyIsConfirmedForNoLaterAppend() throws {
        let (paths, writer) = try Self.ledger()
        _ = try writer.append([Self.keyEvent("operator.revoked", "OP-CLERK", key: nil)], clock: ManualClock(), signer: Self.founder)
        try KeyEvidence.update(paths: paths, logBytes: writer.logBytes)
        #expect(KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 7, paths: paths))
        #expect(!KeyEvidence.confirms(key: Self.clerkRotated.publicKey, actor: "OP-CLERK", appendFirstSeq: 8, paths: paths))
    }

    @Test func horspoolFindsEveryOccurrence() {
        let text = Array("ab\"type\":\"operator.x\"\n\"type\":\"operator.\"type\":\"operator.".utf8)
        let search = Horspool(Array("\"type\":\"operator.".utf8))
        var found: [Int] = []
        text.withUnsafeBufferPointer { buffer in
            var position = 0
            while let index = search.firstIndex(in: buffer, from: position, to: buffer.count) {
                found.append(index)
                position = index + 1
            }
        }
        #expect(found == [2, 22, 39])
    }
}
