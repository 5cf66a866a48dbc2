#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerJSON

extension LedgerWriter {
    /// The reading back of one encoded chunk of a batch, shared by whichever thread is free:
    /// the one that encoded it, and the caller's once it has checked the chunk before against
    /// the rules.
    ///
    /// Why: the encoder's thread encoded a chunk and read it all back while the caller's
    /// checked the rules of the chunk before. The two are not the same length (a batch from
    /// many donors spends more in the rules, one from a single donor less), so one thread waited
    /// for the other at every chunk (in a batch of 100,000 gifts, the caller's thread was off the
    /// processor for 45 % of that phase). Now the lines are read back in blocks, each taken by
    /// the first thread free.
    final class SharedReadBack: @unchecked Sendable {
        /// Lines read back per block: enough that taking a block costs nothing beside it.
        static let blockLines = 256

        private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let published = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        /// Set once, under the lock; read after it was seen set.
        private var chunk: EncodedChunk?
        private var results: UnsafeMutableBufferPointer<Bool> = .init(start: nil, count: 0)
        private var nextBlock = 0

        init() {
            pthread_mutex_init(lock, nil)
            pthread_cond_init(published, nil)
        }

        deinit {
            pthread_cond_destroy(published)
            pthread_mutex_destroy(lock)
            lock.deallocate()
            published.deallocate()
            results.deallocate()
        }

        /// The chunk to read back, from the thread that encoded it.
        func publish(_ encoded: EncodedChunk) {
            pthread_mutex_lock(lock)
            precondition(chunk == nil, "a chunk is published once")
            results = .allocate(capacity: encoded.entries.count)
            results.initialize(repeating: false)   // a line nobody read back is refused, never taken
            chunk = encoded
            pthread_cond_broadcast(published)
            pthread_mutex_unlock(lock)
        }

        /// Waits for the chunk, then reads back blocks of its lines until none is left.
        func help() {
            pthread_mutex_lock(lock)
            while chunk == nil { pthread_cond_wait(published, lock) }
            let chunk = chunk!
            pthread_mutex_unlock(lock)
            let results = results
            StringCache.with { strings in   // this thread's
                while let lines = claim(of: chunk.entries.count) {
                    LedgerWriter.readBack(chunk.entries[lines], in: chunk.bytes, strings: strings,
                                          into: UnsafeMutableBufferPointer(rebasing: results[lines]))
                }
            }
        }

        /// What each line read back as, once every thread that helped has been joined.
        var answers: [Bool] { Array(results) }

        private func claim(of count: Int) -> Range<Int>? {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            let start = nextBlock * Self.blockLines
            guard start < count else { return nil }
            nextBlock += 1
            return start..<min(start + Self.blockLines, count)
        }
    }
}
