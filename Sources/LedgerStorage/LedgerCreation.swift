#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto

/// `ledger init`: a new directory with a log holding only the genesis record.
public enum LedgerCreation {
    /// Writes the genesis record to a temporary file, fsyncs it, renames it into place and
    /// fsyncs the directory: a crash leaves either no ledger or a whole one.
    /// With a signer, the genesis is a version-2 record naming the signer's key and signed by
    /// it (Specs/log-format.md, section 10); without one, a version-1 record.
    public static func create(paths: LedgerPaths, genesis: Genesis, actor: String, clock: any Clock,
                              effective: CalendarDate? = nil, signer: AppendSigner? = nil) throws(StorageError) -> Record {
        precondition(genesis.key == signer?.publicKey.bytes && (signer != nil || !genesis.isSimulated),
                     "a version-2 genesis names its signer's key (and only it may say its clock is simulated)")
        if Directory.exists(paths.directory) {
            // An interrupted init leaves at most its temporary log and the lock file: start again.
            guard try Directory.isEmpty(paths.directory, ignoring: ["log.jsonl.new", "ledger.lock"]),
                  !Directory.fileExists(paths.log) else { throw .alreadyExists(path: paths.directory) }
            unlink(paths.log + ".new")
        } else {
            try Directory.create(paths.directory)
        }
        let now = clock.now()
        let draft = RecordDraft(type: Record.genesisType, effective: effective ?? now.date, actor: actor,
                                payload: genesis.payload)
        var (line, record) = RecordCodec.encode(draft: draft, seq: 0, prev: .zero, recordedAt: now,
                                                effective: effective ?? now.date, version: signer == nil ? 1 : 2)
        if let signer {
            record = record.signed(signer.sign(firstSeq: 0, lastRecord: record))
            line = RecordCodec.line(of: record)
        }
        var verifier = ChainVerifier()
        let check = line.dropLast().withUnsafeBytes { verifier.accept(line: $0, offset: 0) }
        if case .failure(let failure) = check { throw .limit("the genesis record would be invalid: \(failure.message)") }
        let temporary = paths.log + ".new"
        do {
            let file = try SystemFile(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL)
            try file.write(line, at: 0)
            try file.sync()
        } catch {
            unlink(temporary)
            throw error
        }
        _ = try SystemFile(path: paths.lock, flags: O_RDWR | O_CREAT)
        try Directory.rename(temporary, paths.log)
        try Directory.sync(paths.directory)
        return record
    }
}
