import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerProofs
import LedgerStorage

enum ProveCommand {
    static let command = Command(
        name: "prove",
        summary: "write an inclusion proof of one record that anyone can check offline",
        help: """
        Usage: ledger prove SEQ --ledger DIR (--checkpoint SIGNEDFILE | --sign KEYFILE) [--output FILE]

        Writes an inclusion bundle for record SEQ (Specs/proofs.md, section 7): the record's
        line exactly as stored, its index, the tree size, the RFC 9162 inclusion proof, and a
        signed checkpoint. `ledger verify-proof BUNDLE --key PUBKEY` checks it with no ledger
        at hand, and scripts/check_bundle.py re-checks its Merkle part independently.

          --checkpoint SIGNEDFILE  prove against a signed checkpoint you have (the one the
                                   assembly approved): the log must still have its tree head
                                   over the first SIZE records, and SEQ must be below SIZE.
          --sign KEYFILE           verify the whole log as `ledger verify` does, sign today's
                                   checkpoint with KEYFILE and prove against it.

        The proof comes from the proof cache (cache/), extended or rebuilt as needed; it is
        checked against the checkpoint's tree head and the record's own hash before it is
        written, so a damaged cache can never yield a wrong bundle.

        Exit status: 0 written, 1 the log does not extend the checkpoint (ORIGIN_MISMATCH,
        TRUNCATED, FORKED: run `ledger verify --checkpoint`), 2 usage, no such record,
        malformed checkpoint or key file, 5 the log is broken, 7 I/O error.

        Example:
          ledger prove 4182 --ledger ./fund --checkpoint minutes/2026-06-30.checkpoint --output 4182.proof

        """,
        valued: ["checkpoint", "sign", "output"],
        flags: [],
        run: run)

    static func run(_ arguments: Arguments, _ context: Context) throws(CLIError) -> ExitCode {
        guard arguments.positionals.count == 1, let text = arguments.positionals.first else {
            throw .usage("give exactly one record sequence number SEQ")
        }
        guard let seq = UInt64(text), String(seq) == text else {
            throw .usage("SEQ must be a sequence number (a non-negative integer without leading zeros), got \"\(text)\"")
        }
        let paths = try context.ledgerPaths(arguments)
        guard Directory.fileExists(paths.log) else {
            throw CLIError(StorageError.notALedger(path: paths.directory, reason: "no log.jsonl"))
        }
        let document: CheckpointDocument
        switch (arguments.value("checkpoint"), arguments.value("sign")) {
        case (let path?, nil):
            document = try CheckpointDocument.load(path)
            guard let note = document.note, !note.signatures.isEmpty else {
                throw .usage("\(path) is not signed; a bundle needs a signed checkpoint (ledger checkpoint --sign)")
            }
        case (nil, let keyPath?):
            let signers = try KeyFile.signers(keyPath, context: context)
            let checkpoint = try CheckpointCommand.verifiedCheckpoint(paths, context: context)
            document = CheckpointDocument(checkpoint: checkpoint, note: try CheckpointCommand.sign(checkpoint.text, by: signers))
        default:
            throw .usage("give either --checkpoint SIGNEDFILE or --sign KEYFILE")
        }
        let checkpoint = document.checkpoint
        guard seq < checkpoint.size else {
            throw .usage("record \(seq) is not in the checkpoint: it holds \(checkpoint.size) records (seq 0 to size - 1)")
        }
        let cache = try MerkleCache.open(for: paths, context: context)
        defer { cache.showNotices(context) }
        if let refusal = try refusal(of: checkpoint, by: cache) {
            context.warn("no bundle: \(refusal.kind.rawValue): \(refusal.message); run `ledger verify --checkpoint`")
            return .integrityFailure
        }
        let bundle = try makeBundle(seq: seq, document: document, cache: cache)
        try OutputFile.emit(bundle.document, arguments: arguments, context: context,
                            what: "inclusion proof of record \(seq) in \(Format.grouped(checkpoint.size)) records")
        return .success
    }

    /// Why the log cannot be proven against this checkpoint, or nil.
    static func refusal(of checkpoint: Checkpoint, by cache: MerkleCache) throws(CLIError) -> VerifyFailure? {
        let origin = try cache.origin()
        guard origin == checkpoint.origin else {
            let message = "the checkpoint is for \"\(checkpoint.origin)\" but this ledger is \"\(origin)\""
            return CheckpointCheck.failure(.originMismatch, seq: nil, message)
        }
        guard checkpoint.size <= cache.recordCount else {
            return CheckpointCheck.failure(.truncated, seq: cache.recordCount,
                                           "the checkpoint has \(checkpoint.size) records but the log has only \(cache.recordCount)")
        }
        let matches: Bool?
        do {
            matches = try cache.retryingAfterRebuild("its tree head differs from the checkpoint's") { cache throws(MerkleCacheError) in
                try cache.treeHead(size: checkpoint.size) == checkpoint.root ? true : nil
            }
        } catch {
            throw CLIError(error)
        }
        guard matches == nil else { return nil }
        return CheckpointCheck.failure(.forked, seq: checkpoint.size - 1,
                                       "the log's first \(checkpoint.size) records do not have the checkpoint's tree head")
    }

