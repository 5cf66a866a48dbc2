#if canImport(Glibc)
import Glibc
#endif
import LedgerCore

/// Streams the complete lines of a log file through a fixed buffer: memory stays bounded by the
/// buffer, whatever the size of the log.
public struct LogScanner {
    /// What followed the last complete line.
    public struct Ending: Sendable, Equatable {
        /// Bytes after the last newline (a torn tail), and where they start.
        public var tornBytes: UInt64
        public var tornOffset: UInt64
        /// Total bytes of complete lines.
        public var completeBytes: UInt64
    }

    /// One line too long to be a record, found before the end of the file.
    public struct OversizeLine: Error, Sendable { public let offset: UInt64; public let lineNumber: UInt64 }

    public static let bufferBytes = 4 << 20
    /// The most lines a batch holds (a fill of short lines is cut into several batches). `verify`
    /// holds three batches decoded at once: at 16,384 lines (11,000 of a fund's lines fill the
    /// buffer) it peaked 9 MB higher on the 1.64M-record fund, and took no less time.
    public static let linesPerBatchMax = 4_096

    /// Calls `body` with each complete line (without its newline) and its byte offset, starting at
    /// `offset`, until `body` returns false or the file ends. A line longer than the record limit is
    /// reported as `OversizeLine` (or, at the very end without a newline, as part of the torn tail).
    public static func scan(path: String, from offset: UInt64 = 0,
                            _ body: (UnsafeRawBufferPointer, UInt64) -> Bool) throws -> Ending {
        try scan(file: try SystemFile(path: path, flags: O_RDONLY), from: offset, body)
    }

    /// `scan` over a file already open (a writer's log, opened once under its lock).
    public static func scan(file: borrowing SystemFile, from offset: UInt64 = 0,
                            _ body: (UnsafeRawBufferPointer, UInt64) -> Bool) throws -> Ending {
        try scanBatches(file: file, from: offset) { batch in
            for (index, line) in batch.lines.enumerated() {
                if !body(UnsafeRawBufferPointer(rebasing: batch.buffer[line]), batch.offsets[index]) {
                    return batch.offsets[index] + UInt64(line.count + 1)
                }
            }
            return nil
        }
    }

    /// The complete lines found in one fill of the buffer. Sendable by hand: the buffer is only
    /// read, and only while `scanBatches` is calling `body`.
    public struct Batch: @unchecked Sendable {
        public let buffer: UnsafeRawBufferPointer
        /// Each line's bytes in `buffer`, without the newline.
        public let lines: [Range<Int>]
        /// Each line's offset in the file.
        public let offsets: [UInt64]
    }

    /// Like `scan`, a buffer at a time: `body` gets every complete line of one fill (a few MiB)
    /// and returns nil to go on, or the number of complete bytes read when it stops.
    public static func scanBatches(path: String, from offset: UInt64 = 0, linesPerBatch: Int = linesPerBatchMax,
                                   _ body: (Batch) -> UInt64?) throws -> Ending {
        try scanBatches(file: try SystemFile(path: path, flags: O_RDONLY), from: offset, linesPerBatch: linesPerBatch, body)
    }

    /// `scanBatches` over a file already open.
    public static func scanBatches(file: borrowing SystemFile, from offset: UInt64 = 0, linesPerBatch: Int = linesPerBatchMax,
                                   _ body: (Batch) -> UInt64?) throws -> Ending {
        precondition(linesPerBatch >= 1, "a batch holds a line at least")
        let fileSize = try file.size()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferBytes, alignment: 64)
        defer { buffer.deallocate() }
        var bufferStart = offset      // file offset of buffer[0]
        var filled = 0                // valid bytes in the buffer
        var lineNumber: UInt64 = 0
        while true {
            let got = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
                                    at: bufferStart + UInt64(filled))
            filled += got
            var lineStart = 0
            // At most `linesPerBatchMax` lines a batch: a buffer of empty lines is millions of
            // them, and what a caller keeps per line (a decoded record) must stay bounded too.
            var isFull = true
            while isFull {
                var lines: [Range<Int>] = []
                var offsets: [UInt64] = []
                // Room for a whole batch at once: growing the arrays twice a batch cost
                // allocations the size of the batch, on the thread that has no help.
                lines.reserveCapacity(linesPerBatch)
                offsets.reserveCapacity(linesPerBatch)
                while lines.count < linesPerBatch, let newline = memchr(buffer.baseAddress! + lineStart, 0x0A, filled - lineStart) {
                    let end = buffer.baseAddress!.distance(to: newline)
                    lineNumber += 1
                    if end - lineStart >= RecordCodec.lineBytesMax {
                        // Lines before the long one are still checked first: it is not the first failure otherwise.
                        if let stopped = body(Batch(buffer: UnsafeRawBufferPointer(buffer), lines: lines, offsets: offsets)) {
                            return Ending(tornBytes: 0, tornOffset: 0, completeBytes: stopped)
                        }
                        throw OversizeLine(offset: bufferStart + UInt64(lineStart), lineNumber: lineNumber)
                    }
                    lines.append(lineStart..<end)
                    offsets.append(bufferStart + UInt64(lineStart))
                    lineStart = end + 1
                }
                isFull = lines.count == linesPerBatch
                if let stopped = body(Batch(buffer: UnsafeRawBufferPointer(buffer), lines: lines, offsets: offsets)) {
                    return Ending(tornBytes: 0, tornOffset: 0, completeBytes: stopped)
                }
            }
            let rest = filled - lineStart
            if got == 0 {
                // The end of the file: whatever follows the last newline is a torn tail.
                let tornOffset = bufferStart + UInt64(lineStart)
                return Ending(tornBytes: UInt64(rest), tornOffset: tornOffset, completeBytes: tornOffset)
            }
            if rest >= RecordCodec.lineBytesMax {
                // No newline within a record's length: a torn tail if the file ends first, else an oversize line.
                return try skipOversize(file: file, start: bufferStart + UInt64(lineStart), fileSize: fileSize,
                                        lineNumber: lineNumber + 1)
            }
            memmove(buffer.baseAddress!, buffer.baseAddress! + lineStart, rest)
            bufferStart += UInt64(lineStart)
            filled = rest
        }
    }

    static func skipOversize(file: borrowing SystemFile, start: UInt64, fileSize: UInt64,
                             lineNumber: UInt64) throws -> Ending {
        var position = start
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while position < fileSize {
            let got = try chunk.withUnsafeMutableBytes { try file.read(into: $0, at: position) }
            if got == 0 { break }
            if chunk[0..<got].contains(0x0A) { throw OversizeLine(offset: start, lineNumber: lineNumber) }
            position += UInt64(got)
        }
        return Ending(tornBytes: fileSize - start, tornOffset: start, completeBytes: start)
    }
}
