import LedgerCore
import LedgerCrypto
import LedgerProofs
import LedgerStorage

enum ConsistencyCommand {
    static let command = Command(
        name: "consistency",
        summary: "prove that the log extends an older checkpoint, from the proof cache",
        help: """
        Usage: ledger consistency --ledger DIR --from OLDFILE [--to NEWFILE] [--output FILE]

        Writes consistency evidence (Specs/proofs.md, section 6): OLDFILE as given, the log's
        checkpoint at OLDFILE's size when it differs, the newer checkpoint (NEWFILE as given,
        or today's), and the RFC 9162 consistency proof between them. Send it to whoever keeps
        OLDFILE: scripts/check_consistency.py checks it without the ledger.

        Unlike `ledger verify --checkpoint`, it does not read the whole log: it uses the proof
        cache (cache/), extended or rebuilt as needed, so it costs milliseconds on a million
        records. Every proof is checked against both tree heads before it is written, and a
        FORKED or TRUNCATED verdict is confirmed on a cache rebuilt from the log. It checks no
        signature (`ledger verify --key` and `check_consistency.py --key` do).

        Exit status: 0 CONSISTENT, 1 FORKED, TRUNCATED or ORIGIN_MISMATCH (the evidence is still
        written), or NEWFILE is not a checkpoint of this log; 2 usage or malformed checkpoint;
        5 the log is broken; 7 I/O error.

        Example:
          ledger consistency --ledger ./fund --from ~/audit/2025.checkpoint --to minutes/2026.checkpoint

        """,
        valued: ["from", "to", "output"],
        flags: [],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let paths = try context.ledgerPaths(arguments)
        let old = try CheckpointDocument.load(try arguments.required("from"))
        let new = try arguments.value("to").map { (path) throws(CLIError) in try CheckpointDocument.load(path) }
        guard Directory.fileExists(paths.log) else {
            throw CLIError(StorageError.notALedger(path: paths.directory, reason: "no log.jsonl"))
        }
        let cache = try MerkleCache.open(for: paths, context: context)
        defer { cache.showNotices(context) }
        let current: CheckpointDocument
        if let new {
            if let refusal = try ProveCommand.refusal(of: new.checkpoint, by: cache) {
                context.warn("--to is not a checkpoint of this log: \(refusal.kind.rawValue): \(refusal.message)")
                return .integrityFailure
            }
            current = new
        } else {
            current = CheckpointDocument(checkpoint: try CheckpointCommand.cachedCheckpoint(cache), note: nil)
        }
        let evidence = try makeEvidence(old: old, current: current, cache: cache)
        try OutputFile.emit(evidence.document, arguments: arguments, context: context,
                            what: "\(evidence.outcome.rawValue) evidence, size \(old.checkpoint.size) -> \(current.checkpoint.size)")
        return evidence.outcome == .consistent ? .success : .integrityFailure
    }

    /// The evidence, its proof checked against both heads; a head that differs from OLDFILE's is
    /// first re-derived from a rebuilt cache, so a damaged cache never makes a FORKED verdict.
    static func makeEvidence(old: CheckpointDocument, current: CheckpointDocument,
                             cache: MerkleCache) throws(CLIError) -> ConsistencyEvidence {
        let oldSize = old.checkpoint.size, newSize = current.checkpoint.size
        let head: SHA256Digest
        let proof: [SHA256Digest]?
        if old.checkpoint.origin == current.checkpoint.origin, oldSize <= newSize {
            do throws(MerkleCacheError) {
                let matched = try cache.retryingAfterRebuild("its tree head differs from --from's") { cache throws(MerkleCacheError) in
                    let head = try cache.treeHead(size: oldSize)
                    return head == old.checkpoint.root ? head : nil
                }
                if let matched { head = matched } else { head = try cache.treeHead(size: oldSize) }
                proof = try cache.retryingAfterRebuild("a proof from it did not verify") { cache throws(MerkleCacheError) in
                    guard oldSize > 0 else { return [] }
                    let proof = try cache.consistencyProof(oldSize: oldSize, newSize: newSize)
                    let holds = (try? Merkle.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: head,
                                                               newRoot: current.checkpoint.root, proof: proof)) != nil
                    return holds ? proof : nil
                }
            } catch {
                throw CLIError(error)
            }
        } else {
            (head, proof) = (Merkle.emptyRoot, [])
        }
        guard let proof else {
            throw CLIError(message: "the proof cache and the log disagree even after a rebuild; run `ledger verify`", exitCode: .notALedger)
        }
        return ConsistencyEvidence.make(stored: old, current: current.text, currentCheckpoint: current.checkpoint,
                                        logTreeHeadAtStoredSize: { head }, proof: { proof })
    }
}
