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

    final class Job: @unchecked Sendable {
        let part: Int
        let work: (Int) -> Void
        init(part: Int, work: @escaping (Int) -> Void) {
            self.part = part
            self.work = work
        }
    }

    public static func run(parts: Int, _ work: @escaping (Int) -> Void) {
        precondition(parts >= 1, "at least one part")
        var threads: [pthread_t] = []
        for part in 1..<parts {
            let job = Unmanaged.passRetained(Job(part: part, work: work)).toOpaque()
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { context in
                let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
                job.work(job.part)
                return nil
            }, job)
            if created == 0 {
                threads.append(thread)
            } else {
                // No thread to be had: do that part here.
                Unmanaged<Job>.fromOpaque(job).takeRetainedValue().work(part)
            }
        }
        work(0)
        for thread in threads { pthread_join(thread, nil) }
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
