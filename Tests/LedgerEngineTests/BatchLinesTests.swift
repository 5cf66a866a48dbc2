import LedgerCore
import LedgerEngine
import LedgerJSON
import Testing

/// `append --batch` reads its JSON Lines as they come: wherever the chunks are cut, the drafts
/// are those of the whole input, and the reading stops at the first line it refuses.
@Suite struct BatchLinesTests {
    static func note(_ text: String) -> String { #"{"type":"note.recorded","payload":{"text":"\#(text)"}}"# }

    /// Feeds `input` in chunks of the given sizes (cycled), then finishes.
    static func drafts(_ input: [UInt8], chunks sizes: [Int]) throws -> [RecordDraft] {
        var lines = BatchLines(actor: "OP-1", source: "batch.jsonl")
        var start = 0, turn = 0
        while start < input.count {
            let end = min(input.count, start + sizes[turn % sizes.count])
            try input[start..<end].withUnsafeBytes { chunk in try lines.take(chunk) }
            (start, turn) = (end, turn + 1)
        }
        return try lines.finish()
    }

    static func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    @Test func chunksCutAnywhereGiveTheSameDrafts() throws {
        // Blank lines, a CRLF line end, a blank line of spaces, and a last line without a newline.
        let text = [Self.note("one"), "", Self.note("two") + "\r", "   ", Self.note("three"), Self.note("four")].joined(separator: "\n")
        let input = Array(text.utf8)
        let whole = try Self.drafts(input, chunks: [input.count])
        #expect(whole.map { $0.payload["text"] } == ["one", "two", "three", "four"].map { Optional(JSONValue.string($0)) })
        for sizes in [[1], [2, 3], [7], [64, 1, 13], [input.count - 1]] {
            #expect(try Self.drafts(input, chunks: sizes) == whole, "chunks of \(sizes)")
        }
    }

    @Test func manyLinesAreParsedOnEveryCoreInOrder() throws {
        let input = Array((0..<3_000).map { Self.note("n\($0)") }.joined(separator: "\n").utf8)
        let drafts = try Self.drafts(input, chunks: [4_096, 100_000])
        #expect(drafts.count == 3_000)
        #expect(drafts.enumerated().allSatisfy { $0.element.payload["text"] == .string("n\($0.offset)") })
    }

    @Test func theFirstBadLineStopsTheReadingThere() {
        var lines = BatchLines(actor: "OP-1", source: "batch.jsonl")
        let first = Array(([Self.note("one"), "{not json", Self.note("three"), "[]"].joined(separator: "\n") + "\n").utf8)
        let message = Self.message {
            try first.withUnsafeBytes { chunk in try lines.take(chunk) }
        }
        // Refused while taking the chunk that ends line 2: nothing after it needs to be read.
        #expect(message?.contains("batch.jsonl line 2:") == true, "\(message ?? "accepted")")
    }

    /// Parsed in parts on every core, each part stopping at its first bad line: the refusal
    /// names the earliest bad line of the input, whichever part met it.
    @Test func theEarliestBadLineIsNamedWhicheverPartMeetsIt() {
        var texts = (0..<3_000).map { Self.note("n\($0)") }
        texts[2_500] = "{not json"
        texts[400] = "[]"
        let input = Array(texts.joined(separator: "\n").utf8)
        let message = Self.message { _ = try Self.drafts(input, chunks: [input.count]) }
        #expect(message?.contains("batch.jsonl line 401:") == true, "\(message ?? "accepted")")
    }

    /// An event has type, payload, effective and idem, nothing else; each of the four is taken,
    /// and a fifth member is named in the refusal with its line.
    @Test func anEventWithAnUnknownMemberIsRefused() throws {
        let full = #"{"effective":"2025-01-02","idem":"k-1","payload":{"text":"t"},"type":"note.recorded"}"#
        let drafts = try Self.drafts(Array(full.utf8), chunks: [full.utf8.count])
        #expect(drafts.count == 1 && drafts.first?.idempotencyKey == "k-1" && drafts.first?.effective?.description == "2025-01-02")
        for extra in [#""note":1"#, #""typ":"x""#, #""zzz":null"#] {
            let line = Self.note("one") + "\n" + #"{"type":"note.recorded","payload":{"text":"t"},\#(extra)}"#
            let message = Self.message { _ = try Self.drafts(Array(line.utf8), chunks: [line.utf8.count]) }
            let name = extra.split(separator: "\"")[0]
            #expect(message?.contains("batch.jsonl line 2: unknown member \"\(name)\"") == true, "\(message ?? "accepted")")
        }
    }

    @Test func aLineTooLongIsRefusedBeforeItEnds() {
        var lines = BatchLines(actor: "OP-1", source: "standard input")
        let start = Array((Self.note("one") + "\n\n").utf8)
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 1_024)
        var taken = 0
        let message = Self.message {
            try start.withUnsafeBytes { chunk in try lines.take(chunk) }
            // A line that never ends: refused once it holds more than an event may.
            while taken < 1 << 20 {
                try filler.withUnsafeBytes { chunk in try lines.take(chunk) }
                taken += filler.count
            }
        }
        #expect(message?.contains("standard input line 3: longer than \(EventDrafts.lineBytesMax) bytes") == true, "\(message ?? "accepted")")
        #expect(taken <= EventDrafts.lineBytesMax, "refused within one chunk of the limit, after \(taken) bytes")
    }

    @Test func aLongLineInsideOneChunkIsRefusedToo() {
        let long = Self.note(String(repeating: "x", count: EventDrafts.lineBytesMax))
        let input = Array([Self.note("one"), long, Self.note("three")].joined(separator: "\n").utf8)
        let message = Self.message { _ = try Self.drafts(input, chunks: [input.count]) }
        #expect(message?.contains("batch.jsonl line 2: longer than") == true, "\(message ?? "accepted")")
    }

    @Test func theEventPastTheLimitIsRefusedWithItsLine() {
        var lines = BatchLines(actor: "OP-1", source: "batch.jsonl", eventsMax: 10)
        // Ten events and a blank line fit; the eleventh event, on line 12, does not.
        let input = Array((((1...5).map { Self.note("\($0)") } + [""] + (6...12).map { Self.note("\($0)") }).joined(separator: "\n")).utf8)
        let message = Self.message {
            try input.withUnsafeBytes { chunk in try lines.take(chunk) }
            _ = try lines.finish()
        }
        #expect(message?.contains("batch.jsonl line 12: a batch is at most 10 events (split the file)") == true, "\(message ?? "accepted")")
        var exact = BatchLines(actor: "OP-1", source: "batch.jsonl", eventsMax: 10)
        let ten = Array((1...10).map { Self.note("\($0)") }.joined(separator: "\n").utf8)
        var count = 0
        let refusal = Self.message {
            try ten.withUnsafeBytes { chunk in try exact.take(chunk) }
            count = try exact.finish().count
        }
        #expect(refusal == nil && count == 10, "\(refusal ?? "")")
    }

    @Test func anInputWithoutEventsIsRefused() {
        for text in ["", "\n\n", "  \r\n"] {
            let message = Self.message { _ = try Self.drafts(Array(text.utf8), chunks: [8]) }
            #expect(message?.contains("batch.jsonl: no event in the batch") == true, "\(message ?? "accepted")")
        }
    }
}
