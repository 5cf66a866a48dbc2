import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerProofs
import LedgerStorage

enum VerifyCommand {
    static let command = Command(
        name: "verify",
        summary: "check the log's integrity, optionally against a checkpoint you kept",
        help: """
        Usage: ledger verify --ledger DIR [--checkpoint FILE] [--json]

        Reads the whole log once and re-checks everything Specs/log-format.md requires: every
        line's canonical form and schema, the dense sequence, the genesis record, every hash,
        every link, the order of recorded times. It trusts nothing else in the directory (caches
        are ignored). It stops at the first failure and names its kind, sequence number, line
        and byte offset.

        With --checkpoint FILE (the output of `ledger checkpoint` that you kept), it also proves
        that the log still extends that checkpoint: same origin, at least as many records, and
        the same Merkle tree head over the first SIZE records. On failure it prints the evidence:
        the stored checkpoint and what the log holds now at that size.

        Exit status: 0 intact, 1 integrity failure, 2 usage or I/O error,
        3 records intact but a torn tail follows (a crash; never acknowledged).

        Example:
          ledger verify --ledger ./fund --checkpoint ~/audit/fund-2026-06-30.checkpoint

        """,
        valued: ["checkpoint"],
        flags: ["json"],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let paths = try context.ledgerPaths(arguments)
        let checkpoint = try arguments.value("checkpoint").map { (path) throws(CLIError) in try loadCheckpoint(path) }
        guard Directory.fileExists(paths.log) else {
            throw .usage("\(paths.directory) is not a ledger: no log.jsonl")
        }
        let report: LogVerification.Report
        do {
            report = try LogVerification.run(path: paths.log, rootAtSize: checkpoint?.size,
                                             observe: FundRules.verifier(),
                                             progress: context.errorIsTerminal ? progressPrinter(context) : nil)
        } catch {
            throw .usage("cannot read the log: \(error)")
        }
        if context.errorIsTerminal { context.standardError("\r\u{1B}[K") }
        let failure = report.failure ?? checkpoint.flatMap { CheckpointCheck.failure(of: $0, against: report) }
        let verdict = Verdict(report: report, failure: failure, checkpoint: checkpoint)
        context.standardOutput(arguments.has("json") ? verdict.json + "\n" : verdict.text)
        guard let failure else { return .success }
        return failure.kind.isTornTail ? .tornTail : .integrityFailure
    }

    static func loadCheckpoint(_ path: String) throws(CLIError) -> Checkpoint {
        let bytes = try readFile(path)
        do {
            return try CheckpointFile.parse(bytes)
        } catch {
            throw .input("\(path) is not a checkpoint: \(error)")
        }
    }

    static func progressPrinter(_ context: Context) -> (UInt64, UInt64) -> Void {
        { records, bytes in
            context.standardError("\rverifying: \(Format.grouped(records)) records, \(Format.grouped(bytes / 1_000_000)) MB")
        }
    }
}

/// Checks a verified log against a checkpoint the auditor kept.
enum CheckpointCheck {
    static func failure(of checkpoint: Checkpoint, against report: LogVerification.Report) -> VerifyFailure? {
        if let genesis = report.genesis, genesis.origin != checkpoint.origin {
            return VerifyFailure(kind: .originMismatch, seq: nil, line: nil, offset: nil,
                                 message: "the checkpoint is for \"\(checkpoint.origin)\" but this ledger is \"\(genesis.origin)\"")
        }
        guard report.recordCount >= checkpoint.size else {
            return VerifyFailure(kind: .truncated, seq: report.recordCount, line: nil, offset: nil,
                                 message: "the checkpoint has \(checkpoint.size) records but the log has only \(report.recordCount)")
        }
        guard report.treeHeadAtCheckpoint == checkpoint.root else {
            let now = report.treeHeadAtCheckpoint.map { Base64.encode($0.bytes) } ?? "?"
            return VerifyFailure(kind: .forked, seq: checkpoint.size == 0 ? 0 : checkpoint.size - 1, line: nil, offset: nil,
                                 message: "the first \(checkpoint.size) records have tree head \(now), the checkpoint says \(Base64.encode(checkpoint.root.bytes))")
        }
        return nil
    }
}
