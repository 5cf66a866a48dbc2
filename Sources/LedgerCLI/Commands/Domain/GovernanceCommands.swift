import LedgerDomain
import LedgerJSON

/// Ballots, votes, proxies, recusals and the decisions ballots produce.
enum GovernanceCommands {
    static let ballots = CommandGroup(name: "ballot", summary: "open or close a ballot, or show its tally", verbs: [
        Verb(name: "open", type: .ballotOpened,
             synopsis: "--ballot ID --body ID --motion KIND [--project ID --fund ID --amount AMOUNT | --commitment ID [--amount AMOUNT] | --text TEXT]",
             description: "Freezes the body's members (the electorate) and statutes. Motions: fund_project (--project --fund --amount),\n"
                 + "amend_commitment (--commitment --amount, the new total), cancel_commitment (--commitment),\n"
                 + "write_off (--commitment --amount), resolution (--text).",
             example: "ledger ballot open --ballot B-2024-07 --body CT-BRE --motion fund_project --project PRJ-2024-012 --fund citizens --amount 40000",
             valued: ["ballot", "body", "motion", "project", "fund", "amount", "commitment", "text"], action: .append(open)),
        Verb(name: "close", type: .ballotClosed, synopsis: "--ballot ID", description: "No vote, proxy or recusal is accepted after the close.",
             example: "ledger ballot close --ballot B-2024-07",
             valued: ["ballot"], action: .append { input throws(CLIError) in
                 DomainEvent(.ballotClosed, [("ballot", try input.identifier("ballot"))])
             }),
        Verb(name: "tally", synopsis: "ID [--at SEQ] [--as-of DATE] [--json|--csv]",
             description: "The tally so far under the ballot's frozen rules, and what it would decide. Appends nothing.",
             example: "ledger ballot tally B-2024-07 (or --ballot B-2024-07)", valued: ReportContext.valued.union(["ballot"]),
             flags: ReportContext.flags, action: .read(BallotTally.run)),
    ])

    static let motionOptions: [MotionKind: [String]] = [
        .fundProject: ["project", "fund", "amount"], .amendCommitment: ["commitment", "amount"],
        .cancelCommitment: ["commitment"], .writeOff: ["commitment", "amount"], .resolution: ["text"],
    ]

    @Sendable static func open(_ input: VerbInput) throws(CLIError) -> DomainEvent {
        let kindText = try input.choice("motion", MotionKind.self)
        let kind = MotionKind(rawValue: kindText.stringValue!)!
        let wanted = motionOptions[kind]!
        for option in ["project", "fund", "amount", "commitment", "text"] where input.arguments.value(option) != nil && !wanted.contains(option) {
            throw .usage("a \(kind.rawValue) motion takes no --\(option) (it takes \(wanted.map { "--" + $0 }.joined(separator: " ")))")
        }
        var motion: [(String, JSONValue)] = [("kind", kindText)]
        for option in wanted {
            switch option {
            case "amount": motion.append((option, try input.amount(option)))
            case "text": motion.append((option, try input.text(option)))
            default: motion.append((option, try input.identifier(option)))
            }
        }
        return DomainEvent(.ballotOpened, [("ballot", try input.identifier("ballot")), ("body", try input.identifier("body")),
                                           ("motion", .object(JSONObject(motion)))])
    }

    static let votes = CommandGroup(name: "vote", summary: "record a member's vote", verbs: [
        Verb(name: "cast", type: .voteCast, synopsis: "--ballot ID --voter PARTY --choice for|against|abstain|blank",
             description: "Once per voter, while the ballot is open, by a member of its frozen electorate who is not recused.",
             example: "ledger vote cast --ballot B-2024-07 --voter P-0042 --choice for",
             valued: ["ballot", "voter", "choice"], action: .append { input throws(CLIError) in
                 DomainEvent(.voteCast, [("ballot", try input.identifier("ballot")), ("choice", try input.choice("choice", Choice.self)),
                                         ("voter", try input.identifier("voter"))])
             }),
    ])

    static let proxies = CommandGroup(name: "proxy", summary: "record a proxy given for a ballot", verbs: [
        Verb(name: "grant", type: .proxyGranted, synopsis: "--ballot ID --from PARTY --to PARTY",
             description: "The holder's vote also counts for the grantor unless the grantor votes; at most the statutes' number\n"
                 + "of proxies per holder, no chains, before the grantor votes.",
             example: "ledger proxy grant --ballot B-2024-07 --from P-0042 --to P-0007",
             valued: ["ballot", "from", "to"], action: .append { input throws(CLIError) in
                 DomainEvent(.proxyGranted, [("ballot", try input.identifier("ballot")), ("grantor", try input.identifier("from")),
                                             ("holder", try input.identifier("to"))])
             }),
    ])

    static let recusals = CommandGroup(name: "recusal", summary: "record that a member stands aside from a ballot", verbs: [
        Verb(name: "record", type: .recusalRecorded, synopsis: "--ballot ID --party PARTY",
             description: "Before the member votes or takes part in a proxy; required when they declared an interest in the project.",
             example: "ledger recusal record --ballot B-2024-07 --party P-0007",
             valued: ["ballot", "party"], action: .append { input throws(CLIError) in
                 DomainEvent(.recusalRecorded, [("ballot", try input.identifier("ballot")), ("party", try input.identifier("party"))])
             }),
    ])

    static let decisions = CommandGroup(name: "decision", summary: "record the decision a closed ballot produces", verbs: [
        Verb(name: "record", type: .decisionRecorded, synopsis: "--decision ID --ballot ID [--minutes SHA256]",
             description: "The tally, quorum and outcome are computed from the votes, proxies and recusals under the ballot's\n"
                 + "frozen rules, and re-checked whenever the log is verified. --minutes: the SHA-256 of the signed minutes.",
             example: "ledger decision record --decision D-2024-07 --ballot B-2024-07",
             valued: ["decision", "ballot", "minutes"], action: .append(record)),
    ])

    @Sendable static func record(_ input: VerbInput) throws(CLIError) -> DomainEvent {
        let ballot = try input.identifier("ballot")
        let summary: FundState.BallotSummary
        do {
            summary = try input.state.ballot(BallotID(ballot.stringValue!)!, citedBy: .decisionRecorded)
        } catch {
            throw DomainAppend.refused(error)
        }
        let outcome = summary.outcome
        let t = outcome.tally
        let tally = JSONObject([
            ("abstain", .integer(Int64(t.abstain))), ("against", .integer(Int64(t.against))), ("blank", .integer(Int64(t.blank))),
            ("by_proxy", .integer(Int64(t.byProxy))), ("electorate", .integer(Int64(t.electorate))),
            ("for", .integer(Int64(t.votesFor))), ("recused", .integer(Int64(t.recused))),
        ])
        var members: [(String, JSONValue)] = [("adopted", .bool(outcome.adopted)), ("ballot", ballot),
                                              ("decision", try input.identifier("decision")),
                                              ("quorum_met", .bool(outcome.quorumMet)), ("tally", .object(tally))]
        if let minutes = input.arguments.value("minutes") { members.append(("minutes", .string(minutes))) }
        return DomainEvent(.decisionRecorded, members)
    }
}
