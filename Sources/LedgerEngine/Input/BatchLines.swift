#if canImport(Glibc)
import Glibc
#endif
import LedgerCore

/// A batch's JSON Lines (`append --batch`) parsed as they are read: each chunk's complete lines
/// are parsed (on every core) before the next chunk is read, so that the first bad line, the
/// first line over an event's limit or the first event past the batch's stops the reading
/// there. Memory holds the drafts and one chunk, never the whole input.
public struct BatchLines {
    let actor: String
    let source: String
    /// The most events a batch holds (`EventDrafts.batchEventsMax`; a test gives fewer).
    let eventsMax: Int
    private var drafts: [RecordDraft] = []
    /// The start of a line the chunks so far have not ended.
    private var carried: [UInt8] = []
    /// Lines ended so far (blank ones included: numbers are the file's).
    private var linesEnded = 0
    private var bytesRead = 0

    public init(actor: String, source: String, eventsMax: Int = EventDrafts.batchEventsMax) {
        (self.actor, self.source, self.eventsMax) = (actor, source, eventsMax)
    }

    /// Takes the next bytes of the input.
    public mutating func take(_ chunk: UnsafeRawBufferPointer) throws(LedgerError) {
        bytesRead += chunk.count
        guard bytesRead <= EventDrafts.batchBytesMax else {
            throw .invalidInput("\(source): a batch is at most \(EventDrafts.batchBytesMax) bytes (split the file)")
        }
        guard let lastNewline = chunk.lastIndex(of: 0x0A) else {
            carried.append(contentsOf: chunk)
            return try checkCarried()
        }
        var block = carried
        block.append(contentsOf: chunk[..<lastNewline])
        carried = Array(chunk[(lastNewline + 1)...])
        try parse(block)
        try checkCarried()
    }

    /// The drafts, once the input ended (its last line need not end with a newline).
    public mutating func finish() throws(LedgerError) -> [RecordDraft] {
        if !carried.isEmpty {
            let last = carried
            carried = []
            try parse(last)
        }
        guard !drafts.isEmpty else { throw .invalidInput("\(source): no event in the batch") }
        return drafts
    }

    /// The lines of `block` (whole lines, without the last newline), found by their bounds (a
    /// slice per line retained the block once per line), then parsed on every core.
    private mutating func parse(_ block: [UInt8]) throws(LedgerError) {
        var lines: [EventDrafts.Line] = []
        try block.withUnsafeBytes { bytes in Result { () throws(LedgerError) in
            var start = 0
            while true {
                let end = Self.lineEnd(in: bytes, from: start)
                linesEnded += 1
                guard end - start <= EventDrafts.lineBytesMax else { throw tooLong(line: linesEnded) }
                if !bytes[start..<end].allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) {
                    guard drafts.count + lines.count < eventsMax else {
                        throw .invalidInput("\(source) line \(linesEnded): a batch is at most \(eventsMax) events (split the file)")
                    }
                    lines.append(EventDrafts.Line(number: linesEnded, start: start, end: end))
                }
                guard end < bytes.count else { break }
                start = end + 1
            }
        } }.get()
        try EventDrafts.parse(block, lines, actor: actor, source: source, into: &drafts)
    }

    /// Where the line starting at `start` ends: its newline, or the end of `bytes`.
    private static func lineEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard let base = bytes.baseAddress, let newline = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
        return UnsafeRawPointer(newline) - base
    }

    /// A line not yet ended is refused as soon as it is too long to be one event.
    private func checkCarried() throws(LedgerError) {
        guard carried.count <= EventDrafts.lineBytesMax else { throw tooLong(line: linesEnded + 1) }
    }

    private func tooLong(line: Int) -> LedgerError {
        .invalidInput("\(source) line \(line): longer than \(EventDrafts.lineBytesMax) bytes (an event is one JSON object per line)")
    }
}
