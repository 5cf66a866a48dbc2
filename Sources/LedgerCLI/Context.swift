#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerDomain
import LedgerEngine

/// What a command gets from the outside world: environment, clock and output streams.
struct Context {
    var environment: [String: String]
    var standardOutput: (String) -> Void
    var standardError: (String) -> Void
    /// Whether standard error is a terminal (progress is shown only then).
    var errorIsTerminal: Bool
    var readStandardInput: (UserFiles.Limits) throws(LedgerError) -> [UInt8]
    /// Standard input a chunk at a time, to a reader that may stop it (`UserFiles.readChunks`).
    var readStandardInputChunks: ((UnsafeRawBufferPointer) throws(LedgerError) -> Void) throws(LedgerError) -> Void
    /// How amounts are written and read for people (`--locale`, `LEDGER_LOCALE`): set once the
    /// command's options are parsed.
    var amountStyle: AmountText.Style = .standard
    /// Takes what the command folded, for the process to hold until it exits (`ProcessExit`).
    var keepUntilExit: (Any) -> Void = { _ in }

    static func process(environment: [String: String], output: OutputStream, keeping kept: ProcessExit) -> Context {
        Context(
            environment: environment,
            standardOutput: { text in output.write(text) },
            standardError: { text in output.flush(); writeAll(descriptor: 2, Array(text.utf8)) },
            errorIsTerminal: isatty(2) == 1,
            readStandardInput: { limits throws(LedgerError) in try UserFiles.read(descriptor: 0, source: "standard input", limits: limits) },
            readStandardInputChunks: { body throws(LedgerError) in try UserFiles.readChunks(descriptor: 0, source: "standard input", body) },
            keepUntilExit: kept.keep
        )
    }

    /// Text for people: what the log holds is shown, never obeyed (`TerminalText`).
    func print(_ text: String) { standardOutput(TerminalText.safe(text) + "\n") }
    /// Machine output (JSON, CSV, documents), exactly as given.
    func printData(_ text: String) { standardOutput(text + "\n") }
    func warn(_ text: String) { standardError("ledger: " + TerminalText.safe(text) + "\n") }

    /// `--locale en|fr`, else `LEDGER_LOCALE` (a value such as `fr_FR.UTF-8` is French): how
    /// amounts are written and read for people. Opt-in: `LANG` is not read.
    func amountStyle(_ arguments: Arguments) throws(CLIError) -> AmountText.Style {
        guard let text = arguments.value("locale") ?? environment["LEDGER_LOCALE"], !text.isEmpty else { return .standard }
        let language = text.prefix { $0.isLetter }.lowercased()
        switch language {
        case "fr": return .french
        case "en", "c", "posix": return .standard
        default: throw .usage("--locale (or LEDGER_LOCALE) is en or fr, got \"\(text)\"")
        }
    }

    /// `--ledger DIR`, else `LEDGER_DIR`.
    func ledgerDirectory(_ arguments: Arguments) throws(CLIError) -> String {
        guard let directory = arguments.value("ledger") ?? environment["LEDGER_DIR"], !directory.isEmpty else {
            throw .usage("no ledger directory: pass --ledger DIR or set LEDGER_DIR")
        }
        return directory
    }

    /// The ledger of `--ledger DIR` (or `LEDGER_DIR`), opened with this process's options; a
    /// command that appends (`signing`) also gets the operator's key.
    func ledger(_ arguments: Arguments, signing: Bool = false) throws(CLIError) -> Ledger {
        let directory = try ledgerDirectory(arguments)
        let options = try options(arguments, signing: signing)
        do {
            // Kept with the state it folds last (`Ledger.lastFold`) until the process exits.
            let ledger = try Ledger(directory: directory, options: options)
            keepUntilExit(ledger)
            return ledger
        } catch {
            throw CLIError(error)
        }
    }

