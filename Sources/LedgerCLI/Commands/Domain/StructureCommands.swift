import LedgerDomain
import LedgerJSON

/// Operators, parties, territories and bodies: who acts, who takes part, where, and under which statutes.
enum StructureCommands {
    static let operators = CommandGroup(name: "operator", summary: "register, rotate the key of, or revoke an operator", verbs: [
        Verb(name: "register", type: .operatorRegistered, synopsis: "--id ID --role admin|treasurer|secretary|clerk|auditor --public-key FILE.pub",
             description: "An administrator gives an operator one role for life (an auditor appends nothing) and the public key\n"
                 + "their appends are signed with (the .pub of `ledger keygen`; the operator keeps the .key, outside the ledger).",
             example: "ledger operator register --id OP-TREASURER --role treasurer --public-key keys/treasurer.pub --operator OP-ADMIN",
             valued: ["id", "role", "public-key"], action: .append { input throws(CLIError) in
                 DomainEvent(.operatorRegistered, [("key", try input.publicKey("public-key")), ("operator", try input.identifier("id")),
                                                   ("role", try input.choice("role", Role.self))])
             }),
        Verb(name: "rotate-key", type: .operatorKeyRotated, synopsis: "--id ID --public-key FILE.pub",
             description: "An administrator replaces an operator's key (lost or compromised): their next appends are signed by\n"
                 + "the new one. On a ledger that began without keys, the first administrator sets their own key this way,\n"
                 + "signing with that new key.",
             example: "ledger operator rotate-key --id OP-TREASURER --public-key keys/treasurer-2027.pub --operator OP-ADMIN",
             valued: ["id", "public-key"], action: .append { input throws(CLIError) in
                 DomainEvent(.operatorKeyRotated, [("key", try input.publicKey("public-key")), ("operator", try input.identifier("id"))])
             }),
        Verb(name: "revoke", type: .operatorRevoked, synopsis: "--id ID", description: "An administrator withdraws an operator (never themselves).",
             example: "ledger operator revoke --id OP-CLERK-2 --operator OP-ADMIN",
             valued: ["id"], action: .append { input throws(CLIError) in
                 DomainEvent(.operatorRevoked, [("operator", try input.identifier("id"))])
             }),
    ])

    static let parties = CommandGroup(name: "party", summary: "register a party (pseudonymous) or declare an interest", verbs: [
        Verb(name: "register", type: .partyRegistered, synopsis: "--party ID --kind person|organisation|financial_actor|public_actor",
             description: "Parties are known by a pseudonymous identifier only: names, e-mails and addresses stay out of the log.",
             example: "ledger party register --party P-0042 --kind person",
             valued: ["party", "kind"], action: .append { input throws(CLIError) in
                 DomainEvent(.partyRegistered, [("kind", try input.choice("kind", PartyKind.self)), ("party", try input.identifier("party"))])
             }),
        Verb(name: "declare-interest", type: .interestDeclared, synopsis: "--party ID --project ID",
             description: "The party has an interest in the project: it must be recused from ballots about it.",
             example: "ledger party declare-interest --party P-0007 --project PRJ-2024-012",
             valued: ["party", "project"], action: .append { input throws(CLIError) in
                 DomainEvent(.interestDeclared, [("party", try input.identifier("party")), ("project", try input.identifier("project"))])
             }),
    ])

    static let territories = CommandGroup(name: "territory", summary: "define a territory in the tree of territories", verbs: [
        Verb(name: "define", type: .territoryDefined, synopsis: "--code CODE --name NAME [--parent CODE]",
             description: "Codes are unique; a parent must exist first, so the tree has no cycle (8 levels at most).",
             example: "ledger territory define --code FR-BRE --name Bretagne --parent FR",
             valued: ["code", "name", "parent"], action: .append { input throws(CLIError) in
                 var members: [(String, JSONValue)] = [("code", try input.identifier("code")), ("name", try input.text("name"))]
                 if let parent = try input.optionalIdentifier("parent") { members.append(("parent", parent)) }
                 return DomainEvent(.territoryDefined, members)
             }),
    ])

    static let bodies = CommandGroup(name: "body", summary: "constitute a governing body, add or remove members", verbs: [
        Verb(name: "constitute", type: .bodyConstituted,
             synopsis: "--body ID --kind general_assembly|board|territorial_committee --name NAME [--territory CODE]\n"
                 + "        --quorum N/D --majority simple|absolute|two_thirds|three_quarters --abstentions excluded|counted\n"
                 + "        --blanks excluded|counted --proxies-max N --amount-max AMOUNT",
             description: "The statutes as data: the quorum is a fraction of the electorate (1/3 means a third), the majority\n"
                 + "is reckoned over for + against (+ abstentions, blanks when counted), --amount-max is the most it may decide.",
             example: "ledger body constitute --body AG --kind general_assembly --name \"Assemblée générale\" --quorum 1/4 "
                 + "--majority simple --abstentions excluded --blanks excluded --proxies-max 2 --amount-max 5000000",
             valued: ["body", "kind", "name", "territory", "quorum", "majority", "abstentions", "blanks", "proxies-max", "amount-max"],
             action: .append(constitute)),
        Verb(name: "add-member", type: .memberAdded, synopsis: "--body ID --party ID", description: "The party joins the body (for ballots opened from now on).",
             example: "ledger body add-member --body AG --party P-0042",
             valued: ["body", "party"], action: .append { input throws(CLIError) in
                 DomainEvent(.memberAdded, [("body", try input.identifier("body")), ("party", try input.identifier("party"))])
             }),
        Verb(name: "remove-member", type: .memberRemoved, synopsis: "--body ID --party ID", description: "The party leaves the body (open ballots keep their electorate).",
             example: "ledger body remove-member --body AG --party P-0042",
             valued: ["body", "party"], action: .append { input throws(CLIError) in
                 DomainEvent(.memberRemoved, [("body", try input.identifier("body")), ("party", try input.identifier("party"))])
             }),
    ])

    @Sendable static func constitute(_ input: VerbInput) throws(CLIError) -> DomainEvent {
        let quorumText = try input.arguments.required("quorum")
        let parts = quorumText.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let numerator = Int64(parts[0]), let denominator = Int64(parts[1]) else {
            throw .input("--quorum must be a fraction N/D such as 1/3, got \"\(quorumText)\"")
        }
        let proxies = try input.arguments.required("proxies-max")
        guard let proxiesMax = Int64(proxies), proxiesMax >= 0 else { throw .input("--proxies-max must be 0 or more, got \"\(proxies)\"") }
        let rules = JSONObject([
            ("abstentions", try input.choice("abstentions", Counting.self)), ("amount_max", try input.amount("amount-max")),
            ("blanks", try input.choice("blanks", Counting.self)), ("majority", try input.choice("majority", Majority.self)),
            ("proxies_max", .integer(proxiesMax)),
            ("quorum", .object(JSONObject([("den", .integer(denominator)), ("num", .integer(numerator))]))),
        ])
        var members: [(String, JSONValue)] = [("body", try input.identifier("body")), ("kind", try input.choice("kind", BodyKind.self)),
                                              ("name", try input.text("name")), ("rules", .object(rules))]
        if let territory = try input.optionalIdentifier("territory") { members.append(("territory", territory)) }
        return DomainEvent(.bodyConstituted, members)
    }
}
