import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerProofs
import LedgerStorage

/// What `ledger verify` prints: for people, or as a JSON document with the same facts.
struct Verdict {
    /// nil when the log was not read (the checkpoint's signature failed first).
    let report: LogVerification.Report?
    let failure: VerifyFailure?
    let checkpoint: CheckpointDocument?
    let signature: SignatureStatus?
    let evidence: ConsistencyEvidence?

    var status: String {
        guard let failure else { return "intact" }
        return failure.kind.isTornTail ? "intact-with-torn-tail" : "failed"
    }

    var text: String {
        var lines: [String] = []
        if let failure {
            lines.append(failure.kind.isTornTail ? "ledger verify: records intact; TORN TAIL follows" : "ledger verify: FAILED")
            lines.append("  kind       \(failure.kind.rawValue)")
            if let seq = failure.seq { lines.append("  seq        \(seq)") }
            if let line = failure.line { lines.append("  line       \(line)") }
            if let offset = failure.offset { lines.append("  byte       \(offset)") }
            lines.append("  reason     \(failure.message)")
        } else {
            lines.append("ledger verify: intact")
        }
        if let report {
            lines.append(contentsOf: Self.logLines(report))
        } else {
            lines.append("  log        not read: a checkpoint without a trusted signature proves nothing about it")
        }
        if let checkpoint {
            let stored = checkpoint.checkpoint
            lines.append("  checkpoint origin \(stored.origin), size \(stored.size), tree head \(Base64.encode(stored.root.bytes))")
            if let signature { lines.append("  signatures \(signature.text)") }
        }
        if let evidence { lines.append(contentsOf: evidence.lines) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func logLines(_ report: LogVerification.Report) -> [String] {
        var lines: [String] = []
        if let genesis = report.genesis { lines.append("  ledger     \(genesis.name) (\(genesis.origin), \(genesis.currency))") }
        lines.append("  records    \(Format.grouped(report.recordCount)) checked, \(Format.grouped(report.logBytes)) bytes")
        if report.recordCount > 0 {
            lines.append("  head       seq \(report.recordCount - 1), hash \(report.headHash.hex)")
            lines.append("  tree head  \(Base64.encode(report.treeHead.bytes))")
        }
        return lines
    }

    var json: String {
        var object = JSONObject([("status", .string(status))])
        if let report {
            object["records"] = .integer(Int64(report.recordCount))
            object["log_bytes"] = .integer(Int64(report.logBytes))
            object["head_hash"] = .string(report.headHash.hex)
            object["tree_head"] = .string(Base64.encode(report.treeHead.bytes))
            if let genesis = report.genesis {
                object["origin"] = .string(genesis.origin)
                object["name"] = .string(genesis.name)
                object["currency"] = .string(genesis.currency)
            }
        }
        if let failure {
            var details = JSONObject([("kind", .string(failure.kind.rawValue)), ("message", .string(failure.message))])
            if let seq = failure.seq { details["seq"] = .integer(Int64(seq)) }
            if let line = failure.line { details["line"] = .integer(Int64(line)) }
            if let offset = failure.offset { details["offset"] = .integer(Int64(offset)) }
            object["failure"] = .object(details)
        }
        if let checkpoint {
            let stored = checkpoint.checkpoint
            var member = JSONObject([
                ("origin", .string(stored.origin)), ("size", .integer(Int64(stored.size))),
                ("tree_head", .string(Base64.encode(stored.root.bytes))), ("text", .string(checkpoint.text)),
            ])
            if let atSize = report?.treeHeadAtCheckpoint { member["log_tree_head_at_size"] = .string(Base64.encode(atSize.bytes)) }
            if let signature { member["signatures"] = signature.json }
            object["checkpoint"] = .object(member)
        }
        if let evidence { object["evidence"] = evidence.json }
        return String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self)
    }
}
