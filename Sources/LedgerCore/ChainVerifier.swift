import LedgerCrypto
import LedgerJSON
import LedgerProofs

/// Checks a log line by line, in order, with memory bounded by one line plus O(log n) for the
/// Merkle tree head (Specs/log-format.md, section 8). Storage feeds it; it never does I/O.
public struct ChainVerifier: Sendable {
    /// Number of records accepted so far (the next expected `seq`).
    public private(set) var recordCount: UInt64 = 0
    /// The last accepted record's hash (64 zeros before the genesis).
    public private(set) var headHash: SHA256Digest = .zero
    public private(set) var lastRecordedAt: Timestamp?
    /// The format version of the last accepted record: it never decreases along a log.
    public private(set) var lastVersion: Int64 = 1
    public private(set) var genesis: Genesis?
    /// The RFC 9162 tree over the leaf hashes of the records accepted so far.
    public private(set) var tree = MerkleAccumulator()

    public init() {}

    /// A line decoded and re-hashed, independently of every other line: the part of the work
    /// that can run in parallel. The checks that need the previous record come in `accept`.
    public struct DecodedLine: Sendable {
        /// With the record, its recomputed hash and the Merkle leaf of that hash (computed here,
        /// off the in-order path: `accept` only appends it to the tree).
        let result: Result<(record: Record, recomputed: SHA256Digest, leaf: SHA256Digest), RecordCodec.LineProblem>

        /// The record, if the line decoded (its hash not yet compared).
        public var record: Record? {
            if case .success(let value) = result { return value.record }
            return nil
        }
    }

    /// Steps 1 to 4 and the recomputation of the hash (Specs/log-format.md, section 8).
    public static func decode(line: UnsafeRawBufferPointer, strings: StringCache? = nil) -> DecodedLine {
        do {
            let decoded = try RecordCodec.decode(line: line, strings: strings)
            let recomputed = decoded.recomputedHash(line)
            return DecodedLine(result: .success((decoded.record, recomputed, RecordLeaf.hash(recomputed))))
        } catch {
            return DecodedLine(result: .failure(error))
        }
    }

    /// Checks one complete line (without its newline) that starts at byte `offset` of the log,
    /// and returns the decoded record, or the failure to report.
    public mutating func accept(line: UnsafeRawBufferPointer, offset: UInt64) -> Result<Record, VerifyFailure> {
        accept(Self.decode(line: line), offset: offset)
    }

    /// The checks of a decoded line that depend on the records before it, in log order.
    public mutating func accept(_ decoded: DecodedLine, offset: UInt64) -> Result<Record, VerifyFailure> {
        let lineNumber = recordCount + 1
        func failure(_ kind: FailureKind, _ message: String, seq: UInt64? = nil) -> Result<Record, VerifyFailure> {
            .failure(VerifyFailure(kind: kind, seq: seq ?? recordCount, line: lineNumber, offset: offset, message: message))
        }
        let record: Record
        let recomputed: SHA256Digest
        let leaf: SHA256Digest
        switch decoded.result {
        case .failure(let problem): return failure(problem.kind, problem.message)
        case .success(let value): (record, recomputed, leaf) = value
        }
        if let problem = checkPosition(record) { return failure(problem.kind, problem.message, seq: record.seq) }
        guard recomputed == record.hash else {
            return failure(.hashMismatch, "stored hash \(record.hash.hex) but the record hashes to \(recomputed.hex)", seq: record.seq)
        }
        guard record.prev == headHash else {
            let expected = recordCount == 0 ? "the first record's prev is 64 zeros" : "record \(recordCount - 1) has hash \(headHash.hex)"
            return failure(.linkMismatch, "prev is \(record.prev.hex) but \(expected)", seq: record.seq)
        }
        if let last = lastRecordedAt, record.recordedAt < last {
            return failure(.timeRegression, "recorded_at \(record.recordedAt) is before the previous record's \(last)", seq: record.seq)
        }
        commit(record, leaf: leaf)   // the leaf of `recomputed`, which is the record's hash
        return .success(record)
    }

    /// The rest of step 4 (the version never decreases), then steps 5 and 6: density of `seq`,
    /// and the genesis record at 0 and only there.
    mutating func checkPosition(_ record: Record) -> RecordCodec.LineProblem? {
        guard record.version >= lastVersion else {
            return .init(kind: .schemaViolation, message: "format version \(record.version) after a record of version \(lastVersion): the version never decreases")
        }
        guard record.seq == recordCount else {
            return .init(kind: .sequenceGap, message: "seq is \(record.seq), expected \(recordCount)")
        }
        let isGenesisType = record.type == Record.genesisType
        if recordCount == 0 {
            guard isGenesisType else {
                return .init(kind: .genesisInvalid, message: "the first record has type \"\(record.type)\", expected \"\(Record.genesisType)\"")
            }
            switch EnvelopeSchema.genesis(from: record.payload, version: record.version) {
            case .failure(let problem): return problem
            case .success(let parsed): genesis = parsed
            }
            // In version 2 the genesis is an append of its own: its signature is part of it.
            if record.version >= 2, record.signature == nil {
                return .init(kind: .genesisInvalid, message: "a version-2 genesis record carries its signature (sig)")
            }
        } else if isGenesisType {
            return .init(kind: .genesisInvalid, message: "a second \"\(Record.genesisType)\" record")
        }
        return nil
    }

    mutating func commit(_ record: Record, leaf: SHA256Digest) {
        precondition(record.seq == recordCount, "records are committed in order")
        recordCount += 1
        headHash = record.hash
        lastRecordedAt = record.recordedAt
        lastVersion = record.version
        tree.append(leafHash: leaf)
    }

    /// The verdict once the last complete line was accepted: an empty log is not a ledger.
    public func finish(tornTailBytes: UInt64, tornTailOffset: UInt64) -> VerifyFailure? {
        // A log without a complete line holds no genesis record, torn bytes or not: there is
        // nothing intact to speak of (Specs/log-format.md, section 8).
        if recordCount == 0 {
            let torn = tornTailBytes > 0 ? " (only \(tornTailBytes) unterminated bytes)" : ""
            return VerifyFailure(kind: .genesisInvalid, seq: 0, line: 1, offset: 0, message: "the log holds no complete record\(torn)")
        }
        if tornTailBytes > 0 {
            return VerifyFailure(kind: .tornTail, seq: recordCount, line: recordCount + 1, offset: tornTailOffset,
                                 message: "\(tornTailBytes) unterminated bytes after the last complete record (a crash; never acknowledged)")
        }
        return nil
    }
}

/// A record's Merkle leaf: `SHA-256(0x00 || record hash)` (Specs/log-format.md, section 9).
public enum RecordLeaf {
    public static func hash(_ recordHash: SHA256Digest) -> SHA256Digest {
        SHA256.hash(prefix: 0x00, recordHash)
    }
}
