/// The files of a ledger directory (Specs/log-format.md, section 1).
public struct LedgerPaths: Sendable {
    public let directory: String

    public init(directory: String) {
        var trimmed = directory
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.directory = trimmed
    }

    /// The entries' names, for `DirectoryHandle`, which opens them relative to the directory.
    public enum Name {
        public static let log = "log.jsonl"
        public static let lock = "ledger.lock"
        public static let pending = "append.pending"
        public static let torn = "torn"
        public static let cache = "cache"
        /// In `cache/`.
        public static let snapshots = "snapshots"
        public static let merkleHashes = "merkle.hashes"
        public static let recordOffsets = "offsets"
        /// The proof cache's seal (Specs/proofs.md, section 9).
        public static let merkleSeal = "merkle.seal"
        /// The lines that give the operators their keys (`KeyEvidence`, log-format §10.6).
        public static let keyEvidence = "keys.evidence"
    }

    public var log: String { directory + "/" + Name.log }
    public var lock: String { directory + "/" + Name.lock }
    public var pending: String { directory + "/" + Name.pending }
    public var torn: String { directory + "/" + Name.torn }
    public var cache: String { directory + "/" + Name.cache }
}
