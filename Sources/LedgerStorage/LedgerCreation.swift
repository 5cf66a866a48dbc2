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
    /// through a link.
    public static func create(paths: LedgerPaths, genesis: Genesis, actor: String, clock: any Clock,
                              effective: CalendarDate? = nil) throws(StorageError) -> Record {
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
        let (line, record) = RecordCodec.encode(draft: draft, seq: 0, prev: .zero, recordedAt: now,
                                                effective: effective ?? now.date)
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
