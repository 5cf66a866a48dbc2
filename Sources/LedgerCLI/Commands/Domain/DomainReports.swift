import LedgerDomain
import LedgerEngine
import LedgerJSON

/// `ledger fund status`: each fund's money, for people or as JSON (amounts in minor units).
enum FundStatus {
    @Sendable static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        let state = try FundStatus.headState(arguments, context)
        if arguments.has("json") {
            context.print(String(decoding: CanonicalJSON.encode(json(state)), as: UTF8.self))
            return .success
        }
        let minorUnits = state.genesis?.minorUnits ?? 2
        var rows = [["FUND", "POOL", "RECEIVED", "REVERSED", "DISBURSED", "REPAID IN", "REPAID OUT", "CASH", "RESERVED", "AVAILABLE"]]
        for fund in state.funds {
            let b = fund.balances
            let amounts = [b.received, b.reversed, b.disbursed, b.repaymentsReceived, b.lendersRepaid, b.cash, b.reserved, b.available]
            rows.append([fund.fund.text, fund.pool.rawValue] + amounts.map { AmountText.format($0, minorUnits: minorUnits) })
        }
        if let totals = totals(state) {
            rows.append(["TOTAL", ""] + totals.map { AmountText.format($0, minorUnits: minorUnits) })
        }
        // Names left-aligned, amounts right-aligned, each column as wide as its widest cell.
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        context.print("Funds (\(state.genesis?.currency ?? ""), balances in the order of the log):")
        for row in rows {
            let cells = row.indices.map { column in
                column < 2 ? Format.padded(row[column], widths[column])
                    : String(repeating: " ", count: widths[column] - row[column].count) + row[column]
            }
            context.print(cells.joined(separator: "  "))
        }
        let c = state.counts
        context.print("Loans outstanding: \(state.formatted(state.loansOutstanding))")
        context.print("Entities: \(c.parties) parties, \(c.contributions) contributions, \(c.projects) projects, \(c.bodies) bodies, "
            + "\(c.ballots) ballots, \(c.decisions) decisions, \(c.commitments) commitments, \(c.disbursements) disbursements")
        if let closed = state.closedThrough { context.print("Closed through: \(closed)") }
        return .success
    }

    /// The rules' state at the head of the log.
    static func headState(_ arguments: Arguments, _ context: Context) throws(CLIError) -> FundState {
        let ledger = try context.ledger(arguments)
        do { return try ledger.state() } catch { throw CLIError(error) }
    }

    /// Column totals over the funds; nil in the (theoretical) case where one would pass the
    /// ledger's range, since each fund's totals are checked but not their sum.
    static func totals(_ state: FundState) -> [Money]? {
        var sums = Array(repeating: Money.zero, count: 8)
        for fund in state.funds {
            let b = fund.balances
            for (index, amount) in [b.received, b.reversed, b.disbursed, b.repaymentsReceived, b.lendersRepaid, b.cash, b.reserved,
                                    b.available].enumerated() {
                guard let sum = try? sums[index].adding(amount, "total") else { return nil }
                sums[index] = sum
            }
        }
        return sums
    }

    static func json(_ state: FundState) -> JSONValue {
        let funds: [JSONValue] = state.funds.map { fund in
            let b = fund.balances
            return .object(JSONObject([
                ("fund", .string(fund.fund.text)), ("pool", .string(fund.pool.rawValue)), ("name", .string(fund.name)),
                ("received", .integer(b.received.minorUnits)), ("reversed", .integer(b.reversed.minorUnits)),
                ("disbursed", .integer(b.disbursed.minorUnits)), ("repayments_received", .integer(b.repaymentsReceived.minorUnits)),
                ("lenders_repaid", .integer(b.lendersRepaid.minorUnits)), ("written_off", .integer(b.writtenOff.minorUnits)),
                ("cash", .integer(b.cash.minorUnits)), ("reserved", .integer(b.reserved.minorUnits)),
                ("available", .integer(b.available.minorUnits)),
            ]))
        }
        var object = JSONObject([("funds", .array(funds)), ("loans_outstanding", .integer(state.loansOutstanding.minorUnits)),
                                 ("records", .integer(Int64(state.recordCount)))])
        if let genesis = state.genesis {
            object["currency"] = .string(genesis.currency)
            object["minor_units"] = .integer(Int64(genesis.minorUnits))
        }
        if let closed = state.closedThrough { object["closed_through"] = .string(closed.description) }
        return .object(object)
    }
}

/// `ledger ballot tally`: where a ballot stands under its frozen rules.
enum BallotTally {
    @Sendable static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        let text = try arguments.required("ballot")
        guard let id = BallotID(text) else { throw .input("--ballot \"\(text)\" is not an identifier") }
        let state = try FundStatus.headState(arguments, context)
        guard let ballot = state.ballot(id) else {
            throw CLIError(message: "unknown ballot \"\(text)\"", exitCode: .refused)
        }
        let outcome = ballot.outcome
        let t = outcome.tally
        if arguments.has("json") {
            let object = JSONObject([
                ("ballot", .string(text)), ("body", .string(ballot.body.text)), ("motion", .string(ballot.motion.kind.rawValue)),
                ("closed", .bool(ballot.isClosed)), ("for", .integer(Int64(t.votesFor))), ("against", .integer(Int64(t.against))),
                ("abstain", .integer(Int64(t.abstain))), ("blank", .integer(Int64(t.blank))), ("electorate", .integer(Int64(t.electorate))),
                ("recused", .integer(Int64(t.recused))), ("by_proxy", .integer(Int64(t.byProxy))),
                ("quorum_met", .bool(outcome.quorumMet)), ("adopted", .bool(outcome.adopted)),
            ])
            context.print(String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self))
            return .success
        }
        let rules = ballot.rules
        context.print("ballot \(text) of \(ballot.body.text): \(ballot.motion.kind.rawValue), \(ballot.isClosed ? "closed" : "open")"
            + (ballot.decision.map { ", decision \($0.text)" } ?? ""))
        context.print("  rules      quorum \(rules.quorum), majority \(rules.majority.rawValue), abstentions \(rules.abstentions.rawValue), "
            + "blanks \(rules.blanks.rawValue), up to \(rules.proxiesMax) prox\(rules.proxiesMax == 1 ? "y" : "ies") each")
        context.print("  electorate \(t.electorate), recused \(t.recused), took part \(t.participants) (\(t.byProxy) by proxy)")
        context.print("  votes      for \(t.votesFor), against \(t.against), abstain \(t.abstain), blank \(t.blank)")
        context.print("  outcome    quorum \(outcome.quorumMet ? "met" : "NOT met"), \(outcome.adopted ? "adopted" : "not adopted")"
            + (ballot.isClosed ? "" : " (if it closed now)"))
        return .success
    }
}
