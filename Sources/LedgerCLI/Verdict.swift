import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerProofs
import LedgerStorage

/// What `ledger verify` prints: for people, or as a JSON document with the same facts.
struct Verdict {
    let report: LogVerification.Report
    let failure: VerifyFailure?
    let checkpoint: Checkpoint?

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
        if let genesis = report.genesis { lines.append("  ledger     \(genesis.name) (\(genesis.origin), \(genesis.currency))") }
        lines.append("  records    \(Format.grouped(report.recordCount)) checked, \(Format.grouped(report.logBytes)) bytes")
        if report.recordCount > 0 {
            lines.append("  head       seq \(report.recordCount - 1), hash \(report.headHash.hex)")
            lines.append("  tree head  \(Base64.encode(report.treeHead.bytes))")
        }
        if let checkpoint { lines.append(contentsOf: evidence(checkpoint)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The stored checkpoint next to what the log holds now: enough for a third party to judge.
    func evidence(_ checkpoint: Checkpoint) -> [String] {
        var lines = ["  checkpoint origin \(checkpoint.origin), size \(checkpoint.size), tree head \(Base64.encode(checkpoint.root.bytes))"]
        if failure == nil {
            lines.append("             the log extends it (\(report.recordCount - checkpoint.size) records since)")
            return lines
        }
        if let atSize = report.treeHeadAtCheckpoint {
            lines.append("  now        the first \(checkpoint.size) records have tree head \(Base64.encode(atSize.bytes))")
        }
        lines.append("  evidence   stored checkpoint:")
        lines.append(contentsOf: checkpoint.text.split(separator: "\n").map { "               " + $0 })
        lines.append("             the log now (origin, size, tree head):")
        let origin = report.genesis?.origin ?? "?"
        lines.append(contentsOf: ["\(origin)", "\(report.recordCount)", Base64.encode(report.treeHead.bytes)].map { "               " + $0 })
        return lines
    }

    var json: String {
        var object = JSONObject([
            ("status", .string(status)), ("records", .integer(Int64(report.recordCount))),
            ("log_bytes", .integer(Int64(report.logBytes))), ("head_hash", .string(report.headHash.hex)),
            ("tree_head", .string(Base64.encode(report.treeHead.bytes))),
        ])
        if let genesis = report.genesis {
            object["origin"] = .string(genesis.origin)
            object["name"] = .string(genesis.name)
            object["currency"] = .string(genesis.currency)
        }
        if let failure {
            var details = JSONObject([("kind", .string(failure.kind.rawValue)), ("message", .string(failure.message))])
            if let seq = failure.seq { details["seq"] = .integer(Int64(seq)) }
            if let line = failure.line { details["line"] = .integer(Int64(line)) }
            if let offset = failure.offset { details["offset"] = .integer(Int64(offset)) }
            object["failure"] = .object(details)
        }
        if let checkpoint {
            var stored = JSONObject([
                ("origin", .string(checkpoint.origin)), ("size", .integer(Int64(checkpoint.size))),
                ("tree_head", .string(Base64.encode(checkpoint.root.bytes))), ("text", .string(checkpoint.text)),
            ])
            if let atSize = report.treeHeadAtCheckpoint { stored["log_tree_head_at_size"] = .string(Base64.encode(atSize.bytes)) }
            object["checkpoint"] = .object(stored)
        }
        return String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self)
    }
}
