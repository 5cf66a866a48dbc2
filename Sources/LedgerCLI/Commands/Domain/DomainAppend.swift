import LedgerCore
import LedgerDomain
import LedgerJSON
import LedgerStorage

/// How a back-office command appends: it opens the writer (taking the lock and repairing a
/// crash's leftovers), rebuilds the fund's state, builds its event from that state (amounts
/// need the currency's decimals, a decision needs the tally), and appends it checked by the
/// same rules as `ledger append`.
enum DomainAppend {
    typealias Build = (FundState) throws(CLIError) -> RecordDraft

    /// Returns the outcomes and the state the event was checked against (for the report's amounts).
    static func run(_ arguments: Arguments, _ context: Context, build: Build) throws(CLIError) -> (outcomes: [AppendOutcome], state: FundState) {
        var timeout = LedgerWriter.defaultLockTimeoutMilliseconds
        if let text = arguments.value("lock-timeout") {
            guard let value = Int(text), value >= 0 else { throw .usage("--lock-timeout must be milliseconds, got \"\(text)\"") }
            timeout = value
        }
        let paths = try context.ledgerPaths(arguments)
        let clock = try context.clock()
        let writer: LedgerWriter
        do { writer = try LedgerWriter(paths: paths, lockTimeoutMilliseconds: timeout) } catch { throw CLIError(error) }
        for notice in writer.notices { context.warn(notice) }
        let state: FundState
        do { state = try FundRules.state(replaying: writer) } catch { throw CLIError(error) }
        let draft = try build(state)
        do {
            return (try FundRules.append([draft], onto: state, writer: writer, clock: clock), state)
        } catch {
            throw CLIError(error)
        }
    }

    /// A rule the command met while filling the payload from the state: reported exactly like
    /// the same rule met on append (exit 4, nothing written).
    static func refused(_ violation: RuleViolation) -> CLIError {
        CLIError(AppendError.ruleViolation(position: 0, violation))
    }

    /// What was appended, for people: the writer's line, then the event in brief.
    static func report(_ outcomes: [AppendOutcome], state: FundState, json: Bool, context: Context) {
        AppendCommand.report(outcomes, json: json, context: context)
        guard !json else { return }
        for outcome in outcomes {
            context.print("  " + EventBrief.text(outcome.record.payload, state: state))
        }
    }
}

/// An event's payload in one line: `party P-0042 · fund citizens · amount 50.00 EUR`.
enum EventBrief {
    static let moneyKeys: Set<String> = ["amount", "amount_max"]

    static func text(_ payload: JSONObject, state: FundState) -> String {
        payload.map { member in "\(member.key) \(value(member.key, member.value, state))" }.joined(separator: " · ")
    }

    static func value(_ key: String, _ value: JSONValue, _ state: FundState) -> String {
        switch value {
        case .integer(let minorUnits) where moneyKeys.contains(key):
            return Money(minorUnits: minorUnits).map(state.formatted) ?? String(minorUnits)
        case .array(let items) where key == "tranches":
            return items.map { self.value("amount", $0, state) }.joined(separator: " + ")
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
            return items.compactMap(\.stringValue).joined(separator: ", ")
        case .string(let text):
            return text
        case .object(let object):
            return "{" + object.map { "\($0.key) \(self.value($0.key, $0.value, state))" }.joined(separator: ", ") + "}"
        default:
            return String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
        }
    }
}
