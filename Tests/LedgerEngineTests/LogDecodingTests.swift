import Foundation
import LedgerCore
import LedgerStorage
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
        var log: [UInt8] = [], expected: [(UInt64, Int)] = []
        var length = 1
        while log.count < 2_000_000 {
            expected.append((UInt64(log.count), length))
            log += [UInt8](repeating: UInt8(ascii: "a"), count: length) + [0x0A]
            length = length % 400 + 1
        }
        let read = { (offset: UInt64, count: Int) throws(StorageError) -> [UInt8] in Array(log[Int(offset)..<(Int(offset) + count)]) }
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

    /// A line of the longest length a record may have, in a range read in the smallest blocks.
    @Test func theLongestLineFitsTheSmallestBlock() throws {
        let longest = [UInt8](repeating: UInt8(ascii: "b"), count: RecordCodec.lineBytesMax - 1) + [0x0A]
        let log = Array("short\n".utf8) + longest + Array("after\n".utf8)
        #expect(LogDecoding.blockBytes(for: UInt64(log.count)) == RecordCodec.lineBytesMax)
        let read = { (offset: UInt64, count: Int) throws(StorageError) -> [UInt8] in Array(log[Int(offset)..<(Int(offset) + count)]) }
        var lengths: [Int] = []
        try LogDecoding.forEach(reading: read, from: 0, to: UInt64(log.count)) { line in
            lengths.append(line.length)
            return true
        }
        #expect(lengths == [5, RecordCodec.lineBytesMax - 1, 5])
    }
}
