import Foundation
import LedgerCLI

// A file-size limit must be an error (EFBIG, exit 7), not a signal that kills a writer mid-write.
signal(SIGXFSZ, SIG_IGN)

// Arguments are taken as bytes and refused unless they are valid UTF-8: Swift's own decoding
// would replace bad bytes by U+FFFD, and the log would hold something the user did not send.
var arguments: [String] = []
for index in 0..<Int(CommandLine.argc) {
    guard let pointer = CommandLine.unsafeArgv[index], let argument = String(validatingCString: pointer) else {
        FileHandle.standardError.write(Data("ledger: argument \(index) is not valid UTF-8; nothing done\n".utf8))
        exit(2)
    }
    arguments.append(argument)
}
exit(CLI.main(arguments: arguments, environment: ProcessInfo.processInfo.environment))
