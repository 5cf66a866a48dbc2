/// The Strings of short texts a decoder meets again and again (a log's keys, event types,
/// funds, instruments), kept by their bytes: building a String validates its bytes and packs
/// them, about a hundred instructions, while finding it here is a few loads and compares.
///
/// Only for bytes already known to be the text (plain ASCII, no escapes: the parser's fast
/// path), and only texts of at most `bytesMax` bytes. A slot is compared on every byte (the
/// bytes are held zero-padded with their length), so a hit is always the same text.
///
/// A plain pointer to its table, so that handing it down to the parser costs no reference
/// counting (a class was retained and released at every string, which cost more than it
/// saved); it lives for the scope of `with`, on one thread: it is not safe to share.
public struct StringCache {
    public static let bytesMax = 32
    static let slots = 512

    private struct Slot {
        var count = -1
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var text = ""
    }

    private let table: UnsafeMutablePointer<Slot>

    private init(table: UnsafeMutablePointer<Slot>) {
        self.table = table
    }

    /// Runs `body` with a new cache, freed when it returns.
    public static func with<Result>(_ body: (StringCache) -> Result) -> Result {
        let table = UnsafeMutablePointer<Slot>.allocate(capacity: slots)
        table.initialize(repeating: Slot(), count: slots)
        defer {
            table.deinitialize(count: slots)
            table.deallocate()
        }
        return body(StringCache(table: table))
    }

    /// The String of `bytes`, which must be valid UTF-8 text needing no normalization.
    public func string(_ bytes: UnsafeRawBufferPointer) -> String {
        let count = bytes.count
        guard count <= Self.bytesMax, let base = bytes.baseAddress else { return Self.make(bytes) }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: base, byteCount: count) }
        var mixed = (words.0 ^ words.1 ^ words.2 ^ words.3 ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15
        mixed ^= mixed >> 29
        let slot = table + (Int(truncatingIfNeeded: mixed) & (Self.slots - 1))
        if slot.pointee.count == count && slot.pointee.words == words { return slot.pointee.text }
        let text = Self.make(bytes)
        slot.pointee = Slot(count: count, words: words, text: text)
        return text
    }

    private static func make(_ bytes: UnsafeRawBufferPointer) -> String {
        bytes.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
    }
}
