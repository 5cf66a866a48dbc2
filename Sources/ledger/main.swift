import Foundation
import LedgerCLI

exit(CLI.main(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment))
