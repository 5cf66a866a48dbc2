import LedgerStorage

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

    init(_ error: StorageError) {
        let code: ExitCode
        switch error {
        case .system: code = .ioError
        case .notALedger, .damagedTail: code = .notALedger
        case .alreadyExists: code = .usage
        case .locked: code = .locked
        case .clockBehind, .idempotencyConflict, .batchConflict, .limit: code = .refused
        }
        self.init(message: error.description, exitCode: code)
    }

    init(_ error: AppendError) {
        switch error {
        case .storage(let storage): self.init(storage)
        case .invalidDraft: self.init(message: error.description, exitCode: .usage)
        case .ruleViolation: self.init(message: error.description, exitCode: .refused)
        }
    }
}
