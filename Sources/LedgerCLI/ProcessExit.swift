/// What a command leaves to the end of its process: the states it folded. A command's process
/// exits right after the command, and the system takes back a process's memory at once, where
/// freeing a fund's state entry by entry took a rebuild of 1.6 million records about 0.1 s
/// and an append behind its snapshot about 1.3 ms, both after the output was written.
///
/// `CLI.main` makes one, hands it to the command through its `Context` (`keepUntilExit`), and
/// exits while it still holds it. The engine hands its states over through
/// `Ledger.Options.keepUntilExit`; a program that lives on (the tests, a service) gives no such
/// hook and frees as usual. Every command folds one state (a report's view, an append's fold, a
/// verification's rules); a command that came to fold many in turn (a site, page after page)
/// must not keep each.
final class ProcessExit {
    private var kept: [Any] = []

    /// Keeps `value` (a copy: its tables are shared, not copied) until the process exits.
    /// Called on the command's thread only: the CLI runs one command, on the main thread.
    func keep(_ value: Any) {
        kept.append(value)
    }
}
