import LedgerEngine

/// An error the CLI reports: a message for the user and the exit status that goes with it.
struct CLIError: Error {
    let message: String
    let exitCode: ExitCode

    static func usage(_ message: String) -> CLIError { CLIError(message: message, exitCode: .usage) }
    static func input(_ message: String) -> CLIError { CLIError(message: message, exitCode: .usage) }

    init(message: String, exitCode: ExitCode) {
        self.message = message
        self.exitCode = exitCode
    }

    /// The engine's errors, with the exit status of their category (README.md, `ledger help`).
    init(_ error: LedgerError) {
        let code: ExitCode
        switch error.category {
        case .invalidInput: code = .usage
        case .refused: code = .refused
        case .notALedger: code = .notALedger
        case .locked: code = .locked
        case .io: code = .ioError
        case .integrity: code = .integrityFailure
        }
        self.init(message: error.description, exitCode: code)
    }
}
