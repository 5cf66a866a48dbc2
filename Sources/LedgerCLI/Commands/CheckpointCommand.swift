import LedgerCore
import LedgerCrypto
import LedgerProofs
import LedgerStorage

enum CheckpointCommand {
    static let command = Command(
        name: "checkpoint",
        summary: "print the checkpoint (origin, size, tree head) an auditor keeps",
        help: """
        Usage: ledger checkpoint --ledger DIR [--output FILE]

        Verifies the log, then prints its checkpoint in the C2SP tlog-checkpoint format: the
        ledger's origin, its number of records and the base64 RFC 9162 Merkle tree head over
        them (Specs/log-format.md, section 9). Keep it outside the ledger: later,
        `ledger verify --checkpoint FILE` proves that the log still extends it, so a truncated or
        rewritten history is caught. A broken log gets no checkpoint.

        Example:
          ledger checkpoint --ledger ./fund --output ~/audit/fund-2026-06-30.checkpoint

        """,
        valued: ["output"],
        flags: [],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let paths = try context.ledgerPaths(arguments)
        guard Directory.fileExists(paths.log) else { throw CLIError(StorageError.notALedger(path: paths.directory, reason: "no log.jsonl")) }
        let report: LogVerification.Report
        do { report = try LogVerification.run(path: paths.log) } catch { throw CLIError(error) }
        if let failure = report.failure, !failure.kind.isTornTail {
            throw CLIError(message: "the log is broken, no checkpoint issued: \(failure)", exitCode: .notALedger)
        }
        guard let genesis = report.genesis else { throw CLIError(message: "the log has no genesis record", exitCode: .notALedger) }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(origin: genesis.origin, size: report.recordCount, root: report.treeHead)
        } catch {
            throw CLIError(message: "cannot form a checkpoint: \(error)", exitCode: .notALedger)
        }
        if let output = arguments.value("output") {
            try CheckpointFile.write(checkpoint.text, to: output)
            context.warn("checkpoint of \(Format.grouped(report.recordCount)) records written to \(output)")
        } else {
            context.standardOutput(checkpoint.text)
        }
        return .success
    }
}

/// Reading and writing checkpoint files: a bare checkpoint body, or a signed note around one
/// (whose signatures `verify --key` checks; see Specs/proofs.md).
enum CheckpointFile {
    static func parse(_ bytes: [UInt8]) throws -> Checkpoint {
        let text = String(decoding: bytes, as: UTF8.self)
        guard Array(text.utf8) == bytes else { throw CheckpointFileError.notUTF8 }
        // A signed note is the checkpoint body, a blank line, then signature lines.
        var body = Substring(text)
        if let blank = text.range(of: "\n\n") { body = text[..<blank.lowerBound] + "\n" }
        return try Checkpoint.parse(String(body))
    }

    static func write(_ text: String, to path: String) throws(CLIError) {
        do {
            let file = try SystemFile(path: path, flags: 0o1 | 0o100 | 0o1000)   // O_WRONLY | O_CREAT | O_TRUNC
            try file.write(Array(text.utf8), at: 0)
            try file.sync()
        } catch {
            throw CLIError(error)
        }
    }
}

enum CheckpointFileError: Error, CustomStringConvertible {
    case notUTF8
    var description: String { "not UTF-8 text" }
}
