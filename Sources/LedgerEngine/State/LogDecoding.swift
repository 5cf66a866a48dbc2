#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerStorage
import Synchronization

/// Decodes a range of the log on every core while the caller folds it: blocks of whole lines
/// are read in order; each block is decoded (split between the cores) while the caller applies
/// the block before it. Decoding a line is most of the cost of a fold, so a rebuild on two cores
/// takes about the time of the fold alone. Memory stays bounded by two blocks.
///
/// Plain threads, not Dispatch: on Linux `concurrentPerform` kept work on one core and stalled
/// under a one-core CPU affinity (see LedgerCrypto's ParallelWork, which verify uses).
enum LogDecoding {
    static let blockBytes = 4 << 20
    /// A short range (an append's tail past its snapshot) is read in eighths, so that its rules
    /// apply one block while the next decodes, not after all of it; never in blocks shorter
    /// than the longest line a record may have (a block starts at a line's start).
    static func blockBytes(for range: UInt64) -> Int {
        Int(min(UInt64(blockBytes), max(UInt64(RecordCodec.lineBytesMax), range / 8)))
    }
    static let cores: Int = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// One decoded line: its offset and length in the log, and the record (nil if the line does
    /// not decode: the caller reports it at its place, in order).
    struct Line: Sendable {
        let offset: UInt64
        let length: Int
        let record: Record?
    }

    /// Reads into `buffer` the bytes of the log from an offset, as far as the log goes (up to
    /// `buffer.count`); returns how many it read.
    typealias Read = (UInt64, UnsafeMutableRawBufferPointer) throws(StorageError) -> Int

    /// The blocks' buffers, reused from block to block: a block read into a new array faulted
    /// in every 4 KiB page of it (a rebuild reads 600 MB, and its reads were a third of its
    /// page faults). A freed block gives its buffer back, on whichever thread frees it.
    final class Buffers: Sendable {
        let size: Int
        private let free = Mutex<[[UInt8]]>([])

        init(size: Int) { self.size = size }

        func take() -> [UInt8] {
            free.withLock { $0.popLast() } ?? [UInt8](repeating: 0, count: size)
        }

        func give(_ buffer: [UInt8]) {
            guard buffer.count == size else { return }   // a block that read nothing had none
            free.withLock { $0.append(buffer) }
        }
    }

    /// A block of whole lines, read and then decoded on a thread of its own: the caller waits
    /// for its bytes (`waitForBytes`), to know where the next block starts, then for its
    /// records (`lines`). Reading 600 MB was 140 ms of a rebuild's thread of rules, the thread
    /// it waits for.
    final class Block: @unchecked Sendable {
        let base: UInt64
        private let buffers: Buffers
        /// The block's lines are `buffer[0..<count]`, the rest of it unused.
        private var buffer: [UInt8] = []
        private var count = 0
        private var readFailure: (any Error)?
        private let bytesRead = Latch()
        private var parts: [[Line]] = []
        private var thread: ParallelWork.Started?

        /// Starts reading at most `wanted` bytes at `base` with `read`, then decoding them, on a
        /// thread of its own (here, if no thread can be had), after freeing `retired` there: a
        /// block the caller has folded, whose records would otherwise be freed on the caller's
        /// thread (150 ms of a rebuild's 2.5 s there).
        init(at base: UInt64, wanted: Int, buffers: Buffers, read: @escaping Read, freeing retired: consuming Block?) {
            self.base = base
            self.buffers = buffers
            let retired = Retired(retired)
            thread = ParallelWork.Started {
                retired.free()
                self.read(wanted, with: read)
                if self.readFailure == nil { self.decode() }
            }
        }

        deinit { buffers.give(buffer) }

        /// The bytes of the block's whole lines: the bytes up to its last line end, or the failure
        /// (`OversizeLine` if it read no line end).
        private func read(_ wanted: Int, with read: Read) {
            buffer = buffers.take()
            do {
                let got = try buffer.withUnsafeMutableBytes { (raw) throws(StorageError) -> Int in
                    try read(base, UnsafeMutableRawBufferPointer(rebasing: raw[..<wanted]))
                }
                guard let last = buffer[..<got].lastIndex(of: 0x0A) else { throw OversizeLine(offset: base) }
                count = last + 1
            } catch {
                readFailure = error
            }
            bytesRead.open()
        }

        /// How many bytes of whole lines the block holds, once read (the failure to read them is
        /// thrown once the thread is joined).
        func waitForBytes() throws -> Int {
            bytesRead.wait()
            if let readFailure {
                thread?.join()
                throw readFailure
            }
            return count
        }

        /// The decoded lines, in order (waits for the block's thread).
        func lines() -> [[Line]] {
            thread?.join()
            return parts
        }

        /// The block's lines' bytes.
        func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }

