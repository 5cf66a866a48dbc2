import LedgerCore
import LedgerCrypto
import LedgerEngine
import LedgerDomain
import LedgerJSON

/// An action's options, read into payload values. Malformed input is a usage error (exit 2);
/// whether the values obey the fund's rules is the domain's business (exit 4).
struct VerbInput {
    let arguments: Arguments
    let context: Context
    let state: FundState

    static let amountSyntax = """
    Amounts: digits, grouped by three with spaces or not, then '.' and at most as many decimals as
    the currency has (EUR: 50, 50.05, 1234.50, "1 234.50"): what the tables print. --locale fr (or
    LEDGER_LOCALE=fr) reads and prints 1 234,50 instead. No sign, no exponent, no currency sign;
    1,234.50 is refused, not guessed.
    """

    func identifier(_ option: String) throws(CLIError) -> JSONValue {
        let text = try arguments.required(option)
        guard FieldRules.isIdentifier(text) else {
            throw .input("--\(option) \"\(text)\" is not an identifier (letters, digits, . _ : -, at most 64 bytes)")
        }
        return .string(text)
    }

    /// The public key of a verifier key file (`--public-key FILE.pub`), as the log holds it.
    func publicKey(_ option: String) throws(CLIError) -> JSONValue {
        let path = try arguments.required(option)
        do { return .string(Base64.encode(try KeyFile.publicKey(path).bytes)) } catch { throw CLIError(error) }
    }

    func optionalIdentifier(_ option: String) throws(CLIError) -> JSONValue? {
        arguments.value(option) == nil ? nil : try identifier(option)
    }

    func text(_ option: String) throws(CLIError) -> JSONValue {
        .string(Text.normalized(try arguments.required(option)))
    }

    /// An amount in the currency's decimals, as an integer of minor units.
    func amount(_ option: String) throws(CLIError) -> JSONValue {
        try Self.amount(try arguments.required(option), option: option, state: state, style: context.amountStyle)
    }

    static func amount(_ text: String, option: String, state: FundState, style: AmountText.Style) throws(CLIError) -> JSONValue {
        let minorUnits = state.genesis?.minorUnits ?? 2
        switch AmountText.parse(text, minorUnits: minorUnits, style: style) {
        case .success(let money): return .integer(money.minorUnits)
        case .failure(let problem): throw .input("--\(option) \"\(text)\": \(problem)")
        }
    }

    /// Amounts joined by '+', for a tranche plan: `20000+10000.50`.
    func amounts(_ option: String) throws(CLIError) -> [JSONValue] {
        let text = try arguments.required(option)
        var result: [JSONValue] = []
        for part in text.split(separator: "+", omittingEmptySubsequences: false) {
            result.append(try Self.amount(String(part), option: option, state: state, style: context.amountStyle))
        }
        return result
    }

    func positiveInteger(_ option: String) throws(CLIError) -> JSONValue {
        let text = try arguments.required(option)
        guard let value = Int64(text), value > 0, String(value) == text else {
            throw .input("--\(option) must be a positive integer, got \"\(text)\"")
        }
        return .integer(value)
    }

    /// One of a closed vocabulary, spelled as in the log.
    func choice<Choice: RawRepresentable & CaseIterable>(_ option: String, _ type: Choice.Type) throws(CLIError) -> JSONValue
    where Choice.RawValue == String {
        let text = try arguments.required(option)
        guard Choice(rawValue: text) != nil else {
            throw .input("--\(option) \"\(text)\" is not one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return .string(text)
    }

    /// A comma-separated list of one vocabulary: `donation,membership_fee`.
    func choices<Choice: RawRepresentable & CaseIterable>(_ option: String, _ type: Choice.Type) throws(CLIError) -> JSONValue
    where Choice.RawValue == String {
        let text = try arguments.required(option)
        var items: [JSONValue] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard Choice(rawValue: String(part)) != nil else {
                throw .input("--\(option): \"\(part)\" is not one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            items.append(.string(String(part)))
        }
        return .array(items)
    }
}
