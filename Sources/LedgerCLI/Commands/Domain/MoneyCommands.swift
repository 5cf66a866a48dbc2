import LedgerDomain
import LedgerJSON

/// Funds, contributions, project applications, repayments and write-offs.
enum MoneyCommands {
    static let funds = CommandGroup(name: "fund", summary: "open a fund (pool) with its earmarking rules, or show the balances", verbs: [
        Verb(name: "open", type: .fundOpened,
             synopsis: "--fund ID --name NAME --pool citizens|financial|public --accepts INSTRUMENTS --uses USES [--territory CODE]",
             description: "--accepts lists what it may receive (donation, membership_fee, subsidy, loan_received, investment,\n"
                 + "apport, titre_associatif), --uses how it may finance projects (grant, loan, investment), comma-separated;\n"
                 + "--territory earmarks it for projects inside that territory.",
             example: "ledger fund open --fund citizens --name \"Fondation citoyenne\" --pool citizens --accepts donation,membership_fee --uses grant,loan",
             valued: ["fund", "name", "pool", "accepts", "uses", "territory"], action: .append { input throws(CLIError) in
                 var members: [(String, JSONValue)] = [
                     ("accepts", try input.choices("accepts", Instrument.self)), ("fund", try input.identifier("fund")),
                     ("name", try input.text("name")), ("pool", try input.choice("pool", Pool.self)),
                     ("uses", try input.choices("uses", ProjectInstrument.self)),
                 ]
                 if let territory = try input.optionalIdentifier("territory") { members.append(("territory", territory)) }
                 return DomainEvent(.fundOpened, members)
             }),
        Verb(name: "status", synopsis: "[--at SEQ] [--as-of DATE] [--json|--csv]",
             description: "Each fund's money (received, reversed, disbursed, repayments, lenders repaid, cash, to pay, available),\n"
                 + "the figures of `ledger balances --by fund`, then the loans outstanding and the entities. Appends nothing.",
             example: "ledger fund status --ledger ./fund", valued: ReportContext.valued, flags: ReportContext.flags,
             action: .read(FundStatus.run)),
    ])

    static let contributions = CommandGroup(name: "contribution", summary: "record money received, or reverse it (refund, rejected...)", verbs: [
        Verb(name: "record", type: .contributionRecorded,
             synopsis: "--party ID --amount AMOUNT --instrument INSTRUMENT --fund ID --ref BANK-REF",
             description: "Instruments: donation, membership_fee, subsidy (from a public actor), loan_received, investment, apport,\n"
                 + "titre_associatif; the fund must accept it. The bank reference names the contribution and appears once.",
             example: "ledger contribution record --party P-0042 --amount 50.00 --instrument donation --fund citizens --ref VIR-2024-000123 --date 2024-04-02",
             valued: ["party", "amount", "instrument", "fund", "ref"], action: .append { input throws(CLIError) in
                 DomainEvent(.contributionRecorded, [
                     ("amount", try input.amount("amount")), ("fund", try input.identifier("fund")),
                     ("instrument", try input.choice("instrument", Instrument.self)), ("party", try input.identifier("party")),
                     ("ref", try input.identifier("ref")),
                 ])
             }),
        Verb(name: "reverse", type: .contributionReversed,
             synopsis: "--contribution BANK-REF --amount AMOUNT --ref BANK-REF --reason refund|rejected|duplicate|dispute|correction",
             description: "Linked to the original by its reference; never above what remains of it, nor above the fund's available money.",
             example: "ledger contribution reverse --contribution VIR-2024-000123 --amount 50.00 --ref RBT-2024-0007 --reason refund",
             valued: ["contribution", "amount", "ref", "reason"], action: .append { input throws(CLIError) in
                 DomainEvent(.contributionReversed, [
                     ("amount", try input.amount("amount")), ("contribution", try input.identifier("contribution")),
                     ("reason", try input.choice("reason", ReversalReason.self)), ("ref", try input.identifier("ref")),
                 ])
             }),
    ])

    static let projects = CommandGroup(name: "project", summary: "record a project application", verbs: [
        Verb(name: "apply", type: .projectApplied, synopsis: "--project ID --organisation PARTY --territory CODE --instrument grant|loan|investment --amount AMOUNT",
             description: "What an organisation asks for, where, and how; ballots may grant it up to the amount requested.",
             example: "ledger project apply --project PRJ-2024-012 --organisation ORG-0003 --territory FR-BRE --instrument loan --amount 120000",
             valued: ["project", "organisation", "territory", "instrument", "amount"], action: .append { input throws(CLIError) in
                 DomainEvent(.projectApplied, [
                     ("amount", try input.amount("amount")), ("instrument", try input.choice("instrument", ProjectInstrument.self)),
                     ("organisation", try input.identifier("organisation")), ("project", try input.identifier("project")),
                     ("territory", try input.identifier("territory")),
                 ])
             }),
    ])

    static let repayments = CommandGroup(name: "repayment", summary: "a project repays its loan, or the fund repays a lender", verbs: [
        Verb(name: "receive", type: .repaymentReceived, synopsis: "--commitment ID --amount AMOUNT --ref BANK-REF",
             description: "A project repays a loan the fund made; never above what is outstanding.",
             example: "ledger repayment receive --commitment C-2024-003 --amount 2500 --ref ECH-2025-0001",
             valued: ["commitment", "amount", "ref"], action: .append { input throws(CLIError) in
                 DomainEvent(.repaymentReceived, [("amount", try input.amount("amount")), ("commitment", try input.identifier("commitment")),
                                                  ("ref", try input.identifier("ref"))])
             }),
        Verb(name: "pay", type: .lenderRepaid, synopsis: "--contribution BANK-REF --amount AMOUNT --ref BANK-REF",
             description: "The fund repays a loan_received, titre_associatif or apport; never above what it owes, nor above available money.",
             example: "ledger repayment pay --contribution PRET-CDC-2024-01 --amount 100000 --ref RBT-2026-0001",
             valued: ["contribution", "amount", "ref"], action: .append { input throws(CLIError) in
                 DomainEvent(.lenderRepaid, [("amount", try input.amount("amount")), ("contribution", try input.identifier("contribution")),
                                             ("ref", try input.identifier("ref"))])
             }),
    ])

    static let loans = CommandGroup(name: "loan", summary: "write off (part of) a loan the fund made, by decision", verbs: [
        Verb(name: "write-off", type: .loanWrittenOff, synopsis: "--commitment ID --decision ID --amount AMOUNT",
             description: "Needs an adopted write_off decision on that commitment; never above the decision or the outstanding.",
             example: "ledger loan write-off --commitment C-2024-003 --decision D-2026-004 --amount 5000",
             valued: ["commitment", "decision", "amount"], action: .append { input throws(CLIError) in
                 DomainEvent(.loanWrittenOff, [("amount", try input.amount("amount")), ("commitment", try input.identifier("commitment")),
                                               ("decision", try input.identifier("decision"))])
             }),
    ])
}
