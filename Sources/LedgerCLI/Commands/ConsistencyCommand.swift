import LedgerCore
import LedgerEngine
import LedgerProofs

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
        let old = try VerifyCommand.loadCheckpoint(try arguments.required("from"))
        let new = try arguments.value("to").map { (path) throws(CLIError) in try VerifyCommand.loadCheckpoint(path) }
        let ledger = try context.ledger(arguments)
        let evidence: ConsistencyEvidence
        do {
            evidence = try ledger.consistencyEvidence(from: old, to: new)
        } catch .integrity(let refusal) {
            context.warn("--to is not a checkpoint of this log: \(refusal.kind.rawValue): \(refusal.message)")
            return .integrityFailure
        } catch {
            throw CLIError(error)
        }
        try OutputFile.emit(evidence.document, arguments: arguments, context: context,
                            what: "\(evidence.outcome.rawValue) evidence, size \(old.checkpoint.size) -> \(evidence.currentCheckpoint.size)")
        return evidence.outcome == .consistent ? .success : .integrityFailure
    }
}
