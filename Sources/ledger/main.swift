import Glibc
import LedgerCLI

// Only the C library and the Swift standard library are loaded: Foundation's libraries (ICU
// among them) cost every command about 4 ms to load and link, more than a note's append on an
// empty ledger spends on its own work.

// A file-size limit must be an error (EFBIG, exit 7), not a signal that kills a writer mid-write.
signal(SIGXFSZ, SIG_IGN)

// Arguments are taken as bytes and refused unless they are valid UTF-8: Swift's own decoding
// would replace bad bytes by U+FFFD, and the log would hold something the user did not send.
var arguments: [String] = []
for index in 0..<Int(CommandLine.argc) {
    guard let pointer = CommandLine.unsafeArgv[index], let argument = String(validatingCString: pointer) else {
        var message = "ledger: argument \(index) is not valid UTF-8; nothing done\n"
        message.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
    arguments.append(argument)
}
CLI.main(arguments: arguments, environment: environmentVariables())

/// The process's environment, as `getenv` reads it: the first entry of a name wins. An entry
/// that is not UTF-8, or has no `=`, names no setting of ours and is left out.
func environmentVariables() -> [String: String] {
    var variables: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
        if let text = String(validatingCString: pointer), let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
            let name = String(text[..<equals])
            if variables[name] == nil { variables[name] = String(text[text.index(after: equals)...]) }
        }
        entry += 1
    }
    return variables
}
