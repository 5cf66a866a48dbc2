#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto

/// `ledger init`: a new directory with a log holding only the genesis record.
public enum LedgerCreation {
    /// Writes the genesis record to a temporary file, fsyncs it, renames it into place and
    /// fsyncs the directory: a crash leaves either no ledger or a whole one. The temporary file
    /// and the lock file are created exclusively in the directory (`DirectoryHandle`), never
    /// through a link. With a signer, the genesis is a version-2 record naming the signer's key
    /// and signed by it (Specs/log-format.md, section 10); without one, a version-1 record.
    public static func create(paths: LedgerPaths, genesis: Genesis, actor: String, clock: any Clock,
                              effective: CalendarDate? = nil, signer: AppendSigner? = nil) throws(StorageError) -> Record {
        precondition(genesis.key == signer?.publicKey.bytes && (signer != nil || !genesis.isSimulated),
                     "a version-2 genesis names its signer's key (and only it may say its clock is simulated)")
        let temporary = LedgerPaths.Name.log + ".new"
        let existed = Directory.exists(paths.directory)
        if existed {
            // An interrupted init leaves at most its temporary log and the lock file: start again.
            guard try Directory.isEmpty(paths.directory, ignoring: [temporary, LedgerPaths.Name.lock]),
                  !Directory.fileExists(paths.log) else { throw .alreadyExists(path: paths.directory) }
        } else {
            try Directory.create(paths.directory)
        }
        let directory = try DirectoryHandle(path: paths.directory)
        if existed { try directory.removeFile(temporary) }
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
        do throws(StorageError) {
            let file = try directory.createFile(temporary)
            try file.write(line, at: 0)
            try file.sync()
        } catch {
            try? directory.removeFile(temporary)
            throw error
        }
        _ = try LockFile.open(in: directory)
        try directory.rename(temporary, to: LedgerPaths.Name.log)
        try directory.sync()
        return record
    }
}
