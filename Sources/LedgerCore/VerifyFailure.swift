/// The closed set of verdict kinds (Specs/log-format.md, section 8).
public enum FailureKind: String, Sendable, CaseIterable, Codable {
    case malformed = "MALFORMED"
    case nonCanonical = "NON_CANONICAL"
    case unsupportedVersion = "UNSUPPORTED_VERSION"
    case schemaViolation = "SCHEMA_VIOLATION"
    case sequenceGap = "SEQUENCE_GAP"
    case genesisInvalid = "GENESIS_INVALID"
    case hashMismatch = "HASH_MISMATCH"
    case linkMismatch = "LINK_MISMATCH"
    case timeRegression = "TIME_REGRESSION"
    case tornTail = "TORN_TAIL"
    case unfinishedBatch = "UNFINISHED_BATCH"
    case originMismatch = "ORIGIN_MISMATCH"
    case truncated = "TRUNCATED"
    case forked = "FORKED"
    case ruleViolation = "RULE_VIOLATION"
    case stateMismatch = "STATE_MISMATCH"
    case badSignature = "BAD_SIGNATURE"

    /// A torn tail is a crash's leftover, not a broken record: it gets its own exit status.
    public var isTornTail: Bool { self == .tornTail }
    /// So is an unfinished batch: complete records that were never acknowledged.
    public var isCrashLeftover: Bool { self == .tornTail || self == .unfinishedBatch }
}

/// The first thing wrong with a log: what, where and why.
public struct VerifyFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let kind: FailureKind
    /// The sequence number concerned (the expected one when the line's own cannot be read).
    public let seq: UInt64?
    /// 1-based line number in `log.jsonl`, when the failure is about a line.
    public let line: UInt64?
    /// Byte offset of that line's first byte (or of the torn tail) in `log.jsonl`.
    public let offset: UInt64?
    public let message: String

    public init(kind: FailureKind, seq: UInt64?, line: UInt64?, offset: UInt64?, message: String) {
        self.kind = kind
        self.seq = seq
        self.line = line
        self.offset = offset
        self.message = message
    }

    /// The same failure, placed at a line of the log (for failures found by an observer).
    public func placed(line: UInt64, offset: UInt64) -> VerifyFailure {
        VerifyFailure(kind: kind, seq: seq, line: line, offset: offset, message: message)
    }

    public var description: String {
        var place: [String] = []
        if let seq { place.append("seq \(seq)") }
        if let line { place.append("line \(line)") }
        if let offset { place.append("byte \(offset)") }
        let at = place.isEmpty ? "" : " at " + place.joined(separator: ", ")
        return "\(kind.rawValue)\(at): \(message)"
    }
}
