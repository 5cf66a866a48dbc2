import LedgerCore
import LedgerCrypto
import LedgerProofs
import LedgerStorage

/// Checkpoints, inclusion bundles and consistency evidence (Specs/proofs.md), from the proof
/// cache (`cache/merkle.hashes`, `cache/offsets`): O(log n) reads instead of a pass over the
/// log. Every proof is checked against a tree head obtained independently before it is given
/// out, and a cache that disagrees is rebuilt from the log once before the log is blamed.
extension Ledger {
    /// Today's checkpoint from the proof cache, whose chain checks run on every record it adds.
    public func checkpoint() throws(LedgerError) -> Checkpoint {
        let cache = try openProofCache()
        defer { warnNotices(of: cache) }
        return try cachedCheckpoint(cache)
    }

    /// Today's checkpoint after a full verification, as `verify` does: the one thing a signer
    /// may sign. A log with any failure but a torn tail gets none.
    public func verifiedCheckpoint(progress: ((UInt64, UInt64) -> Void)? = nil) throws(LedgerError) -> Checkpoint {
        try recoverBeforeIssuingEvidence()
        let report = try verifyLog(checkpointSize: nil, comparingSnapshots: false, progress: progress).report
        if let failure = report.failure, !failure.kind.isCrashLeftover {
            throw .damagedLog("the log is broken, nothing signed: \(failure)")
        }
        guard let genesis = report.genesis else { throw .damagedLog("the log has no genesis record, nothing signed") }
        do {
            return try Checkpoint(origin: genesis.origin, size: report.recordCount, root: report.treeHead)
        } catch {
            throw .damagedLog("cannot form a checkpoint: \(error)")
        }
    }

    /// A signed note over `text`, one signature per signer, added to `existing` if given.
    public static func sign(_ text: String, by signers: [NoteSigner], onto existing: SignedNote? = nil) throws(LedgerError) -> SignedNote {
        precondition(!signers.isEmpty, "a key file holds at least one key")
        do {
            var note = try existing ?? SignedNote(text: text)
            for signer in signers { try note.addSignature(signer: signer) }
            precondition(note.text == text, "signing never changes the text")
            return note
        } catch {
            throw .invalidInput("cannot sign: \(error)")
        }
    }

    /// An inclusion bundle of record `seq` against `document`, a signed checkpoint of this log.
    /// Throws `.integrity` when the log does not extend the checkpoint.
    public func inclusionBundle(seq: UInt64, in document: CheckpointDocument) throws(LedgerError) -> InclusionBundle {
        let checkpoint = document.checkpoint
        guard let note = document.note, !note.signatures.isEmpty else {
            throw .invalidInput("a bundle needs a signed checkpoint (ledger checkpoint --sign)")
        }
        guard seq < checkpoint.size else {
            throw .invalidInput("record \(seq) is not in the checkpoint: it holds \(checkpoint.size) records (seq 0 to size - 1)")
        }
        let cache = try openProofCache()
        defer { warnNotices(of: cache) }
        if let refusal = try refusal(of: checkpoint, by: cache) { throw .integrity(refusal) }
        let found: ([UInt8], [SHA256Digest])?
        do {
            found = try cache.retryingAfterRebuild("a proof from it did not verify") { cache throws(MerkleCacheError) in
                try Self.provenLine(seq: seq, checkpoint: checkpoint, cache: cache)
            }
        } catch {
            throw .proofCache(error)
        }
        guard let (line, proof) = found else {
            throw .damagedLog("the proof cache and the log disagree even after a rebuild; run `ledger verify`")
        }
        return InclusionBundle(record: line, index: seq, treeSize: checkpoint.size, proof: proof,
                               checkpoint: String(decoding: note.bytes, as: UTF8.self))
    }

    /// The record's line and an inclusion proof that verifies against the checkpoint, or nil
    /// when the cache gives something that does not hold (it is then rebuilt once).
    private static func provenLine(seq: UInt64, checkpoint: Checkpoint,
                                   cache: MerkleCache) throws(MerkleCacheError) -> ([UInt8], [SHA256Digest])? {
        let line: [UInt8], record: Record
        do throws(MerkleCacheError) {
            (line, record) = try cache.record(seq: seq)
        } catch {
            guard case .cacheDisagrees = error else { throw error }
            return nil
        }
        let proof = try cache.inclusionProof(index: seq, size: checkpoint.size)
        do {
            try Merkle.verifyInclusion(leafHash: RecordLeaf.hash(record.hash), index: seq, size: checkpoint.size,
                                       proof: proof, root: checkpoint.root)
        } catch {
            return nil
        }
        return (line, proof)
    }

    /// Consistency evidence from `old` to `new` (a checkpoint of this log) or to today's
    /// checkpoint. Its proof is checked against both heads; a head that differs from `old`'s is
    /// first re-derived from a rebuilt cache, so a damaged cache never makes a FORKED verdict.
    /// Throws `.integrity` when `new` is not a checkpoint of this log.
    public func consistencyEvidence(from old: CheckpointDocument, to new: CheckpointDocument?) throws(LedgerError) -> ConsistencyEvidence {
        let cache = try openProofCache()
        defer { warnNotices(of: cache) }
        let current: CheckpointDocument
        if let new {
            if let refusal = try refusal(of: new.checkpoint, by: cache) { throw .integrity(refusal) }
            current = new
        } else {
            current = CheckpointDocument(checkpoint: try cachedCheckpoint(cache), note: nil)
        }
        let (head, proof) = try headAndProof(old: old.checkpoint, new: current.checkpoint, cache: cache)
        return ConsistencyEvidence.make(stored: old, current: current.text, currentCheckpoint: current.checkpoint,
                                        logTreeHeadAtStoredSize: { head }, proof: { proof })
    }

