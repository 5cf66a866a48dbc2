import LedgerCore
import LedgerDomain
import LedgerJSON
import LedgerEngine

/// How a back-office command appends: it opens the writer (taking the lock and repairing a
/// crash's leftovers), rebuilds the fund's state, builds its event from that state (amounts
/// need the currency's decimals, a decision needs the tally), and appends it checked by the
/// same rules as `ledger append`.
enum DomainAppend {
    typealias Build = (FundState) throws(CLIError) -> RecordDraft

    /// Appends the one event `build` makes from the state of the whole log, under the writer's lock.
    static func run(_ arguments: Arguments, _ context: Context, build: Build) throws(CLIError) -> Ledger.Appended {
        let ledger = try context.ledger(arguments, signing: true)
        var buildError: CLIError?
        do throws(LedgerError) {
            return try ledger.append(dryRun: arguments.has("dry-run")) { state throws(LedgerError) in
                do throws(CLIError) { return [try build(state)] } catch {
                    buildError = error
                    throw .invalidInput(error.message)
                }
            }
        } catch {
            throw buildError ?? CLIError(error)
        }
    }

    /// A rule the command met while filling the payload from the state: reported exactly like
    /// the same rule met on append (exit 4, nothing written).
    static func refused(_ violation: RuleViolation) -> CLIError {
        CLIError(LedgerError.ruleViolation(violation))
    }

    /// What was appended, for people: the writer's line, then the event in brief.
    static func report(_ appended: Ledger.Appended, json: Bool, dryRun: Bool, context: Context) {
        AppendCommand.report(appended.outcomes, json: json, dryRun: dryRun, context: context)
        guard !json else { return }
        for outcome in appended.outcomes {
            context.print("  " + EventBrief.text(outcome.record.payload, genesis: appended.genesis, style: context.amountStyle))
        }
    }
}

/// An event's payload in one line: `party P-0042 · fund citizens · amount 50.00 EUR`.
enum EventBrief {
    static let moneyKeys: Set<String> = ["amount", "amount_max"]

    static func text(_ payload: JSONObject, genesis: Genesis?, style: AmountText.Style) -> String {
        payload.map { member in "\(member.key) \(value(member.key, member.value, genesis, style))" }.joined(separator: " · ")
    }

    static func value(_ key: String, _ value: JSONValue, _ genesis: Genesis?, _ style: AmountText.Style) -> String {
        switch value {
        case .integer(let minorUnits) where moneyKeys.contains(key):
            guard let genesis, let amount = Money(minorUnits: minorUnits) else { return String(minorUnits) }
            return AmountText.format(amount.minorUnits, minorUnits: genesis.minorUnits, currency: genesis.currency, style: style)
        case .array(let items) where key == "tranches":
            return items.map { self.value("amount", $0, genesis, style) }.joined(separator: " + ")
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
            return items.compactMap(\.stringValue).joined(separator: ", ")
        case .string(let text):
            return TerminalText.safe(text, keepingNewlines: false)   // one line per event, whatever a note holds
        case .object(let object):
            return "{" + object.map { "\($0.key) \(self.value($0.key, $0.value, genesis, style))" }.joined(separator: ", ") + "}"
        default:
            return String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
        }
    }
}
