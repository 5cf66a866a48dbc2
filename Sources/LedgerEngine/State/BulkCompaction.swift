import LedgerCrypto
import LedgerStorage

extension BulkFile {
    /// Step 2 of `write` (the upper files merged into a new lower one) begun when a large batch
    /// begins, on a thread of its own beside the batch's rules. That step depends on the two
    /// files only, not on the batch, and on a large fund it is most of the save after the batch
    /// (a lower file of 140 MB rewritten: 0.6 s of the 1.7 s a batch of 100,000 gifts took).
    ///
    /// It changes nothing that is read meanwhile: it writes a new file, which no core names until
    /// the save takes it (`take`); a batch refused, or a save that does not need it, removes the
    /// file (`finish`). A problem of the old files is not reported from here: the save, which
    /// then does the step itself, meets it and reports it as it always did.
    final class Compaction: @unchecked Sendable {
        private let source: BulkFile
        private let paths: LedgerPaths
        private var merging: ParallelWork.Started?
        /// Written by the thread, read after it is joined.
        private var merged: BulkFile?
        /// Whether a save asked for the new file: it then names it, or removes what it does not name.
        private var consulted = false

        private init(source: BulkFile, paths: LedgerPaths) {
            (self.source, self.paths) = (source, paths)
        }

        /// Begins the step for a state about to take `events` more events, if the save after
        /// them will need it: a batch large enough for its save to write a new base, whose
        /// changed entries (at least one row an event) will fit in no upper file.
        static func begin(for state: LedgerState, events: Int, paths: LedgerPaths, policy: Ledger.SnapshotPolicy) -> Compaction? {
            let changed = state.recentBulkEntries + events
            guard policy.isEnabled, events >= LedgerWriter.chunkRecords, let base = state.base, base.files.count > 1,
                  changed > policy.baseEntriesMax,
                  placement(ofRows: changed, onto: base.files.map(\.rowCount), policy) == nil else { return nil }
            let compaction = Compaction(source: base, paths: paths)
            compaction.start()
            return compaction
        }

        private func start() { merging = ParallelWork.Started { self.merged = self.merge() } }

        private func merge() -> BulkFile? {
            guard let directory = try? ViewsFile.snapshotDirectory(paths) else { return nil }
            return try? BulkFile.mergedUpper(of: source, directory, paths, damaged: { _ in })
        }

        /// The new lower file, once made, if it was made from `base` (a fold that started again
        /// from the log has another base, and the save does the step itself).
        func take(for base: BulkFile) -> BulkFile? {
            merging?.join()
            consulted = true
            return base === source ? merged : nil
        }

        /// Waits for the step and removes its file unless a save asked for it (a save that did
        /// the step itself wrote a file of the same name, which its core names). Once is enough.
        func finish() {
            merging?.join()
            guard !consulted, let merged, let directory = try? ViewsFile.snapshotDirectory(paths) else { return }
            try? directory.removeFile(BulkFile.name(lower: merged.key.lower.records))
            self.merged = nil
        }
    }
}
