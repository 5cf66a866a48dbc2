#if canImport(Glibc)
import Glibc
#endif
import LedgerDomain
import LedgerCore

/// The `ledger` command line: finds the subcommand, parses its options, runs it and maps every
/// error to a message and a documented exit status.
public enum CLI {
    public static let version = "ledger 0.1.0 (log format 1)"

    static let commands: [Command] = [
        InitCommand.command, AppendCommand.command, LogCommand.command, VerifyCommand.command,
        CheckpointCommand.command,
        KeygenCommand.command, CosignCommand.command, ProveCommand.command, VerifyProofCommand.command, ConsistencyCommand.command,
    ] + DomainCommands.all

    /// Runs the command and exits with its status, the states it folded still held (`ProcessExit`).
    public static func main(arguments: [String], environment: [String: String]) -> Never {
        let output = OutputStream()
        let kept = ProcessExit()
        let status = run(arguments: arguments, context: .process(environment: environment, output: output, keeping: kept))
        output.flush()
        // Without this, `kept` could be released after its last use above, freeing what it holds.
        withExtendedLifetime(kept) { exit(status.rawValue) }
    }

    static func run(arguments: [String], context: Context) -> ExitCode {
        let words = arguments.dropFirst()
        guard let name = words.first else {
            context.standardError(overview)
            return .usage
        }
        switch name {
        case "--help", "-h", "help":
            if let topic = words.dropFirst().first, let command = commands.first(where: { $0.name == topic }) {
                context.standardOutput(command.help)
            } else {
                context.standardOutput(overview)
            }
            return .success
        case "--version":
            context.print(version)
            return .success
        default:
            break
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            let guess = Suggestion.closest(to: name, among: commands.map(\.name)).map { " (did you mean \($0)?)" } ?? ""
            context.warn("unknown command \"\(name)\"\(guess); `ledger help` lists the commands")
            return .usage
        }
        return run(command, Array(words.dropFirst()), context)
    }

    static func run(_ command: Command, _ words: [String], _ context: Context) -> ExitCode {
        if words.contains("--help") || words.contains("-h") {
            context.standardOutput(command.help)
            return .success
        }
        do {
            let arguments = try Arguments(words[...], valued: command.valued.union(Command.commonValued),
                                          flags: command.flags.union(Command.commonFlags), repeatable: command.repeatable)
            var context = context
            context.amountStyle = try context.amountStyle(arguments)
            return try command.run(arguments, context)
        } catch {
            context.warn("\(command.name): \(error.message)")
            return error.exitCode
        }
    }

    static var overview: String {
        var text = """
        ledger: an append-only, hash-chained ledger for a democratically governed fund.

        Usage: ledger <command> [options]        ledger help <command>

        Commands:

        """
        let width = (commands.map(\.name.count).max() ?? 0) + 2
        for command in commands { text += "  " + Format.padded(command.name, width) + command.summary + "\n" }
        text += """

        Every command takes --ledger DIR (or the environment variable LEDGER_DIR).
        Commands that write take --operator ID (or LEDGER_OPERATOR) and --key FILE (or LEDGER_KEY),
        the operator's signer key: every append is signed (Specs/trust.md).
        LEDGER_NOW=YYYY-MM-DDTHH:MM:SS.ffffffZ sets the clock of a ledger created with
        `init --simulated-clock` (demonstrations, tests); a real ledger refuses it.

        """
        return text + ExitCode.documentation + "\n"
    }
}
