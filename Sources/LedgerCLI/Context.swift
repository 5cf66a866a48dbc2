#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerStorage

/// What a command gets from the outside world: environment, clock and output streams.
struct Context {
    var environment: [String: String]
    var standardOutput: (String) -> Void
    var standardError: (String) -> Void
    /// Whether standard error is a terminal (progress is shown only then).
    var errorIsTerminal: Bool
    var readStandardInput: () -> [UInt8]

    static func process(environment: [String: String], output: OutputStream) -> Context {
        Context(
            environment: environment,
            standardOutput: { text in output.write(text) },
            standardError: { text in output.flush(); writeAll(descriptor: 2, Array(text.utf8)) },
            errorIsTerminal: isatty(2) == 1,
            readStandardInput: { readAll(descriptor: 0) }
        )
    }

    func print(_ text: String) { standardOutput(text + "\n") }
    func warn(_ text: String) { standardError("ledger: " + text + "\n") }

    /// `--ledger DIR`, else `LEDGER_DIR`.
    func ledgerPaths(_ arguments: Arguments) throws(CLIError) -> LedgerPaths {
        guard let directory = arguments.value("ledger") ?? environment["LEDGER_DIR"], !directory.isEmpty else {
            throw .usage("no ledger directory: pass --ledger DIR or set LEDGER_DIR")
        }
        return LedgerPaths(directory: directory)
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

    /// The system clock, or the fixed instant in `LEDGER_NOW` (tests, migrations of dated history).
    func clock() throws(CLIError) -> any Clock {
        guard let text = environment["LEDGER_NOW"] else { return SystemClock() }
        guard let instant = Timestamp(text) else {
            throw .usage("LEDGER_NOW must be YYYY-MM-DDTHH:MM:SS.ffffffZ, got \"\(text)\"")
        }
        return FixedClock(instant: instant)
    }
}

/// The real clock: CLOCK_REALTIME, in microseconds.
struct SystemClock: Clock {
    func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let micros = Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
        return Timestamp(microsecondsSinceEpoch: micros)!
    }
}

/// A clock stopped at one instant.
public struct FixedClock: Clock {
    public let instant: Timestamp
    public init(instant: Timestamp) { self.instant = instant }
    public func now() -> Timestamp { instant }
}

/// Reads a file descriptor to its end.
func readAll(descriptor: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if got < 0 && errno == EINTR { continue }
        if got <= 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<got])
    }
}

/// Reads a whole file, with a clear error.
func readFile(_ path: String) throws(CLIError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        throw CLIError(message: "cannot read \(path): \(String(cString: strerror(errno)))", exitCode: .usage)
    }
    defer { close(descriptor) }
    return readAll(descriptor: descriptor)
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
