/// The files of a ledger directory (Specs/log-format.md, section 1).
public struct LedgerPaths: Sendable {
    public let directory: String

    public init(directory: String) {
        var trimmed = directory
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.directory = trimmed
    }

    public var log: String { directory + "/log.jsonl" }
    public var lock: String { directory + "/ledger.lock" }
    public var pending: String { directory + "/append.pending" }
    public var torn: String { directory + "/torn" }
    public var cache: String { directory + "/cache" }
    public var idempotencyIndex: String { cache + "/idempotency.idx" }
}
