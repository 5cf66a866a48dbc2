#if canImport(Glibc)
import Glibc
#endif

/// Runs `work(0..<parts)` on `parts` threads (the caller's thread takes part 0) and waits for all.
/// Here, in the lowest module, because batch verification of signatures needs it as much as the
/// writer, the verifier and the engine above.
/// Plain threads rather than Dispatch: on Linux, `concurrentPerform` kept verify on one core, and
/// under a one-core CPU affinity it stalled for seconds between batches.
public enum ParallelWork {
    public static let cores: Int = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Work begun on a thread of its own while the caller goes on; `join` waits for it. Without
    /// a thread to be had, the work is done at once, on the caller's thread. Every thread of the
    /// project starts here but the projections' worker, which waits on its queue.
    public final class Started: @unchecked Sendable {
        private var thread: pthread_t?

        public init(_ work: @escaping () -> Void) {
            let job = Unmanaged.passRetained(Job(work)).toOpaque()
            var thread = pthread_t()
            if pthread_create(&thread, nil, { context in
                Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().work()
                return nil
            }, job) == 0 {
                self.thread = thread
            } else {
                Unmanaged<Job>.fromOpaque(job).takeRetainedValue().work()
            }
        }

        /// Waits for the work; once joined, returns at once.
        public func join() {
            if let thread { pthread_join(thread, nil) }
            thread = nil
        }
    }

    final class Job: @unchecked Sendable {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    public static func run(parts: Int, _ work: @escaping (Int) -> Void) {
        precondition(parts >= 1, "at least one part")
        let others = (1..<parts).map { part in Started { work(part) } }
        work(0)
        for other in others { other.join() }
    }

    /// `transform` of every index of `0..<count`, in order, each part's range on a thread of its
    /// own (`parts` threads). For work that needs no state of its thread.
    public static func map<T>(count: Int, parts: Int, _ transform: @escaping (Int) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: count) { storage, initialized in
            // Each part initializes its own range of the storage; all are joined before it is read.
            let results = storage
            run(parts: parts) { part in
                for index in range(of: part, parts: parts, count: count) { (results.baseAddress! + index).initialize(to: transform(index)) }
            }
            initialized = count
        }
    }

    /// Part `part` of `parts` near-equal contiguous ranges of `0..<count`: the items a part takes.
    public static func range(of part: Int, parts: Int, count: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }
}
