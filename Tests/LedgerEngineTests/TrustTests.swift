import Foundation
import LedgerCore
import LedgerCrypto
import LedgerDomain
@testable import LedgerEngine
import LedgerStorage
import LedgerJSON
import LedgerProofs
import Testing

/// Specs/trust.md, section 2: what someone who can write the ledger directory, or holds one
/// operator's key, cannot do; each scenario fails safely: refused on append with the log
/// byte-identical, or reported by `verify` with its kind and seq.
@Suite struct TrustTests {
    @Test func nobodyAppendsUnderAnotherOperatorsName() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let before = try fixture.logBytes()
        // The clerk's key, in the treasurer's name.
        do {
            _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100)], signer: EngineFixture.signer(EngineFixture.clerk))
            Issue.record("an append under another operator's name was accepted")
        } catch {
            #expect(error.category == .refused)
            #expect(error.description.contains("operator \"OP-SAISIE\"'s key, not the key registered for \"OP-TRESORIERE\""), "\(error)")
        }
        // A key registered to nobody.
        let stranger = AppendSigner(privateKey: Ed25519.PrivateKey(seed: [UInt8](repeating: 1, count: 32)))
        #expect(throws: LedgerError.self) { try ledger.append([EngineFixture.donation("VIR-1", cents: 100)], signer: stranger) }
        #expect(try fixture.logBytes() == before)
        #expect(try ledger.verify().isIntact)
    }

    /// Four eyes compare authenticated identities: the treasurer cannot approve her own request
    /// in the secretary's name, since she does not hold the secretary's key.
    @Test func oneKeyCannotBeTwoOperators() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let before = try fixture.logBytes()
        let sameKey = EngineFixture.draft("operator.registered", by: EngineFixture.founder, [
            ("key", EngineFixture.publicKey(EngineFixture.treasurer)), ("operator", "OP-SECRETAIRE"), ("role", "secretary"),
        ])
        do {
            _ = try ledger.append([sameKey], signer: EngineFixture.signer(EngineFixture.founder))
            Issue.record("a key registered twice was accepted")
        } catch {
            #expect(error.description.contains("A5.key-unique"), "\(error)")
        }
        #expect(try fixture.logBytes() == before)
    }

    /// A line forged in the treasurer's name with another key: no report prints its money, no
    /// writer appends on it (a reversal it would allow), with or without a snapshot before it.
    @Test(arguments: [false, true])
    func aForgedAppendIsNeitherAFigureNorGroundForAnAppend(withSnapshot: Bool) throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopen { $0.snapshots.tailRecordsMin = withSnapshot ? 1 : 512 }
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100)])
        try Forger(fixture).append(EngineFixture.donation("VIR-F", cents: 100_000_000), signer: EngineFixture.signer(EngineFixture.clerk))
        let before = try fixture.logBytes()
        for mode in [Ledger.ReadMode.cached, .fromLog] {
            let reader = try fixture.reopen()
            do throws(LedgerError) {
                let view = try reader.view(mode: mode)
                Issue.record("a report folded the forged line: cash \(String(describing: EngineFixture.cash(view)))")
            } catch {
                #expect(error.category == .notALedger && "\(error)".contains("BAD_SIGNATURE"), "\(error)")
            }
        }
        let reversal = EngineFixture.draft("contribution.reversed", by: EngineFixture.treasurer, [
            ("amount", .integer(50_000)), ("contribution", "VIR-F"), ("reason", "refund"), ("ref", "RBT-1"),
        ])
        #expect(throws: LedgerError.self) { try fixture.reopen().append([reversal]) }
        #expect(try fixture.logBytes() == before, "nothing appended on a forged line")
        #expect(try ledger.verify().failure?.kind == .badSignature)
    }

    /// The insider signs a forged line with a key of their own and seals a snapshot of it with
    /// the same key: the seal holds for that line, but the key is nobody's in the log's registry
    /// (cache/keys.evidence, log-format §10.6), so no report trusts the snapshot, and the fold
    /// from the genesis then meets the forged line.
    @Test func aCacheSealedByAKeyTheLogNeverRegisteredIsNotTrusted() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopenSavingEveryAppend()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100)])
        let honestBytes = UInt64(try fixture.logBytes().count)
        let insider = EngineFixture.signer("OP-INSIDER")
        try Forger(fixture).append(EngineFixture.donation("VIR-F", cents: 100_000_000), signer: insider)
        let log = try fixture.logBytes()
        let forged = try RecordCodec.decodeChecked(line: Array(log.split(separator: 0x0A).last!))
        // What the insider can compute without any key but their own: the state with the forged
        // line, sealed by that key (the snapshot code is public).
        let store = ledger.store
        var state = try StateStore.fold(fixture.logPath, from: .genesis, to: honestBytes, cut: .head).state
        try state.apply(forged)
        store.save(state, bytes: UInt64(log.count), sealer: StateSnapshots.Sealer(signer: insider, lastRecord: forged, firstSeq: forged.seq))
        let reader = try fixture.reopen()
        do throws(LedgerError) {
            let view = try reader.view(mode: .cached)
            Issue.record("a report trusted the insider's snapshot: cash \(String(describing: EngineFixture.cash(view)))")
        } catch {
            #expect("\(error)".contains("BAD_SIGNATURE"), "\(error)")
        }
        #expect(fixture.warnings.messages.contains { $0.contains("keys.evidence") }, "\(fixture.warnings.messages)")
    }

    /// The evidence names every key event: a registered operator's own sealed snapshot is trusted.
    @Test func aCacheSealedByARegisteredOperatorIsTrusted() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let ledger = try fixture.reopenSavingEveryAppend()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100)])
        let view = try fixture.reopen().view(mode: .cached)
        guard case .snapshot(let snapshot, _) = view.trusted else {
            Issue.record("no snapshot trusted: \(view.trusted); \(fixture.warnings.messages)")
            return
        }
        #expect(snapshot.sealer == EngineFixture.treasurer)
        #expect(!fixture.warnings.messages.contains { $0.contains("ignored") }, "\(fixture.warnings.messages)")
    }

    /// Records of an append that never finished (no signed last record) are no figure either:
    /// reports end at the last acknowledged append, as verify and the next writer do.
    @Test func anUnfinishedAppendIsInNoReport() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100)])
        try Forger(fixture).append(EngineFixture.donation("VIR-U", cents: 100_000_000), signer: nil)
        let view = try fixture.reopen().view(mode: .fromLog)
        #expect(EngineFixture.cash(view) == 100)
        #expect(view.records == (try ledger.verify().report?.recordCount))
    }

    @Test func aRecordSignedByAnotherKeyIsABadSignature() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100)])
        // Written by other means in the treasurer's name, signed with the clerk's key.
        try Forger(fixture).append(EngineFixture.donation("VIR-2", cents: 100_000), signer: EngineFixture.signer(EngineFixture.clerk))
        let verification = try ledger.verify()
        #expect(verification.failure?.kind == .badSignature)
        #expect(verification.failure?.seq == 7 && verification.failure?.line == 8, "\(String(describing: verification.failure))")
    }

    @Test func anUnfinishedAppendIsReportedAsSuchWithTheAcknowledgedHead() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100)])
        let acknowledged = try ledger.verify()
        try Forger(fixture).append(EngineFixture.donation("VIR-2", cents: 100), signer: nil)
        let verification = try ledger.verify()
        #expect(verification.failure?.kind == .unfinishedBatch && verification.failure?.seq == 7)
        #expect(verification.report?.recordCount == 7 && verification.report?.headHash == acknowledged.report?.headHash)
        #expect(verification.report?.treeHead == acknowledged.report?.treeHead)
        // The next writer rolls it back; the log is then the acknowledged one.
        _ = try ledger.append([EngineFixture.donation("VIR-3", cents: 100)])
        #expect(fixture.warnings.messages.contains { $0.contains("rolled back an unfinished append") }, "\(fixture.warnings.messages)")
        #expect(try ledger.verify().isIntact)
    }

    /// With an auditor's checkpoint older than the unfinished append: the acknowledged records
    /// extend it, and the evidence ends where the report does (a campaign found this crashed).
    @Test func anUnfinishedAppendAfterACheckpointStillExtendsIt() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let stored = CheckpointDocument(checkpoint: try ledger.checkpoint(), note: nil)
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100), EngineFixture.donation("VIR-2", cents: 100)])
        let acknowledged = try ledger.verify()
        try Forger(fixture).append(EngineFixture.donation("VIR-3", cents: 100), signer: nil)
        try Forger(fixture).append(EngineFixture.donation("VIR-4", cents: 100), signer: nil)
        let verification = try ledger.verify(Ledger.VerifyRequest(checkpoint: stored))
        #expect(verification.failure?.kind == .unfinishedBatch, "\(String(describing: verification.failure))")
        #expect(verification.evidence?.outcome == .consistent)
        #expect(verification.evidence?.currentCheckpoint.size == acknowledged.report?.recordCount)
        #expect(verification.evidence?.currentCheckpoint.root == acknowledged.report?.treeHead)
    }

    /// A checkpoint that only the unfinished records would reach is not extended: those records
    /// were never acknowledged, so the log is shorter than the checkpoint (proofs.md §5 step 3).
    @Test func anUnfinishedAppendNeverMakesACheckpointHold() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100)])
        try Forger(fixture).append(EngineFixture.donation("VIR-2", cents: 100), signer: nil)
        let acknowledged = try ledger.checkpoint()
        let beyond = try Checkpoint(origin: acknowledged.origin, size: acknowledged.size + 1, root: acknowledged.root)
        let verification = try ledger.verify(Ledger.VerifyRequest(checkpoint: CheckpointDocument(checkpoint: beyond, note: nil)))
        #expect(verification.failure?.kind == .truncated, "\(String(describing: verification.failure))")
    }

    @Test func aRevokedOrRotatedKeySignsNothingMore() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let founder = EngineFixture.signer(EngineFixture.founder)
        _ = try ledger.append([EngineFixture.draft("operator.key_rotated", by: EngineFixture.founder, [
            ("key", EngineFixture.publicKey("OP-TRESORIERE-2027")), ("operator", .string(EngineFixture.treasurer)),
        ])], signer: founder)
        #expect(throws: LedgerError.self) { try ledger.append([EngineFixture.donation("VIR-1", cents: 100)]) }
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 100)], signer: EngineFixture.signer("OP-TRESORIERE-2027"))
        // An append signed by the old key, written by other means, is a bad signature.
        try Forger(fixture).append(EngineFixture.donation("VIR-2", cents: 100), signer: EngineFixture.signer(EngineFixture.treasurer))
        #expect(try ledger.verify().failure?.kind == .badSignature)
    }

    @Test func aRealLedgerTakesNoOtherClockThanTheSystems() throws {
        let fixture = EngineFixture()
        var options = fixture.options
        options.signer = EngineFixture.signer(EngineFixture.founder)
        // 17 months back: refused at creation, and on a real ledger at every append.
        options.clock = ManualClock("2025-07-01T09:00:01.000000Z")
        let genesis = Genesis(origin: "engine.test/real", currency: "EUR", minorUnits: 2, name: "Fonds réel")
        do {
            _ = try Ledger.create(directory: fixture.directory, genesis: genesis, founder: EngineFixture.founder, options: options)
            Issue.record("a real ledger took a clock 17 months off")
        } catch {
            #expect(error.description.contains("system clock"), "\(error)")
        }
        options.clock = SystemClock()
        let ledger = try Ledger.create(directory: fixture.directory, genesis: genesis, founder: EngineFixture.founder, options: options).ledger
        let note = EngineFixture.draft("note.recorded", by: EngineFixture.founder, [("text", "ouverture")])
        _ = try ledger.append([RecordDraft(type: note.type, actor: note.actor, payload: note.payload)])
        options.clock = ManualClock("9999-12-31T23:59:59.999999Z")
        let future = try Ledger(directory: fixture.directory, options: options)
        #expect(throws: LedgerError.self) { try future.append([RecordDraft(type: note.type, actor: note.actor, payload: note.payload)]) }
        #expect(try future.verify().report?.genesis?.isSimulated == false)
    }

    @Test func aPeriodIsClosedOnceItIsOver() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let close = RecordDraft(type: "period.closed", effective: CalendarDate("2030-01-01"), actor: EngineFixture.treasurer,
                                payload: JSONObject([("through", "2029-12-31")]))
        do {
            _ = try ledger.append([close])
            Issue.record("a period was closed years in advance")
        } catch {
            #expect(error.description.contains("I10.close-order") && error.description.contains("has not ended"), "\(error)")
        }
    }

    @Test func aLookAlikeIdentifierIsRefused() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let founder = EngineFixture.signer(EngineFixture.founder)
        for lookAlike in ["OP-TRES0RIERE", "op-tresoriere", "OP-SAlSIE"] {
            let draft = EngineFixture.draft("operator.registered", by: EngineFixture.founder, [
                ("key", EngineFixture.publicKey(lookAlike)), ("operator", .string(lookAlike)), ("role", "treasurer"),
            ])
            do {
                _ = try ledger.append([draft], signer: founder)
                Issue.record("\(lookAlike) was accepted beside the real operators")
            } catch {
                #expect(error.description.contains("I0.look-alike"), "\(error)")
            }
        }
        let party = EngineFixture.draft("party.registered", by: EngineFixture.clerk, [("kind", "person"), ("party", "p-l")])
        #expect(throws: LedgerError.self) { try ledger.append([party], signer: EngineFixture.signer(EngineFixture.clerk)) }
    }

    @Test func aKeyInsideTheLedgerDirectoryIsRefused() throws {
        let fixture = EngineFixture()
        _ = try fixture.create()
        let keys = try TestKeyFiles.make()
        let inside = fixture.directory + "/admin.key"
        try FileManager.default.copyItem(atPath: keys.signer, toPath: inside)
        #expect(throws: LedgerError.self) { try KeyFile.appendSigner(inside, outside: fixture.directory, warn: { _ in }) }
        _ = try KeyFile.appendSigner(keys.signer, outside: fixture.directory, warn: { _ in })
    }
}

