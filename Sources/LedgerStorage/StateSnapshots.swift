#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto

/// A state that can be cached on disk: the fund's state after some prefix of the log.
public protocol SnapshotState {
    /// Changes whenever the state's meaning or encoding changes: an old snapshot is then ignored.
    static var snapshotVersion: String { get }
    func snapshotBytes() -> [UInt8]
    init(snapshotBytes: [UInt8]) throws
}

/// Derivable snapshots of a state in `cache/snapshots/`, keyed by (records covered, hash of the
/// last covered record, snapshot version). A snapshot is used only after checking that the log
/// still holds that record at that place; anything that does not match is ignored (and reported
/// once), never trusted. The log stays the only truth.
public enum StateSnapshots {
    /// 2: sealed by the operator of the last covered append (Specs/log-format.md, section 10.5).
    static let magic = Array("LSNP0002".utf8)

    public struct Loaded<State> {
        public var state: State
        /// Log bytes and records the state covers: fold the log from there.
        public var coveredBytes: UInt64
        public var coveredRecords: UInt64
        /// The operator whose key sealed it: the actor of the last covered append, which the
        /// same key signed.
        public var sealer: String
    }

    /// What seals a snapshot being saved: the signer of the append that ends with the last
    /// covered record, that record, and the append's first seq.
    public struct Sealer {
        public let signer: AppendSigner
        public let lastRecord: Record
        public let firstSeq: UInt64

        public init(signer: AppendSigner, lastRecord: Record, firstSeq: UInt64) {
            self.signer = signer
            self.lastRecord = lastRecord
            self.firstSeq = firstSeq
        }
    }

    /// `cache/snapshots/`, created when missing. Both levels must be real directories of this
    /// user (`DirectoryHandle.existingSubdirectory`).
    static func openDirectory(_ paths: LedgerPaths) throws(StorageError) -> DirectoryHandle {
        try DirectoryHandle(path: paths.directory).subdirectory(LedgerPaths.Name.cache).subdirectory(LedgerPaths.Name.snapshots)
    }

    /// `cache/snapshots/` if there is one, under the same rules; nil otherwise.
    static func openExistingDirectory(_ paths: LedgerPaths) throws(StorageError) -> DirectoryHandle? {
        try DirectoryHandle(path: paths.directory).existingSubdirectory(LedgerPaths.Name.cache)?
            .existingSubdirectory(LedgerPaths.Name.snapshots)
    }

    /// The newest usable snapshot, or nil (then fold from the genesis). `warn` hears about
    /// snapshots that were found but could not be used.
    public static func load<State: SnapshotState>(_ type: State.Type, paths: LedgerPaths, logBytes: UInt64,
                                                  evidence: KeyEvidence.Checks = KeyEvidence.Checks(),
                                                  warn: (String) -> Void) -> Loaded<State>? {
        let found: DirectoryHandle?
        do { found = try openExistingDirectory(paths) } catch {
            warn("ignored the snapshots (\(error)); the state is folded from the log")
            return nil
        }
        guard let snapshots = found else { return nil }
        for name in candidates(in: snapshots) {
            do {
                return try read(type, in: snapshots, name: name, paths: paths, logBytes: logBytes, evidence: evidence)
            } catch SnapshotProblem.notForThisVersion {
                continue
            } catch {
                warn("ignored snapshot \(name): \(error); it will be rebuilt from the log")
                continue
            }
        }
        return nil
    }

