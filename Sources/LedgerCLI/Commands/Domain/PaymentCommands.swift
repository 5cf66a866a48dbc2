import LedgerDomain
import LedgerJSON

/// Commitments and disbursements: money reserved by decision, then paid out in tranches.
enum PaymentCommands {
    static let commitments = CommandGroup(name: "commitment", summary: "commit money on a decision, amend or cancel a commitment", verbs: [
        Verb(name: "make", type: .commitmentMade, synopsis: "--commitment ID --decision ID --tranches AMOUNT+AMOUNT...",
             description: "Reserves the sum of the tranches in the fund the decision named, for the project it named:\n"
                 + "never above the decision nor the fund's available money.",
             example: "ledger commitment make --commitment C-2024-003 --decision D-2024-07 --tranches 25000+15000",
             valued: ["commitment", "decision", "tranches"], action: .append(make)),
        Verb(name: "amend", type: .commitmentAmended, synopsis: "--commitment ID --decision ID --tranches AMOUNT+AMOUNT...",
             description: "The new plan; its total must be what the amend_commitment decision decided.",
             example: "ledger commitment amend --commitment C-2024-003 --decision D-2025-002 --tranches 25000+20000",
             valued: ["commitment", "decision", "tranches"], action: .append { input throws(CLIError) in
                 let (amount, tranches) = try plan(input)
                 return DomainEvent(.commitmentAmended, [("amount", amount), ("commitment", try input.identifier("commitment")),
                                                         ("decision", try input.identifier("decision")), ("tranches", tranches)])
             }),
        Verb(name: "cancel", type: .commitmentCancelled, synopsis: "--commitment ID --decision ID",
             description: "Releases what the commitment still reserves, on a cancel_commitment decision.",
             example: "ledger commitment cancel --commitment C-2024-003 --decision D-2025-009",
             valued: ["commitment", "decision"], action: .append { input throws(CLIError) in
                 DomainEvent(.commitmentCancelled, [("commitment", try input.identifier("commitment")),
                                                    ("decision", try input.identifier("decision"))])
             }),
    ])

    @Sendable static func make(_ input: VerbInput) throws(CLIError) -> DomainEvent {
        let decision = try input.identifier("decision")
        // The project and fund are the decision's (they are in the payload so the log reads alone).
        let funding: (project: ProjectID, fund: FundID, amount: Money)
        do {
            funding = try input.state.funding(ofDecision: DecisionID(decision.stringValue!)!)
        } catch {
            throw DomainAppend.refused(error)
        }
        let (amount, tranches) = try plan(input)
        return DomainEvent(.commitmentMade, [("amount", amount), ("commitment", try input.identifier("commitment")),
                                             ("decision", decision), ("fund", .string(funding.fund.text)),
                                             ("project", .string(funding.project.text)),
                                             ("tranches", tranches)])
    }

    /// The tranches, and their sum as the amount (checked: a sum past the ledger's range is refused).
    static func plan(_ input: VerbInput) throws(CLIError) -> (JSONValue, JSONValue) {
        let tranches = try input.amounts("tranches")
        var total: Int64 = 0
        for tranche in tranches {
            let (sum, overflow) = total.addingReportingOverflow(tranche.integerValue!)
            guard !overflow, sum <= Money.max.minorUnits else { throw .input("--tranches add up to more than the ledger can hold") }
            total = sum
        }
        return (.integer(total), .array(tranches))
    }

    static let disbursements = CommandGroup(name: "disbursement", summary: "request, approve, reject or execute a payment to a project", verbs: [
        Verb(name: "request", type: .disbursementRequested, synopsis: "--disbursement ID --commitment ID --tranche N --amount AMOUNT",
             description: "Against tranche N (from 1) of a live commitment; never above what remains of the tranche.",
             example: "ledger disbursement request --disbursement DSB-2024-011 --commitment C-2024-003 --tranche 1 --amount 25000",
             valued: ["disbursement", "commitment", "tranche", "amount"], action: .append { input throws(CLIError) in
                 DomainEvent(.disbursementRequested, [("amount", try input.amount("amount")), ("commitment", try input.identifier("commitment")),
                                                      ("disbursement", try input.identifier("disbursement")),
                                                      ("tranche", try input.positiveInteger("tranche"))])
             }),
        Verb(name: "approve", type: .disbursementApproved, synopsis: "--disbursement ID",
             description: "By a treasurer or secretary who is not the requester.",
             example: "ledger disbursement approve --disbursement DSB-2024-011 --operator OP-SECRETARY",
             valued: ["disbursement"], action: .append { input throws(CLIError) in
                 DomainEvent(.disbursementApproved, [("disbursement", try input.identifier("disbursement"))])
             }),
        Verb(name: "reject", type: .disbursementRejected, synopsis: "--disbursement ID --reason TEXT",
             description: "Before execution; frees the tranche.",
             example: "ledger disbursement reject --disbursement DSB-2024-011 --reason \"facture manquante\"",
             valued: ["disbursement", "reason"], action: .append { input throws(CLIError) in
                 DomainEvent(.disbursementRejected, [("disbursement", try input.identifier("disbursement")), ("reason", try input.text("reason"))])
             }),
        Verb(name: "execute", type: .disbursementExecuted, synopsis: "--disbursement ID --ref BANK-REF",
             description: "By a treasurer, once approved: the money leaves the fund. The bank reference appears once.",
             example: "ledger disbursement execute --disbursement DSB-2024-011 --ref VIR-OUT-2024-0042 --operator OP-TREASURER",
             valued: ["disbursement", "ref"], action: .append { input throws(CLIError) in
                 DomainEvent(.disbursementExecuted, [("disbursement", try input.identifier("disbursement")), ("ref", try input.identifier("ref"))])
             }),
    ])
}