    /// The engine's options, read here once from the command line and the environment:
    /// `--lock-timeout MS`, `LEDGER_NOW` (the clock of a simulated ledger), `LEDGER_SNAPSHOT_TAIL_MIN`,
    /// `_TAIL_APPENDS`, `_BASE_MIN`, `_UPPER_MIN` and `_UPPER_FILES` (set the snapshot policy's
    /// thresholds: tests, tuning), and
    /// for a command that appends (`signing`) the operator's signer key, `--key FILE` or
    /// `LEDGER_KEY`. Warnings go to standard error.
    func options(_ arguments: Arguments, signing: Bool = false) throws(CLIError) -> Ledger.Options {
        var options = Ledger.Options()
        if signing { options.signer = try signer(arguments) }
        if let text = arguments.value("lock-timeout") {
            guard let value = Int(text), value >= 0 else { throw .usage("--lock-timeout must be milliseconds, got \"\(text)\"") }
            options.lockTimeoutMilliseconds = value
        }
        options.clock = try clock()
        if let value = positiveNumber("LEDGER_SNAPSHOT_TAIL_MIN") { options.snapshots.tailRecordsMin = value }
        if let value = positiveNumber("LEDGER_SNAPSHOT_TAIL_APPENDS") { options.snapshots.tailAppendsMin = value }
        if let value = positiveNumber("LEDGER_SNAPSHOT_BASE_MIN") { options.snapshots.baseEntriesMin = value }
        if let value = positiveNumber("LEDGER_SNAPSHOT_UPPER_MIN") { options.snapshots.upperRowsMin = value }
        if let value = positiveNumber("LEDGER_SNAPSHOT_UPPER_FILES") { options.snapshots.upperFilesMax = min(value, Ledger.SnapshotPolicy.upperFilesLimit) }
        let standardError = standardError
        options.warn = { warning in standardError("ledger: " + TerminalText.safe(warning.message) + "\n") }
        options.keepUntilExit = keepUntilExit
        return options
    }

    /// `--key FILE`, else `LEDGER_KEY`: the operator's signer key (the .key of `ledger keygen`).
    func signer(_ arguments: Arguments) throws(CLIError) -> AppendSigner {
        guard let path = arguments.value("key") ?? environment["LEDGER_KEY"], !path.isEmpty else {
            throw .usage("no key: every append is signed by its operator; pass --key FILE (your .key of `ledger keygen`) or set LEDGER_KEY")
        }
        let directory = try ledgerDirectory(arguments)
        do { return try KeyFile.appendSigner(path, outside: directory, warn: warning) } catch { throw CLIError(error) }
    }

    private func positiveNumber(_ name: String) -> Int? {
        guard let text = environment[name], let value = Int(text), value >= 1 else { return nil }
        return value
    }

    /// Where the engine's warnings go (standard error), for calls that take a sink.
    var warning: (LedgerWarning) -> Void {
        let standardError = standardError
        return { warning in standardError("ledger: " + TerminalText.safe(warning.message) + "\n") }
    }

    /// `--operator ID`, else `LEDGER_OPERATOR`.
    func operatorID(_ arguments: Arguments) throws(CLIError) -> String {
        guard let actor = arguments.value("operator") ?? environment["LEDGER_OPERATOR"], !actor.isEmpty else {
            throw .usage("no operator: pass --operator ID or set LEDGER_OPERATOR")
        }
        guard FieldRules.isIdentifier(actor) else {
            throw .input("operator \"\(actor)\" is not an identifier (letters, digits, . _ : -, at most 64)")
        }
        return actor
    }

    /// The system clock, or the fixed instant in `LEDGER_NOW`, which only a simulated ledger
    /// accepts (the engine refuses a clock off the system's for a real one).
    func clock() throws(CLIError) -> any Clock {
        guard let text = environment["LEDGER_NOW"] else { return SystemClock() }
        guard let instant = Timestamp(text) else {
            throw .usage("LEDGER_NOW must be YYYY-MM-DDTHH:MM:SS.ffffffZ, got \"\(text)\"")
        }
        return FixedClock(instant: instant)
    }
}

/// Reads a whole file, or standard input for "-", within `limits`, with a clear error.
func readInput(_ path: String, limits: UserFiles.Limits = UserFiles.Limits(), context: Context) throws(CLIError) -> [UInt8] {
    do {
        return path == "-" ? try context.readStandardInput(limits) : try UserFiles.read(path, limits: limits)
    } catch {
        throw CLIError(error)
    }
}

/// Reads a file, or standard input for "-", a chunk at a time (see `UserFiles.readChunks`).
func readChunks(_ path: String, context: Context, _ body: (UnsafeRawBufferPointer) throws(LedgerError) -> Void) throws(LedgerError) {
    if path == "-" { try context.readStandardInputChunks(body) } else { try UserFiles.readChunks(path, body) }
}

/// Standard output through a 64 KiB buffer: `ledger log` on a million records makes a few
/// hundred write calls, not a million. Flushed before anything goes to standard error.
final class OutputStream {
    private var buffer: [UInt8] = []
    static let flushBytes = 1 << 16

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushBytes { flush() }
    }

    func flush() {
        writeAll(descriptor: 1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes every byte, continuing after partial writes; gives up silently on a closed pipe.
func writeAll(descriptor: Int32, _ bytes: [UInt8]) {
    var done = 0
    while done < bytes.count {
        let wrote = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
        if wrote < 0 && errno == EINTR { continue }
        if wrote <= 0 { return }
        done += wrote
    }
}