    /// Writes a snapshot of `state` after the records up to `sealer.lastRecord`, ending at
    /// `coveredBytes`, sealed by `sealer`, with `DirectoryHandle.writeAtomically`, so a reader
    /// never sees half of one (without fsync: a snapshot torn by a crash fails its checksum).
    /// Older snapshots of the same version are removed (they are caches, not evidence).
    /// `payload`, when given, is `state.snapshotBytes()` encoded by the caller.
    public static func save<State: SnapshotState>(_ state: State, payload: [UInt8]? = nil, paths: LedgerPaths, coveredBytes: UInt64,
                                                  sealer: Sealer) throws(StorageError) {
        let snapshots = try openDirectory(paths)
        let payload = payload ?? state.snapshotBytes()
        let coveredRecords = sealer.lastRecord.seq + 1
        let seal = CacheSeal(.snapshot, digest: SHA256.hash(payload), lastRecord: sealer.lastRecord, firstSeq: sealer.firstSeq,
                             signer: sealer.signer)
        var bytes = magic
        appendField(&bytes, Array(State.snapshotVersion.utf8))
        appendNumber(&bytes, coveredBytes)
        appendNumber(&bytes, coveredRecords)
        bytes.append(contentsOf: sealer.lastRecord.hash.bytes)
        bytes.append(contentsOf: seal.bytes)
        appendField(&bytes, payload)
        bytes.append(contentsOf: SHA256.hash(bytes).bytes)
        let name = "state-\(State.snapshotVersion)-\(String(coveredRecords)).snap"
        try snapshots.writeAtomically(bytes, to: name, durable: false)
        for old in candidates(in: snapshots) where old != name && old.hasPrefix("state-\(State.snapshotVersion)-") {
            try? snapshots.removeFile(old)
        }
    }

    enum SnapshotProblem: Error, CustomStringConvertible {
        case notForThisVersion, corrupt(String), stale(String), notSealed, keyNotRegistered
        var description: String {
            switch self {
            case .notForThisVersion: return "another snapshot version"
            case .corrupt(let why): return "corrupt (\(why))"
            case .stale(let why): return "does not match the log (\(why))"
            case .notSealed: return "not sealed by the key that signed the last append it covers (anyone can write a cache; only an operator can seal one)"
            case .keyNotRegistered: return "sealed by a key that cache/keys.evidence does not show registered to the operator of the last append it covers"
            }
        }
    }

    /// Reads the header, then the payload straight into its own array, so that a snapshot of
    /// megabytes is copied once from the kernel and never again (the checksum is computed over
    /// the two pieces rather than over a joined copy).
    static func read<State: SnapshotState>(_ type: State.Type, in directory: DirectoryHandle, name: String, paths: LedgerPaths,
                                           logBytes: UInt64, evidence: KeyEvidence.Checks) throws -> Loaded<State> {
        guard let file = try directory.openFile(name, flags: O_RDONLY) else { throw SnapshotProblem.corrupt("removed meanwhile") }
        let size = try file.size()
        guard size > UInt64(magic.count + 32) else { throw SnapshotProblem.corrupt("bad header") }
        let header = try Header(bytes: try file.read(at: 0, count: Int(min(size - 32, UInt64(Header.bytesMax)))))
        guard header.payloadEnd == size - 32 else { throw SnapshotProblem.corrupt("truncated") }
        let payload = try file.read(at: UInt64(header.bytes.count), count: Int(header.payloadEnd) - header.bytes.count)
        let checksum = try file.read(at: header.payloadEnd, count: 32)
        var hasher = SHA256()
        hasher.update(header.bytes)
        hasher.update(payload)
        guard payload.count == Int(header.payloadEnd) - header.bytes.count, hasher.finalized().bytes == checksum else {
            throw SnapshotProblem.corrupt("checksum")
        }
        guard header.version == Array(State.snapshotVersion.utf8) else { throw SnapshotProblem.notForThisVersion }
        let last = try checkAgainstLog(logPath: paths.log, logBytes: logBytes, coveredBytes: header.coveredBytes,
                                       coveredRecords: header.coveredRecords, lastHash: header.lastHash)
        guard header.seal.holds(.snapshot, digest: SHA256.hash(payload), lastRecord: last) else { throw SnapshotProblem.notSealed }
        guard KeyEvidence.confirms(key: header.seal.key, actor: last.actor, appendFirstSeq: header.seal.firstSeq, paths: paths,
                                   checks: evidence) else {
            throw SnapshotProblem.keyNotRegistered
        }
        return Loaded(state: try State(snapshotBytes: payload), coveredBytes: header.coveredBytes,
                      coveredRecords: header.coveredRecords, sealer: last.actor)
    }

