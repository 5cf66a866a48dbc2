#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerJSON
import LedgerStorage

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

    /// A block of whole lines and, once its thread is joined, their decoded records.
    final class Block: @unchecked Sendable {
        let bytes: [UInt8]
        let base: UInt64
        var parts: [[Line]] = []
        var decoding: ParallelWork.Started?

        init(bytes: [UInt8], base: UInt64) {
            self.bytes = bytes
            self.base = base
        }

        /// Starts decoding on a thread of its own (here, if no thread can be had).
        func start() { decoding = ParallelWork.Started { self.decode() } }

        /// The decoded lines, in order (waits for the decoding thread).
        func lines() -> [[Line]] {
            decoding?.join()
            return parts
        }

        /// Splits the lines between the cores: this thread takes the first part.
        func decode() {
            let starts = LogDecoding.lineStarts(bytes)
            let count = starts.count - 1
            let partCount = max(1, min(LogDecoding.cores, count / 256))
            let results = (0..<partCount).map { _ in Part() }
            ParallelWork.run(parts: partCount) { part in
                Job(block: self, starts: starts, part: part, of: partCount, into: results[part]).run()
            }
            parts = results.map(\.lines)
        }
    }

    final class Part: @unchecked Sendable { var lines: [Line] = [] }

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
            result.lines = block.bytes.withUnsafeBytes { raw in
                StringCache.with { strings in range.map { index in
                    let line = UnsafeRawBufferPointer(rebasing: raw[starts[index]..<(starts[index + 1] - 1)])
                    return Line(offset: block.base + UInt64(starts[index]), length: line.count,
                                record: try? RecordCodec.decode(line: line, strings: strings).record)
                } }
            }
        }
    }

    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBytes { raw in
            var starts = [0]
            var index = 0
            while index < raw.count, let newline = memchr(raw.baseAddress! + index, 0x0A, raw.count - index) {
                index = raw.baseAddress!.distance(to: UnsafeRawPointer(newline)) + 1
                starts.append(index)
            }
            return starts
        }
    }

    /// A block without a line end: a line longer than a record.
    struct OversizeLine: Error { let offset: UInt64 }

    /// Calls `body` with every complete line in `[start, end)`, in order, until it returns false.
    static func forEach(path: String, from start: UInt64, to end: UInt64, _ body: (Line) -> Bool) throws {
        let file = try SystemFile(path: path, flags: O_RDONLY)
        try forEach(reading: { offset, count throws(StorageError) in try file.read(at: offset, count: count) }, from: start, to: end, body)
    }

    /// `forEach` of the bytes `read` gives (`LedgerWriter.readLog`: the writer's own descriptor).
    static func forEach(reading read: (UInt64, Int) throws(StorageError) -> [UInt8], from start: UInt64, to end: UInt64,
                        _ body: (Line) -> Bool) throws {
        var position = start
        let blockBytes = Self.blockBytes(for: end > start ? end - start : 0)
        var pending: Block?
        defer { _ = pending?.lines() }
        while true {
            var next: Block?
            if position < end {
                var bytes = try read(position, Int(min(UInt64(blockBytes), end - position)))
                guard let last = bytes.lastIndex(of: 0x0A) else { throw OversizeLine(offset: position) }
                bytes.removeLast(bytes.count - last - 1)
                next = Block(bytes: bytes, base: position)
                next!.start()
                position += UInt64(bytes.count)
            }
            if let current = pending {
                for part in current.lines() {
                    for line in part where !body(line) {
                        _ = next?.lines()
                        pending = nil
                        return
                    }
                }
            }
            guard let next else { return }
            pending = next
        }
    }
}
