import LedgerCore
import LedgerEngine
import LedgerProofs

enum VerifyCommand {
    static let command = Command(
        name: "verify",
        summary: "check the log's integrity, optionally against a (signed) checkpoint you kept",
        help: """
        Usage: ledger verify --ledger DIR [--checkpoint FILE [--key PUBKEY]] [--snapshots] [--json]

        Reads the whole log once and re-checks everything Specs/log-format.md requires: every
        line's canonical form and schema, the dense sequence, the genesis record, every hash,
        every link, the order of recorded times, and the fund's rules of Specs/events.md (a
        record that breaks one is a RULE_VIOLATION). It trusts nothing else in
        the directory: caches are neither read nor written. It stops at the first failure and
        names its kind, sequence number, line and byte offset.

        With --checkpoint FILE (the output of `ledger checkpoint` you kept, bare or signed), it
        also proves that the log still extends it: same origin (else ORIGIN_MISMATCH), at least
        as many records (else TRUNCATED), the same Merkle tree head over the first SIZE records
        (else FORKED). It prints evidence a third party checks without the ledger
        (scripts/check_consistency.py): the stored checkpoint, the log's checkpoint at that size
        when it differs, today's checkpoint and the RFC 9162 consistency proof between them.

        With --key PUBKEY (a verifier key file: one key per line, e.g. `cat a.pub b.pub`), the
        checkpoint must carry a valid signature by one of those keys before anything else is
        checked; signatures by other keys are ignored; a bare checkpoint, a signature by a given
        key that fails, or no signature by any given key is BAD_SIGNATURE. Without --key the
        signatures of a signed checkpoint are not checked, and the output says so.

        With --snapshots it also reads the newest state snapshot in cache/snapshots/ and compares
        it with its own fold when it reaches the records the snapshot covers: one that holds
        another state is STATE_MISMATCH (Specs/reports.md, section 6).

        Every append of a version-2 log is signed by its operator: the signature must verify
        under the key the log registered for that operator when the append began (BAD_SIGNATURE
        otherwise), checked on every core. Records after the last signed one belong to an append
        that never finished (UNFINISHED_BATCH). It says how many records are of version 1
        (unsigned: intact, but not who wrote them) and whether the ledger is a simulation.

        Exit status: 0 intact, 1 integrity failure (including BAD_SIGNATURE, ORIGIN_MISMATCH,
        TRUNCATED, FORKED), 2 usage or I/O error, 3 records intact but a torn tail follows
        (a crash; never acknowledged), 8 records intact up to the last acknowledged append but
        an unfinished batch follows (a crash; the next writer rolls it back).

        Example:
          ledger verify --ledger ./fund --checkpoint ~/audit/fund-2026-06-30.checkpoint --key treasurer.pub

        """,
        valued: ["checkpoint", "key"],
        flags: ["json", "snapshots"],
        repeatable: ["key"],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let directory = try context.ledgerDirectory(arguments)
        var request = Ledger.VerifyRequest(comparingSnapshots: arguments.has("snapshots"),
                                           progress: context.errorIsTerminal ? progressPrinter(context) : nil)
        request.checkpoint = try arguments.value("checkpoint").map { (path) throws(CLIError) in try loadCheckpoint(path) }
        guard request.checkpoint != nil || arguments.value("key") == nil else {
            throw .usage("--key checks a checkpoint's signature: give --checkpoint FILE")
        }
        request.trustedKeys = try trustedKeys(arguments)
        let options = try context.options(arguments)
        let ledger: Ledger
        do { ledger = try Ledger(directory: directory, options: options) } catch {
            throw .usage("\(directory) is not a ledger: no log.jsonl")
        }
        let verification: Ledger.Verification
        // The verifier could not run: a usage or I/O error (exit 2), whatever the cause.
        do { verification = try ledger.verify(request) } catch { throw .usage("cannot read the log: \(error)") }
        if context.errorIsTerminal { context.standardError("\r\u{1B}[K") }
        let verdict = Verdict(verification)
        context.standardOutput(arguments.has("json") ? verdict.json + "\n" : TerminalText.safe(verdict.text))
        guard let failure = verification.failure else { return .success }
        switch failure.kind {
        case .tornTail: return .tornTail
        case .unfinishedBatch: return .unfinishedBatch
        default: return .integrityFailure
        }
    }

    static func progressPrinter(_ context: Context) -> (UInt64, UInt64) -> Void {
        { records, bytes in
            context.standardError("\rverifying: \(Format.grouped(records)) records, \(Format.grouped(bytes / 1_000_000)) MB")
        }
    }

    /// The verifier keys of every `--key` file given, or nil when none was.
    static func trustedKeys(_ arguments: Arguments) throws(CLIError) -> [NoteVerifier]? {
        let paths = arguments.allValues("key")
        guard !paths.isEmpty else { return nil }
        do { return try KeyFile.verifiers(paths) } catch { throw CLIError(error) }
    }

    static func loadCheckpoint(_ path: String) throws(CLIError) -> CheckpointDocument {
        do { return try CheckpointDocument.load(path) } catch { throw CLIError(error) }
    }

    static func signers(_ path: String, _ context: Context) throws(CLIError) -> [NoteSigner] {
        do { return try KeyFile.signers(path, warn: context.warning) } catch { throw CLIError(error) }
    }
}
