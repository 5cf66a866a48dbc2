import Foundation
import LedgerCore
import LedgerCrypto
import LedgerJSON
import Testing

/// A ledger for the back-office commands' end-to-end tests: created by `ledger init`, set up by
/// `ledger append --batch` (operators, territories, funds, bodies, parties, projects, money).
struct DomainLedger {
    static let now = "2026-01-01T09:00:00.000000Z"
    let directory: String

    /// The world of the tests, appended by the operators whose role allows it.
    static let setup: [(String, [String])] = [
        ("OP-ADMIN", [
            #"{"type":"operator.registered","payload":{"operator":"OP-TRE","role":"treasurer"}}"#,
            #"{"type":"operator.registered","payload":{"operator":"OP-TRE2","role":"treasurer"}}"#,
            #"{"type":"operator.registered","payload":{"operator":"OP-SEC","role":"secretary"}}"#,
            #"{"type":"operator.registered","payload":{"operator":"OP-CLK","role":"clerk"}}"#,
            #"{"type":"operator.registered","payload":{"operator":"OP-AUD","role":"auditor"}}"#,
            #"{"type":"territory.defined","payload":{"code":"FR","name":"France"}}"#,
            #"{"type":"territory.defined","payload":{"code":"FR-IDF","name":"Île-de-France","parent":"FR"}}"#,
            #"{"type":"territory.defined","payload":{"code":"FR-75","name":"Paris","parent":"FR-IDF"}}"#,
            #"{"type":"territory.defined","payload":{"code":"FR-BRE","name":"Bretagne","parent":"FR"}}"#,
            #"{"type":"fund.opened","payload":{"fund":"citizens","name":"Fondation citoyenne","pool":"citizens","accepts":["donation","membership_fee"],"uses":["grant","loan"]}}"#,
            #"{"type":"fund.opened","payload":{"fund":"public","name":"Acteurs publics","pool":"public","accepts":["subsidy","loan_received"],"uses":["grant","loan"],"territory":"FR-IDF"}}"#,
            #"{"type":"body.constituted","payload":{"body":"AG","kind":"general_assembly","name":"Assemblée générale","rules":{"quorum":{"num":1,"den":2},"majority":"simple","abstentions":"excluded","blanks":"excluded","proxies_max":1,"amount_max":100000000}}}"#,
        ]),
        ("OP-CLK", [
            #"{"type":"party.registered","payload":{"party":"P-1","kind":"person"}}"#,
            #"{"type":"party.registered","payload":{"party":"P-2","kind":"person"}}"#,
            #"{"type":"party.registered","payload":{"party":"P-3","kind":"person"}}"#,
            #"{"type":"party.registered","payload":{"party":"P-4","kind":"person"}}"#,
            #"{"type":"party.registered","payload":{"party":"P-5","kind":"person"}}"#,
            #"{"type":"party.registered","payload":{"party":"ORG-1","kind":"organisation"}}"#,
            #"{"type":"party.registered","payload":{"party":"STATE-1","kind":"public_actor"}}"#,
            #"{"type":"project.applied","payload":{"project":"PRJ-1","organisation":"ORG-1","territory":"FR-75","instrument":"loan","amount":4000000}}"#,
            #"{"type":"contribution.recorded","payload":{"party":"P-1","fund":"citizens","instrument":"donation","amount":6000000,"ref":"DON-1"}}"#,
        ]),
        ("OP-SEC", ["P-1", "P-2", "P-3", "P-4", "P-5"].map { #"{"type":"body.member_added","payload":{"body":"AG","party":"\#($0)"}}"# }),
    ]

    static func make(sourceLocation: SourceLocation = #_sourceLocation) throws -> DomainLedger {
        let ledger = DomainLedger(directory: LedgerProcess.temporaryPath())
        let created = try LedgerProcess.run(["init", "--ledger", ledger.directory, "--origin", "test.example/fund", "--name", "Fonds de test",
                                             "--operator", "OP-ADMIN", "--date", "2025-01-01", "--simulated-clock"],
                                            environment: ["LEDGER_NOW": now, "LEDGER_OPERATOR": "OP-ADMIN"])
        #expect(created.status == 0, "init: \(created.stderr)", sourceLocation: sourceLocation)
        for (actor, lines) in setup {
            let batch = (lines.map { TestKeys.keyed($0).replacingOccurrences(of: "\"payload\"", with: "\"effective\":\"2025-06-01\",\"payload\"") })
                .joined(separator: "\n")
            let appended = try ledger.run(["append", "--batch", "-"], as: actor, stdin: batch)
            #expect(appended.status == 0, "setup by \(actor): \(appended.stderr)", sourceLocation: sourceLocation)
        }
        return ledger
    }

    @discardableResult
    func run(_ arguments: [String], as actor: String, stdin: String? = nil) throws -> LedgerProcess.Result {
        try LedgerProcess.run(arguments + ["--ledger", directory],
                              environment: ["LEDGER_NOW": Self.now, "LEDGER_OPERATOR": actor], stdin: stdin.map { Data($0.utf8) })
    }

    /// Runs a command that must append: exit 0 and the appended line on standard output.
    @discardableResult
    func expectAppended(_ arguments: [String], as actor: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LedgerProcess.Result {
        let result = try run(arguments, as: actor)
        #expect(result.status == 0, "\(arguments.prefix(2).joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.hasPrefix("appended seq "), "\(result.stdout)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs a command that must be refused with `status`, leaving the log byte for byte as it was;
    /// with a rule, the message must name it.
    @discardableResult
    func expectRefused(_ arguments: [String], as actor: String, status: Int32 = 4, rule: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let before = try LedgerProcess.logBytes(directory)
        let result = try run(arguments, as: actor)
        #expect(result.status == status, "\(arguments.prefix(2).joined(separator: " ")): exit \(result.status), \(result.stderr)",
                sourceLocation: sourceLocation)
        if let rule { #expect(result.stderr.contains("rule \(rule):"), "\(result.stderr)", sourceLocation: sourceLocation) }
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(try LedgerProcess.logBytes(directory) == before, "the log changed", sourceLocation: sourceLocation)
        return result.stderr
    }

    /// Appends a record by other means than `ledger`, whatever its content: well chained,
    /// hashed and signed by the actor's own key (as if they bypassed the writer's rules).
    func forge(type: String, payload: String, actor: String) throws -> UInt64 {
        let path = directory + "/log.jsonl"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let lines = bytes.split(separator: 0x0A)
        let last = try RecordCodec.decodeChecked(line: Array(lines.last!))
        guard case .object(let object) = try CanonicalJSON.decode(Array(payload.utf8), mode: .lenient) else {
            preconditionFailure("a forged payload is a JSON object")
        }
        let draft = RecordDraft(type: type, effective: last.effective, actor: actor, payload: object)
        let (_, unsigned) = RecordCodec.encode(draft: draft, seq: last.seq + 1, prev: last.hash, recordedAt: last.recordedAt,
                                               effective: last.effective)
        let record = unsigned.signed(AppendSigner(privateKey: TestKeys.privateKey(actor)).sign(firstSeq: unsigned.seq, lastRecord: unsigned))
        let line = RecordCodec.line(of: record)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line))
        try handle.close()
        return record.seq
    }
}