/// Writes records to a fixture's log by other means than the engine: well chained and hashed,
/// signed (as an append of one) by the key given, or not at all.
struct Forger {
    let fixture: EngineFixture

    init(_ fixture: EngineFixture) { self.fixture = fixture }

    func append(_ draft: RecordDraft, signer: AppendSigner?) throws {
        let data = try fixture.logBytes()
        let last = try RecordCodec.decodeChecked(line: Array(data.split(separator: 0x0A).last!))
        let (_, record) = RecordCodec.encode(draft: draft, seq: last.seq + 1, prev: last.hash, recordedAt: last.recordedAt,
                                             effective: draft.effective ?? last.effective)
        let written = signer.map { record.signed($0.sign(firstSeq: record.seq, lastRecord: record)) } ?? record
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fixture.logPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(RecordCodec.line(of: written)))
        try handle.close()
    }
}

extension TrustTests {
    /// The proof cache of another history of the same length and shape, with this log's last
    /// hash put in its headers (the tree head stays the other history's): a checkpoint must come
    /// from this log, never from the planted cache.
    @Test func aPlantedProofCacheNeverCertifiesAnotherHistory() throws {
        let mine = EngineFixture(), theirs = EngineFixture()
        let ledger = try mine.create(), other = try theirs.create()
        let before = CheckpointDocument(checkpoint: try ledger.checkpoint(), note: nil)
        _ = try ledger.append([EngineFixture.donation("VIR-1", cents: 5_000)])
        _ = try other.append([EngineFixture.donation("VIR-2", cents: 5_000)])
        let truth = try ledger.checkpoint()
        #expect(try other.checkpoint().root != truth.root)
        let realLastHash = try #require(try ledger.verify().report?.headHash)
        for name in ["merkle.hashes", "offsets", "merkle.seal"] {
            let target = mine.directory + "/cache/" + name
            try? FileManager.default.removeItem(atPath: target)
            var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: theirs.directory + "/cache/" + name)))
            if name != "merkle.seal" {
                // Headers: the last hash at bytes 32-63, then the checksum of bytes 0-95 at 96-127.
                bytes.replaceSubrange(32..<64, with: realLastHash.bytes)
                bytes.replaceSubrange(96..<128, with: SHA256.hash(Array(bytes[0..<96])).bytes)
            } else {
                bytes.replaceSubrange(16..<48, with: realLastHash.bytes)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: target))
        }
        mine.warnings.messages.removeAll()
        // Consistency with an auditor's earlier checkpoint: the planted cache does not make it
        // blame the log.
        #expect(try ledger.consistencyEvidence(from: before, to: nil).outcome == .consistent)
        #expect(mine.warnings.messages.contains { $0.contains("rebuilt it from the log") }, "\(mine.warnings.messages)")
        let checkpoint = try ledger.checkpoint()
        #expect(checkpoint.root == truth.root)
    }

    /// A state snapshot forged to show a million euros more is never read: reports and appends
    /// fold the log instead, and say so.
    @Test func aForgedSnapshotPrintsNoLie() throws {
        let fixture = EngineFixture()
        let ledger = try fixture.create()
        let eager = try fixture.reopenSavingEveryAppend()
        _ = try eager.append([EngineFixture.donation("VIR-1", cents: 5_000)])
        let sealed = try fixture.reopen().view()
        guard case .snapshot(let snapshot, _) = sealed.trusted else {
            Issue.record("the append saved no snapshot: \(sealed.trusted)")
            return
        }
        #expect(snapshot.sealer == EngineFixture.treasurer)
        // Someone without a key rewrites the snapshot's seal with their own key: it no longer
        // verifies against the key that signed the last append.
        let snapshots = fixture.snapshots
        let core = try #require(try FileManager.default.contentsOfDirectory(atPath: snapshots).first { $0.hasPrefix("state-") })
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: snapshots + "/" + core)))
        let sealAt = try #require((0..<(bytes.count - 32)).first { Array(bytes[$0..<($0 + 32)]) == EngineFixture.signer(EngineFixture.treasurer).publicKey.bytes })
        bytes.replaceSubrange(sealAt..<(sealAt + 32), with: EngineFixture.signer(EngineFixture.clerk).publicKey.bytes)
        bytes.replaceSubrange((bytes.count - 32)..., with: SHA256.hash(Array(bytes.dropLast(32))).bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: snapshots + "/" + core))
        fixture.warnings.messages.removeAll()
        let view = try fixture.reopen().view()
        #expect(view.trusted == .log)
        #expect(EngineFixture.cash(view) == 5_000)
        #expect(fixture.warnings.messages.contains { $0.contains("not sealed") }, "\(fixture.warnings.messages)")
        _ = try ledger.append([EngineFixture.donation("VIR-2", cents: 1)])
        #expect(EngineFixture.cash(try ledger.view(mode: .fromLog)) == 5_001)
    }
}