    /// Everything a snapshot file holds before its payload (see `save`), up to the payload's length.
    struct Header {
        /// Room for the fixed fields and a version name of a few hundred bytes.
        static let bytesMax = 512
        /// The header's own bytes, which the checksum covers with the payload.
        let bytes: [UInt8]
        let version: [UInt8]
        let coveredBytes: UInt64
        let coveredRecords: UInt64
        let lastHash: SHA256Digest
        let seal: CacheSeal
        /// Where the payload ends (and the checksum starts), as the header says.
        let payloadEnd: UInt64

        /// Parses the start of a file (`bytesMax` bytes, or the file without its checksum).
        init(bytes start: [UInt8]) throws {
            var reader = FieldReader(bytes: start)
            guard try reader.take(8).elementsEqual(magic) else { throw SnapshotProblem.corrupt("bad header") }
            version = try reader.field()
            coveredBytes = try reader.number()
            coveredRecords = try reader.number()
            lastHash = SHA256Digest(bytes: try reader.take(32))
            guard let seal = CacheSeal(bytes: try reader.take(CacheSeal.byteCount)) else { throw SnapshotProblem.corrupt("seal") }
            self.seal = seal
            let payloadCount = try reader.number()
            guard payloadCount <= UInt64(Int.max) - UInt64(reader.position) else { throw SnapshotProblem.corrupt("field length") }
            bytes = Array(start[0..<reader.position])
            payloadEnd = UInt64(reader.position) + payloadCount
        }
    }

    /// The log must still hold, ending exactly at `coveredBytes`, the record the snapshot names;
    /// returns that record, read and hash-checked.
    static func checkAgainstLog(logPath: String, logBytes: UInt64, coveredBytes: UInt64, coveredRecords: UInt64,
                                lastHash: SHA256Digest) throws -> Record {
        guard coveredRecords > 0, coveredBytes <= logBytes else { throw SnapshotProblem.stale("beyond the log's end") }
        let log = try SystemFile(path: logPath, flags: O_RDONLY)
        let lineStart = try LogTail.lastNewline(in: log, before: coveredBytes - 1).map { $0 + 1 } ?? 0
        let line = try log.read(at: lineStart, count: Int(coveredBytes - lineStart))
        guard line.last == 0x0A, let record = try? RecordCodec.decodeChecked(line: Array(line.dropLast())),
              record.seq + 1 == coveredRecords, record.hash == lastHash else {
            throw SnapshotProblem.stale("the record at byte \(coveredBytes) differs")
        }
        return record
    }

    /// Snapshot file names, newest (most records) first.
    static func candidates(in snapshots: DirectoryHandle) -> [String] {
        var names: [(UInt64, String)] = []
        for name in (try? snapshots.names()) ?? [] {
            guard name.hasPrefix("state-"), name.hasSuffix(".snap") else { continue }
            let number = name.dropLast(5).split(separator: "-").last.flatMap { UInt64($0) } ?? 0
            names.append((number, name))
        }
        return names.sorted { $0.0 > $1.0 }.map(\.1)
    }

    static func appendNumber(_ bytes: inout [UInt8], _ value: UInt64) {
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    static func appendField(_ bytes: inout [UInt8], _ field: [UInt8]) {
        appendNumber(&bytes, UInt64(field.count))
        bytes.append(contentsOf: field)
    }

    /// Reads the header's fields; any read past the bytes it was given means a corrupt file.
    struct FieldReader {
        let bytes: [UInt8]
        var position = 0

        mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, count <= bytes.count - position else { throw SnapshotProblem.corrupt("truncated") }
            defer { position += count }
            return bytes[position..<(position + count)]
        }

        mutating func number() throws -> UInt64 {
            var value: UInt64 = 0
            for (index, byte) in try take(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
            return value
        }

        mutating func field() throws -> [UInt8] {
            let count = try number()
            guard count <= UInt64(bytes.count) else { throw SnapshotProblem.corrupt("field length") }
            return Array(try take(Int(count)))
        }
    }
}