        /// Splits the lines between the cores: this thread takes the first part.
        private func decode() {
            let starts = withBytes { LogDecoding.lineStarts($0) }
            let count = starts.count - 1
            let partCount = max(1, min(LogDecoding.cores, count / 256))
            let results = (0..<partCount).map { _ in Part() }
            ParallelWork.run(parts: partCount) { part in
                Job(block: self, starts: starts, part: part, of: partCount, into: results[part]).run()
            }
            parts = results.map(\.lines)
        }
    }

    /// Open once, waited for by another thread: what the latter reads after `wait` was written
    /// before `open`.
    final class Latch: @unchecked Sendable {
        private var isOpen = false
        private var mutex = pthread_mutex_t()
        private var opened = pthread_cond_t()

        init() {
            pthread_mutex_init(&mutex, nil)
            pthread_cond_init(&opened, nil)
        }

        deinit {
            pthread_cond_destroy(&opened)
            pthread_mutex_destroy(&mutex)
        }

        func open() {
            pthread_mutex_lock(&mutex)
            isOpen = true
            pthread_cond_broadcast(&opened)
            pthread_mutex_unlock(&mutex)
        }

        func wait() {
            pthread_mutex_lock(&mutex)
            while !isOpen { pthread_cond_wait(&opened, &mutex) }
            pthread_mutex_unlock(&mutex)
        }
    }

    final class Part: @unchecked Sendable { var lines: [Line] = [] }

    /// A folded block handed to another thread to be freed; held by nothing else by then.
    final class Retired: @unchecked Sendable {
        private var block: Block?

        init(_ block: consuming Block?) { self.block = block }

        func free() { block = nil }
    }

    final class Job: @unchecked Sendable {
        let block: Block
        let starts: [Int]
        let range: Range<Int>
        let result: Part

        init(block: Block, starts: [Int], part: Int, of parts: Int, into result: Part) {
            let count = starts.count - 1
            self.block = block
            self.starts = starts
            self.range = ParallelWork.range(of: part, parts: parts, count: count)
            self.result = result
        }

        func run() {
            result.lines = block.withBytes { raw in
                StringCache.with { strings in range.map { index in
                    let line = UnsafeRawBufferPointer(rebasing: raw[starts[index]..<(starts[index + 1] - 1)])
                    return Line(offset: block.base + UInt64(starts[index]), length: line.count,
                                record: try? RecordCodec.decode(line: line, strings: strings).record)
                } }
            }
        }
    }

    static func lineStarts(_ raw: UnsafeRawBufferPointer) -> [Int] {
        var starts = [0]
        var index = 0
        while index < raw.count, let newline = memchr(raw.baseAddress! + index, 0x0A, raw.count - index) {
            index = raw.baseAddress!.distance(to: UnsafeRawPointer(newline)) + 1
            starts.append(index)
        }
        return starts
    }

    /// A block without a line end: a line longer than a record.
    struct OversizeLine: Error { let offset: UInt64 }

    /// Calls `body` with every complete line in `[start, end)`, in order, until it returns false.
    static func forEach(path: String, from start: UInt64, to end: UInt64, _ body: (Line) -> Bool) throws {
        let file = try SystemFile(path: path, flags: O_RDONLY)
        try forEach(reading: { offset, buffer throws(StorageError) in try file.read(into: buffer, at: offset) }, from: start, to: end, body)
    }

    /// `forEach` of the bytes `read` gives (`LedgerWriter.readLog`: the writer's own descriptor).
    /// While the caller folds a block, the next two are read and decoded on the other cores: with
    /// one, the cores sat idle whenever a block folded faster or slower than the next decoded (a
    /// rebuild used 1.67 of its 2 cores). A read that fails is thrown after the lines before it.
    static func forEach(reading read: Read, from start: UInt64, to end: UInt64, _ body: (Line) -> Bool) throws {
        let buffers = Buffers(size: Self.blockBytes(for: end > start ? end - start : 0))
        // The threads read with `read`, and are all joined before this returns.
        try withoutActuallyEscaping(read) { read in
            var last: Block?
            var failure: (any Error)?
            /// The block after the last one started, if the range goes on and every read so far
            /// succeeded; its thread first frees `retired`.
            func startNext(freeing retired: consuming Block?) -> Block? {
                guard failure == nil else { return nil }
                do {
                    let position = try last.map { $0.base + UInt64(try $0.waitForBytes()) } ?? start
                    guard position < end else { return nil }
                    last = Block(at: position, wanted: Int(min(UInt64(buffers.size), end - position)), buffers: buffers, read: read,
                                 freeing: retired)
                    return last
                } catch {
                    failure = error
                    return nil
                }
            }
            /// Started and not yet folded, in log order: the one being folded and two after it.
            var waiting = [startNext(freeing: nil)].compactMap { $0 }
            if let second = startNext(freeing: nil) { waiting.append(second) }
            /// The block folded last, freed by the next block's thread.
            var folded: Block?
            while !waiting.isEmpty {
                if let next = startNext(freeing: folded.take()) { waiting.append(next) }
                let folding = waiting.removeFirst()
                for part in folding.lines() {
                    for line in part where !body(line) {
                        for block in waiting { _ = block.lines() }
                        return
                    }
                }
                folded = folding
            }
            if let failure { throw failure }
        }
    }
}
