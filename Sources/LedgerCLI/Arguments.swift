import LedgerDomain

/// Hand-parsed command-line arguments: `--name value`, `--name=value`, `--flag`, positionals.
/// Every option must be declared by the command; anything else is a usage error naming it.
struct Arguments {
    private(set) var values: [String: String] = [:]
    /// Every value of an option that may be given several times (`--key A --key B`).
    private(set) var lists: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// - Parameters:
    ///   - valued: options that take a value (without the leading dashes).
    ///   - flags: options that take none.
    ///   - repeatable: valued options that may be given more than once.
    init(_ arguments: ArraySlice<String>, valued: Set<String>, flags allowedFlags: Set<String>,
         repeatable: Set<String> = []) throws(CLIError) {
        var iterator = arguments.makeIterator()
        var onlyPositionals = false
        while let argument = iterator.next() {
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if allowedFlags.contains(name) {
                guard inlineValue == nil else { throw .usage("--\(name) takes no value") }
                flags.insert(name)
            } else if valued.contains(name) {
                guard let value = inlineValue ?? iterator.next() else { throw .usage("--\(name) needs a value") }
                lists[name, default: []].append(value)
                guard values[name] == nil || repeatable.contains(name) else { throw .usage("--\(name) given twice") }
                values[name] = values[name] ?? value
            } else {
                throw .usage(Self.unknownOption(name, among: valued.union(allowedFlags)))
            }
        }
    }

    /// "unknown option --rate (did you mean --date?); the options are --a, --b, ...".
    static func unknownOption(_ name: String, among options: Set<String>, what: String = "unknown option") -> String {
        let guess = Suggestion.closest(to: name, among: options.sorted()).map { " (did you mean --\($0)?)" } ?? ""
        return "\(what) --\(name)\(guess); the options are " + options.sorted().map { "--" + $0 }.joined(separator: ", ")
    }

    func value(_ name: String) -> String? { values[name] }
    func allValues(_ name: String) -> [String] { lists[name] ?? [] }
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func required(_ name: String) throws(CLIError) -> String {
        guard let value = values[name] else { throw .usage("missing --\(name)") }
        return value
    }

    func noPositionals() throws(CLIError) {
        if let first = positionals.first { throw .usage("unexpected argument \"\(first)\"") }
    }

    /// A non-negative integer option, with the option's name in the error.
    func sequenceNumber(_ name: String) throws(CLIError) -> UInt64? {
        guard let text = values[name] else { return nil }
        guard let value = UInt64(text), String(value) == text else {
            throw .usage("--\(name) must be a sequence number (a non-negative integer without leading zeros), got \"\(text)\"")
        }
        return value
    }
}
