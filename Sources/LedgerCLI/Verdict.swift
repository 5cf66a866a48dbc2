import LedgerCore
import LedgerCrypto
import LedgerEngine
import LedgerJSON
import LedgerProofs

/// What `ledger verify` prints: for people, or as a JSON document with the same facts.
struct Verdict {
    /// nil when the log was not read (the checkpoint's signature failed first).
    let report: LogReport?
    let failure: VerifyFailure?
    let checkpoint: CheckpointDocument?
    let signature: SignatureStatus?
    let evidence: ConsistencyEvidence?

    init(_ verification: Ledger.Verification) {
        report = verification.report
        failure = verification.failure
        checkpoint = verification.checkpoint
        signature = verification.signature
        evidence = verification.evidence
    }

    var status: String {
        guard let failure else { return "intact" }
        switch failure.kind {
        case .tornTail: return "intact-with-torn-tail"
        case .unfinishedBatch: return "intact-with-unfinished-batch"
        default: return "failed"
        }
    }

    var text: String {
        var lines: [String] = []
        if let failure {
            switch failure.kind {
            case .tornTail: lines.append("ledger verify: records intact; TORN TAIL follows")
            case .unfinishedBatch: lines.append("ledger verify: records intact up to the last acknowledged append; UNFINISHED BATCH follows")
            default: lines.append("ledger verify: FAILED")
            }
            lines.append("  kind       \(failure.kind.rawValue)")
            if let seq = failure.seq { lines.append("  seq        \(seq)") }
            if let line = failure.line { lines.append("  line       \(line)") }
            if let offset = failure.offset { lines.append("  byte       \(offset)") }
            lines.append("  reason     \(failure.message)")
        } else {
            lines.append("ledger verify: intact")
        }
        if let report {
            // After a failure the log is not vouched for: no line says who signed it.
            lines.append(contentsOf: Self.logLines(report, sayingWhoSigned: status != "failed"))
        } else {
            lines.append("  log        not read: a checkpoint without a trusted signature proves nothing about it")
        }
        if let checkpoint {
            let stored = checkpoint.checkpoint
            lines.append("  checkpoint origin \(stored.origin), size \(stored.size), tree head \(Base64.encode(stored.root.bytes))")
            if let signature { lines.append("  signatures \(SignatureText.text(signature))") }
        }
        if let evidence { lines.append(contentsOf: EvidenceText.lines(evidence)) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func logLines(_ report: LogReport, sayingWhoSigned: Bool = true) -> [String] {
        var lines: [String] = []
        if let genesis = report.genesis { lines.append("  ledger     \(TerminalText.safe(genesis.name, keepingNewlines: false)) (\(genesis.origin), \(genesis.currency))") }
        if report.genesis?.isSimulated == true {
            lines.append("  clock      SIMULATED: a demonstration or test ledger; its recorded times were chosen by its writer")
        }
        lines.append("  records    \(Format.grouped(report.recordCount)) checked, \(Format.grouped(report.logBytes)) bytes")
        if sayingWhoSigned { lines.append("  signed     " + signedLine(report)) }
        if report.recordCount > 0 {
            lines.append("  head       seq \(report.recordCount - 1), hash \(report.headHash.hex)")
            lines.append("  tree head  \(Base64.encode(report.treeHead.bytes))")
        }
        return lines
    }

    /// Who wrote it, in one line: every append signed, or how many records predate signatures.
    static func signedLine(_ report: LogReport) -> String {
        var line = report.unsignedRecords == 0 ? "every append, by its operator's registered key"
            : report.unsignedRecords >= report.recordCount ? "no record: a version-1 log (intact, but not who wrote it)"
            : "every append after the first \(Format.grouped(report.unsignedRecords)) records (version 1: intact, unsigned)"
        if let bootstrap = report.bootstrap { line += "; keys bootstrapped by \(bootstrap.actor) at seq \(bootstrap.seq)" }
        return line
    }

    var json: String {
        var object = JSONObject([("status", .string(status))])
        if let report {
            object["records"] = .integer(Int64(report.recordCount))
            object["unsigned_records"] = .integer(Int64(report.unsignedRecords))
            if report.unfinishedRecords > 0 { object["unfinished_records"] = .integer(Int64(report.unfinishedRecords)) }
            if report.genesis?.isSimulated == true { object["clock"] = .string("simulated") }
            if let bootstrap = report.bootstrap {
                object["bootstrap"] = .object(JSONObject([("operator", .string(bootstrap.actor)), ("seq", .integer(Int64(bootstrap.seq)))]))
            }
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
            if let signature { member["signatures"] = SignatureText.json(signature) }
            object["checkpoint"] = .object(member)
        }
        if let evidence { object["evidence"] = evidence.json }
        return String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self)
    }
}

/// Consistency evidence for people: what it says, then the evidence itself.
enum EvidenceText {
    /// For people: what the evidence says, then the evidence itself.
    static func lines(_ evidence: ConsistencyEvidence) -> [String] {
        let old = evidence.storedCheckpoint, now = evidence.currentCheckpoint
        var lines: [String] = []
        switch evidence.outcome {
        case .consistent:
            lines.append("  extends    the log's first \(Format.grouped(old.size)) records have the stored tree head;"
                         + " today's \(Format.grouped(now.size)) records extend them")
        case .forked:
            lines.append("  forked     the log's first \(Format.grouped(old.size)) records have another tree head"
                         + " than the stored checkpoint")
        case .truncated:
            lines.append("  truncated  the stored checkpoint has \(Format.grouped(old.size)) records,"
                         + " the log only \(Format.grouped(now.size))")
        case .originMismatch:
            lines.append("  origin     the stored checkpoint is for \(old.origin), the log is \(now.origin)")
        }
        lines.append("  evidence   stored checkpoint:")
        lines.append(contentsOf: Self.indented(evidence.stored))
        if let logAtStoredSize = evidence.logAtStoredSize, evidence.outcome == .forked {
            lines.append("             the log's checkpoint at size \(old.size):")
            lines.append(contentsOf: Self.indented(logAtStoredSize.text))
        }
        lines.append("             the log's checkpoint now:")
        lines.append(contentsOf: Self.indented(evidence.current))
        if let proof = evidence.proof {
            lines.append("             consistency proof, size \(old.size) -> \(now.size) (RFC 9162 2.1.4), \(proof.count) hashes:")
            lines.append(contentsOf: proof.map { "               " + Base64.encode($0.bytes) })
        }
        lines.append("             (save it with --json: scripts/check_consistency.py checks it without the ledger)")
        return lines
    }

    static func indented(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.isEmpty ? "" : "               " + $0 }
    }
}

/// What was learnt about a checkpoint's signatures, for people and for tools.
enum SignatureText {
    static func text(_ status: SignatureStatus) -> String {
        switch status {
        case .unsigned: "none (a bare checkpoint)"
        case .notChecked(let count): "\(count) signature\(count == 1 ? "" : "s"), NOT checked (no --key given)"
        case .trusted(let signers): "verified: " + signers.map(\.description).joined(separator: ", ")
        }
    }

    static func json(_ status: SignatureStatus) -> JSONValue {
        switch status {
        case .unsigned: .object(JSONObject([("status", .string("unsigned"))]))
        case .notChecked(let count):
            .object(JSONObject([("count", .integer(Int64(count))), ("status", .string("not_checked"))]))
        case .trusted(let signers):
            .object(JSONObject([("signers", .array(signers.map { .string($0.description) })), ("status", .string("verified"))]))
        }
    }
}