    private func headAndProof(old: Checkpoint, new: Checkpoint,
                              cache: MerkleCache) throws(LedgerError) -> (SHA256Digest, [SHA256Digest]) {
        guard old.origin == new.origin, old.size <= new.size else { return (Merkle.emptyRoot, []) }
        let head: SHA256Digest
        let proof: [SHA256Digest]?
        do throws(MerkleCacheError) {
            let matched = try cache.retryingAfterRebuild("its tree head differs from --from's") { cache throws(MerkleCacheError) in
                let head = try cache.treeHead(size: old.size)
                return head == old.root ? head : nil
            }
            if let matched { head = matched } else { head = try cache.treeHead(size: old.size) }
            proof = try cache.retryingAfterRebuild("a proof from it did not verify") { cache throws(MerkleCacheError) in
                guard old.size > 0 else { return [] }
                let proof = try cache.consistencyProof(oldSize: old.size, newSize: new.size)
                let holds = (try? Merkle.verifyConsistency(oldSize: old.size, newSize: new.size, oldRoot: head,
                                                           newRoot: new.root, proof: proof)) != nil
                return holds ? proof : nil
            }
        } catch {
            throw .proofCache(error)
        }
        guard let proof else {
            throw .damagedLog("the proof cache and the log disagree even after a rebuild; run `ledger verify`")
        }
        return (head, proof)
    }

    /// Why the log cannot be proven against this checkpoint (another origin, fewer records,
    /// another tree head over its first records), or nil.
    func refusal(of checkpoint: Checkpoint, by cache: MerkleCache) throws(LedgerError) -> VerifyFailure? {
        let origin = try Self.origin(cache)
        guard origin == checkpoint.origin else {
            return CheckpointCheck.failure(.originMismatch, seq: nil,
                                           "the checkpoint is for \"\(checkpoint.origin)\" but this ledger is \"\(origin)\"")
        }
        guard checkpoint.size <= cache.recordCount else {
            return CheckpointCheck.failure(.truncated, seq: cache.recordCount,
                                           "the checkpoint has \(checkpoint.size) records but the log has only \(cache.recordCount)")
        }
        let matches: Bool?
        do {
            matches = try cache.retryingAfterRebuild("its tree head differs from the checkpoint's") { cache throws(MerkleCacheError) in
                try cache.treeHead(size: checkpoint.size) == checkpoint.root ? true : nil
            }
        } catch {
            throw .proofCache(error)
        }
        guard matches == nil else { return nil }
        return CheckpointCheck.failure(.forked, seq: checkpoint.size - 1,
                                       "the log's first \(checkpoint.size) records do not have the checkpoint's tree head")
    }

    /// Brings `cache/keys.evidence` up to the append just made: every reader checks a cache's
    /// seal key against it (Specs/log-format.md §10.6). A failure is a warning: without it the
    /// caches are only not trusted, and the next append tries again.
    func updateKeyEvidence(logBytes: UInt64) {
        do {
            try KeyEvidence.update(paths: paths, logBytes: logBytes, checks: keyEvidence)
        } catch {
            warn(.cacheNotSaved, "could not update the key evidence (\(error)); caches are folded again until the next append")
        }
    }

    /// Brings the proof cache up to the append `firstSeq ...` that `signer` just made, and seals
    /// it (Specs/proofs.md, section 9): the next checkpoint or proof trusts it without reading
    /// the log. A failure is a warning: the cache is only a cache.
    func sealProofCache(by signer: AppendSigner, firstSeq: UInt64) {
        do {
            let cache = try MerkleCache.open(paths: paths, requiringSeal: true, evidence: keyEvidence)
            try cache.seal(by: signer, firstSeq: firstSeq)
        } catch {
            warn(.cacheNotSaved, "could not seal the proof cache (\(error)); the next checkpoint rebuilds it from the log")
        }
    }

    /// Opens the proof cache after the writer's recovery: evidence never covers records a
    /// recovery would take back. It trusts only a cache sealed by the key of the last append.
    func openProofCache() throws(LedgerError) -> MerkleCache {
        try recoverBeforeIssuingEvidence()
        do { return try MerkleCache.open(paths: paths, requiringSeal: true, evidence: keyEvidence) } catch { throw .proofCache(error) }
    }

    func cachedCheckpoint(_ cache: MerkleCache) throws(LedgerError) -> Checkpoint {
        let origin = try Self.origin(cache)
        let size = cache.recordCount
        do {
            return try Checkpoint(origin: origin, size: size, root: cache.treeHead(size: size))
        } catch let error as MerkleCacheError {
            throw .proofCache(error)
        } catch {
            throw .damagedLog("cannot form a checkpoint: \(error)")
        }
    }

    func warnNotices(of cache: MerkleCache) {
        for notice in cache.notices { warn(.cacheIgnored, notice) }
    }

    /// The ledger's origin, from its genesis record.
    static func origin(_ cache: MerkleCache) throws(LedgerError) -> String {
        let genesis: Record
        do { genesis = try cache.record(seq: 0).record } catch { throw .proofCache(error) }
        guard genesis.type == Record.genesisType, let origin = genesis.payload["origin"]?.stringValue else {
            throw .damagedLog("the log's first record is not a genesis record; run `ledger verify`")
        }
        return origin
    }
}
