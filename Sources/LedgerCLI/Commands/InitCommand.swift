import LedgerCore
import LedgerJSON
import LedgerEngine

enum InitCommand {
    static let command = Command(
        name: "init",
        summary: "create a new ledger (its genesis record)",
        help: """
        Usage: ledger init --ledger DIR --origin ORIGIN --name NAME --operator ID --key FILE
                           [--currency EUR] [--minor-units 2] [--date YYYY-MM-DD] [--simulated-clock] [--json]

        Creates DIR (which must not exist or be empty) with a log holding only the genesis record.
        The origin names the ledger forever and is the first line of its checkpoints: printable
        ASCII without spaces or '+', for example a domain and a path. The currency and its minor
        units are fixed forever too: amounts are integers in minor units (cents for EUR).

        The operator (--operator or LEDGER_OPERATOR) becomes the founding administrator, with the
        public key of --key FILE (or LEDGER_KEY: a .key of `ledger keygen`, kept outside the
        ledger), which signs the genesis record and every append of theirs.

        --simulated-clock makes a demonstration or test ledger: its recorded times come from
        LEDGER_NOW=YYYY-MM-DDTHH:MM:SS.ffffffZ, and its genesis says so forever (`verify` shows
        it). A real ledger records the system's time and refuses any other.

        Example:
          ledger keygen --name OP-ADMIN --output ~/keys/admin
          ledger init --ledger ./fund --origin ledger.operation-milliard.example/fund \\
                      --name "Opération Milliard" --currency EUR --operator OP-ADMIN --key ~/keys/admin.key

        """,
        valued: ["origin", "name", "currency", "minor-units", "operator", "key", "date"],
        flags: ["json", "simulated-clock"],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        try arguments.noPositionals()
        let directory = try context.ledgerDirectory(arguments)
        let actor = try context.operatorID(arguments)
        let origin = try arguments.required("origin")
        guard FieldRules.isOrigin(origin) else {
            throw .input("--origin must be 1-255 printable ASCII characters without spaces or '+'")
        }
        let name = Text.normalized(try arguments.required("name"))
        guard (1...200).contains(name.utf8.count) else { throw .input("--name must be 1 to 200 bytes") }
        let currency = arguments.value("currency") ?? "EUR"
        guard FieldRules.isCurrencyCode(currency) else { throw .input("--currency must be an ISO 4217 code like EUR") }
        let minorUnitsText = arguments.value("minor-units") ?? "2"
        guard let minorUnits = Int(minorUnitsText), (0...4).contains(minorUnits) else {
            throw .input("--minor-units must be an integer from 0 to 4")
        }
        let effective = try Text.date(arguments.value("date"), option: "date")
        let genesis = Genesis(origin: origin, currency: currency, minorUnits: minorUnits, name: name)
        let options = try context.options(arguments, signing: true)
        let record: Record
        do {
            record = try Ledger.create(directory: directory, genesis: genesis, founder: actor, effective: effective,
                                       simulatedClock: arguments.has("simulated-clock"), options: options).genesis
        } catch {
            throw CLIError(error)
        }
        if arguments.has("json") {
            context.printData(AppendCommand.jsonLine(record, status: "appended"))
        } else {
            context.print("created ledger \"\(name)\" (\(origin), \(currency)) in \(directory)")
            context.print("  seq 0  hash \(record.hash.hex)")
        }
        return .success
    }
}

/// Turning user text into what the log holds.
enum Text {
    /// User text is stored in Unicode Normalization Form C (Specs/log-format.md, section 3).
    static func normalized(_ text: String) -> String {
        guard case .string(let normal)? = try? CanonicalJSON.decode(CanonicalJSON.encode(.string(text)), mode: .lenient) else {
            return text
        }
        return normal
    }

    static func date(_ text: String?, option: String) throws(CLIError) -> CalendarDate? {
        guard let text else { return nil }
        guard let date = CalendarDate(text) else { throw .input(dateProblem(text, option: option)) }
        return date
    }

    /// Why `text` is no date: its shape, or (the shape right) a day the calendar does not have.
    static func dateProblem(_ text: String, option: String) -> String {
        let shape = text.utf8.count == 10 && text.utf8.enumerated().allSatisfy { index, byte in
            index == 4 || index == 7 ? byte == UInt8(ascii: "-") : (0x30...0x39).contains(byte)
        }
        return shape ? "--\(option) \(text) is not a day of the calendar (years 0001-9999, months 01-12, the month's days)"
                     : "--\(option) must be a date YYYY-MM-DD, got \"\(text)\""
    }
}
