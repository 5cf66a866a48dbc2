#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerDomain

/// Folds the projections on a thread of their own while the caller checks the same records
/// against the rules: the two folds are independent (the projections only read records the
/// rules accepted), so a rebuild on two cores runs them side by side. Records are handed over
/// in batches, in log order; `finish` waits for the last one and gives the projections back. At
/// most `batchesMax` batches wait: if the projections fall behind, the rules wait for them
/// (memory stays bounded).
final class ViewsWorker: @unchecked Sendable {
    static let batchSize = 4_096
    static let batchesMax = 4
    /// The first batch's size; each next one is twice as large, up to `batchSize`. An append
    /// onto a snapshot 7,200 records behind handed its first batch over after 4,096 records of
    /// the rules' replay, so the projections started half-way and the save waited for them.
    static let firstBatchSize = 256

    private var views: Projections
    private var queue: [[(Record, Bool)]] = []
    private var pending: [(Record, Bool)] = []
    private var pendingMax = ViewsWorker.firstBatchSize
    private var closed = false
    private var finished = false
    private var mutex = pthread_mutex_t()
    private var ready = pthread_cond_t()
    private var drained = pthread_cond_t()
    private var thread: pthread_t?

    /// Started by `loading`: read on the worker's thread before the first record is folded.
    private var load: (@Sendable () throws -> Projections)?
    /// Why `load` failed, if it did (the records handed over are then not folded).
    private(set) var loadFailure: (any Error)?

    convenience init(_ views: Projections) { self.init(views: views, load: nil) }

    /// A worker that first reads the projections with `load`, on its own thread, while the
    /// caller goes on (a large append's are read from their file while its rules run).
    convenience init(loading load: @escaping @Sendable () throws -> Projections) { self.init(views: Projections(), load: load) }

    private init(views: Projections, load: (@Sendable () throws -> Projections)?) {
        self.views = views
        self.load = load
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&ready, nil)
        pthread_cond_init(&drained, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, nil, { context in
            Unmanaged<ViewsWorker>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context) == 0 {
            self.thread = thread
        } else {
            Unmanaged<ViewsWorker>.fromOpaque(context).release()   // no thread: `finish` folds here
        }
    }

    deinit {
        pthread_cond_destroy(&ready)
        pthread_cond_destroy(&drained)
        pthread_mutex_destroy(&mutex)
    }

    /// Queues a record the rules accepted; `counted` as in `Projections.apply`.
    func apply(_ record: Record, counted: Bool) {
        pending.append((record, counted))
        if pending.count >= pendingMax {
            handOver()
            pendingMax = min(2 * pendingMax, Self.batchSize)
        }
    }

    /// The projections after every queued record (the thread is joined on the first call).
    func finish() -> Projections {
        if finished { return views }
        finished = true
        handOver()
        pthread_mutex_lock(&mutex)
        closed = true
        pthread_cond_signal(&ready)
        pthread_mutex_unlock(&mutex)
        if let thread { pthread_join(thread, nil) } else { drain() }
        return views
    }

    private func handOver() {
        guard !pending.isEmpty else { return }
        pthread_mutex_lock(&mutex)
        while thread != nil && queue.count >= Self.batchesMax { pthread_cond_wait(&drained, &mutex) }
        queue.append(pending)
        pthread_cond_signal(&ready)
        pthread_mutex_unlock(&mutex)
        pending = []
    }

    private func run() {
        loadIfAny()
        while true {
            pthread_mutex_lock(&mutex)
            while queue.isEmpty && !closed { pthread_cond_wait(&ready, &mutex) }
            let batches = queue
            queue = []
            let done = closed
            pthread_cond_signal(&drained)
            pthread_mutex_unlock(&mutex)
            fold(batches)
            if done && batches.isEmpty { return }
        }
    }

    private func drain() {
        fold(queue)
        queue = []
    }

    private func loadIfAny() {
        guard let load else { return }
        self.load = nil
        do { views = try load() } catch { loadFailure = error }
    }

    private func fold(_ batches: [[(Record, Bool)]]) {
        loadIfAny()   // here when there is no thread (`drain`)
        guard loadFailure == nil else { return }
        for batch in batches {
            // By index: `for (record, counted) in batch` copied (retained) each record first.
            for index in batch.indices { views.apply(batch[index].0, counted: batch[index].1) }
        }
    }
}
