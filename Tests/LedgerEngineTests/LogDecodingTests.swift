import Foundation
import LedgerCore
import LedgerStorage
import Synchronization
import Testing
@testable import LedgerEngine

/// The log read in blocks decoded ahead of the fold: every line once, in order, whatever the
/// blocks' size; a short range in eighths, so that a tail's rules overlap its decoding.
@Suite struct LogDecodingTests {
    @Test func aShortRangeIsReadInEighthsWithinBounds() {
        #expect(LogDecoding.blockBytes(for: 0) == RecordCodec.lineBytesMax)
        #expect(LogDecoding.blockBytes(for: 100_000) == RecordCodec.lineBytesMax)
        #expect(LogDecoding.blockBytes(for: 2_900_000) == 362_500)
        #expect(LogDecoding.blockBytes(for: 1 << 30) == 4 << 20)
    }

    /// Lines of every length from 1 to 400 bytes (none a record), 2 MB of them: read in blocks
    /// of 256 KB, each line comes once, at its offset and length, blocks cutting lines anywhere.
    @Test func everyLineComesOnceInOrderAcrossBlocks() throws {
        let (log, expected) = Self.lines()
        let read = Self.reader(log)
        var seen: [(UInt64, Int)] = []
        try LogDecoding.forEach(reading: read, from: 0, to: UInt64(log.count)) { line in
            #expect(line.record == nil)
            seen.append((line.offset, line.length))
            return true
        }
        #expect(seen.map(\.0) == expected.map(\.0) && seen.map(\.1) == expected.map(\.1))
        // From a line's start, stopping after ten lines.
        var stopped: [UInt64] = []
        try LogDecoding.forEach(reading: read, from: expected[1_000].0, to: UInt64(log.count)) { line in
            stopped.append(line.offset)
            return stopped.count < 10
        }
        #expect(stopped == expected[1_000..<1_010].map(\.0))
    }

    /// Reads `log` as a file would: as far as it goes.
    static func reader(_ log: [UInt8]) -> LogDecoding.Read {
        { offset, buffer throws(StorageError) in
            let count = min(buffer.count, log.count - Int(offset))
            log.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[Int(offset)..<(Int(offset) + count)])) }
            return count
        }
    }

    /// 2 MB of lines of 1 to 400 bytes (none a record), and each line's offset and length.
    static func lines() -> (log: [UInt8], lines: [(offset: UInt64, length: Int)]) {
        var log: [UInt8] = [], lines: [(offset: UInt64, length: Int)] = []
        var length = 1
        while log.count < 2_000_000 {
            lines.append((UInt64(log.count), length))
            log += [UInt8](repeating: UInt8(ascii: "a"), count: length) + [0x0A]
            length = length % 400 + 1
        }
        return (log, lines)
    }

    /// Each block is read on its own thread, into the buffer of the block three before it,
    /// which that thread freed first (two are read ahead of the one folded): eight blocks and
    /// more, read into three buffers (a new buffer for each block faulted in every page of it).
    @Test func blocksAreReadIntoFewBuffersReused() throws {
        let (log, lines) = Self.lines()
        let read = Self.reader(log)
        let buffers = Mutex<(reads: Int, addresses: Set<UInt>)>((0, []))
        var count = 0
        try LogDecoding.forEach(reading: { offset, buffer throws(StorageError) in
            buffers.withLock { $0.reads += 1; $0.addresses.insert(UInt(bitPattern: buffer.baseAddress)) }
            return try read(offset, buffer)
        }, from: 0, to: UInt64(log.count)) { _ in
            count += 1
            return true
        }
        #expect(count == lines.count)
        let (reads, addresses) = buffers.withLock { ($0.reads, $0.addresses.count) }
        #expect(reads >= 8)
        #expect((1...3).contains(addresses), "\(reads) blocks read into \(addresses) buffers")
    }

    /// A read that fails is thrown, once the lines of the blocks before it were handed over
    /// (their threads joined: nothing reads after `forEach` returns).
    @Test func aFailedReadIsThrownAfterTheLinesBeforeIt() throws {
        let (log, lines) = Self.lines()
        let read = Self.reader(log)
        let failure = StorageError.system(operation: "read", path: "log.jsonl", errno: EIO)
        var seen: [UInt64] = []
        let failedAt = Mutex<UInt64?>(nil)
        #expect(throws: failure) {
            try LogDecoding.forEach(reading: { offset, buffer throws(StorageError) in
                if offset >= 1_000_000 {
                    failedAt.withLock { $0 = $0 ?? offset }
                    throw failure
                }
                return try read(offset, buffer)
            }, from: 0, to: UInt64(log.count)) { line in
                seen.append(line.offset)
                return true
            }
        }
        // Every line of the blocks read, in order: all the lines before the failed block's first.
        let failed = try #require(failedAt.withLock { $0 })
        #expect(seen == lines.map(\.offset).filter { $0 < failed })
    }

    /// A block with no line end holds a line longer than a record: `OversizeLine`, at the block.
    @Test func aBlockWithoutALineEndIsAnOversizeLine() {
        let log = Array("first\n".utf8) + [UInt8](repeating: UInt8(ascii: "c"), count: RecordCodec.lineBytesMax + 10)
        var seen: [Int] = []
        do {
            try LogDecoding.forEach(reading: Self.reader(log), from: 0, to: UInt64(log.count)) { line in
                seen.append(line.length)
                return true
            }
            Issue.record("a line without an end was read")
        } catch let oversize as LogDecoding.OversizeLine {
            #expect(oversize.offset == 6)
        } catch {
            Issue.record("\(error)")
        }
        #expect(seen == [5])
    }

    /// A line of the longest length a record may have, in a range read in the smallest blocks.
    @Test func theLongestLineFitsTheSmallestBlock() throws {
        let longest = [UInt8](repeating: UInt8(ascii: "b"), count: RecordCodec.lineBytesMax - 1) + [0x0A]
        let log = Array("short\n".utf8) + longest + Array("after\n".utf8)
        #expect(LogDecoding.blockBytes(for: UInt64(log.count)) == RecordCodec.lineBytesMax)
        let read = Self.reader(log)
        var lengths: [Int] = []
        try LogDecoding.forEach(reading: read, from: 0, to: UInt64(log.count)) { line in
            lengths.append(line.length)
            return true
        }
        #expect(lengths == [5, RecordCodec.lineBytesMax - 1, 5])
    }
}