    /// The bundle, with a proof that verifies against the checkpoint (rebuilding the cache once
    /// if it does not: the checkpoint's tree head already matched the cache's).
    static func makeBundle(seq: UInt64, document: CheckpointDocument, cache: MerkleCache) throws(CLIError) -> InclusionBundle {
        let checkpoint = document.checkpoint
        let found: ([UInt8], [SHA256Digest])?
        do {
            found = try cache.retryingAfterRebuild("a proof from it did not verify") { cache throws(MerkleCacheError) in
                let line: [UInt8], record: Record
                do throws(MerkleCacheError) {
                    (line, record) = try cache.record(seq: seq)
                } catch {
                    guard case .cacheDisagrees = error else { throw error }
                    return nil
                }
                let proof = try cache.inclusionProof(index: seq, size: checkpoint.size)
                do {
                    try Merkle.verifyInclusion(leafHash: RecordLeaf.hash(record.hash), index: seq, size: checkpoint.size,
                                               proof: proof, root: checkpoint.root)
                } catch {
                    return nil
                }
                return (line, proof)
            }
        } catch {
            throw CLIError(error)
        }
        guard let (line, proof) = found else {
            throw CLIError(message: "the proof cache and the log disagree even after a rebuild; run `ledger verify`", exitCode: .notALedger)
        }
        guard let note = document.note else { preconditionFailure("a bundle is made from a signed checkpoint") }
        return InclusionBundle(record: line, index: seq, treeSize: checkpoint.size, proof: proof,
                               checkpoint: String(decoding: note.bytes, as: UTF8.self))
    }
}

/// An inclusion bundle (Specs/proofs.md, section 7): canonical JSON, one object, then "\n".
struct InclusionBundle {
    static let format = "ledger.inclusion-bundle.v1"
    static let members = ["checkpoint", "format", "index", "proof", "record", "tree_size"]
    static let proofCountMax = 64
    /// A record line, a signed note, the proof and the JSON around them, escapes included.
    static let limits = JSONLimits(inputBytesMax: 1 << 19, depthMax: 2, stringBytesMax: SignedNote.byteCountMax,
                                   keyBytesMax: 16, arrayCountMax: proofCountMax, memberCountMax: 16)

    /// The record's line exactly as stored, without its newline.
    let record: [UInt8]
    let index: UInt64
    let treeSize: UInt64
    let proof: [SHA256Digest]
    /// The signed note: checkpoint, blank line, signature lines.
    let checkpoint: String

    var document: String {
        let object = JSONObject([
            ("checkpoint", .string(checkpoint)), ("format", .string(Self.format)), ("index", .integer(Int64(index))),
            ("proof", .array(proof.map { .string(Base64.encode($0.bytes)) })),
            ("record", .string(String(decoding: record, as: UTF8.self))), ("tree_size", .integer(Int64(treeSize))),
        ])
        return String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self) + "\n"
    }

    /// Parses a bundle document strictly; the error says what is malformed.
    static func parse(_ bytes: [UInt8]) throws(BundleError) -> InclusionBundle {
        let body = bytes.last == 0x0A ? Array(bytes.dropLast()) : bytes
        let value: JSONValue
        do { value = try CanonicalJSON.decode(body, mode: .canonical, limits: limits) } catch {
            throw .malformed("not canonical JSON: \(error)")
        }
        guard let object = value.objectValue, object.keys == members else {
            throw .malformed("a bundle is an object with exactly the members \(members.joined(separator: ", "))")
        }
        guard object["format"]?.stringValue == format else { throw .malformed("\"format\" is not \"\(format)\"") }
        guard let index = object["index"]?.integerValue, index >= 0 else { throw .malformed("\"index\" is not a non-negative integer") }
        guard let size = object["tree_size"]?.integerValue, size >= 0 else { throw .malformed("\"tree_size\" is not a non-negative integer") }
        guard let record = object["record"]?.stringValue, let checkpoint = object["checkpoint"]?.stringValue else {
            throw .malformed("\"record\" and \"checkpoint\" must be strings")
        }
        guard let hashes = object["proof"]?.arrayValue else { throw .malformed("\"proof\" is not an array") }
        var proof: [SHA256Digest] = []
        for (position, hash) in hashes.enumerated() {
            guard let text = hash.stringValue, let decoded = Base64.decode(text), decoded.count == SHA256Digest.byteCount else {
                throw .malformed("proof hash \(position + 1) is not the base64 of 32 bytes")
            }
            proof.append(SHA256Digest(bytes: decoded))
        }
        return InclusionBundle(record: Array(record.utf8), index: UInt64(index), treeSize: UInt64(size), proof: proof,
                               checkpoint: checkpoint)
    }
}

enum BundleError: Error, CustomStringConvertible {
    case malformed(String)

    var description: String {
        switch self {
        case .malformed(let reason): reason
        }
    }
}
