import LedgerEngine

/// Where the proof commands put what they produce: `--output FILE` (written whole or not at
/// all, with a note on standard error) or standard output.
enum OutputFile {
    static func emit(_ text: String, arguments: Arguments, context: Context, what: String) throws(CLIError) {
        if let output = arguments.value("output") {
            do { try UserFiles.replace(output, with: text) } catch { throw CLIError(error) }
            context.warn("\(what) written to \(output)")
        } else {
            context.standardOutput(text)
        }
    }
}
