/// "Did you mean": the known word closest to a mistyped one, when it is close enough to be the
/// likely intent (at most two edits, and fewer than half the word's length), else nil. Ties go
/// to the first in byte order, so the suggestion does not depend on a table's hash order.
public enum Suggestion {
    public static func closest<Words: Sequence<String>>(to word: String, among candidates: Words) -> String? {
        let typed = Array(word.utf8)
        let limit = min(2, (typed.count - 1) / 2)
        guard limit > 0 else { return nil }
        var best: (distance: Int, word: String)?
        for candidate in candidates where candidate != word {
            let bytes = Array(candidate.utf8)
            guard abs(bytes.count - typed.count) <= limit else { continue }
            let distance = editDistance(typed, bytes, atMost: limit)
            guard distance <= limit else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate.utf8.lexicographicallyPrecedes(best!.word.utf8)) {
                best = (distance, candidate)
            }
        }
        return best?.word
    }

    /// Edit distance counting a swap of two neighbours as one edit (optimal string alignment),
    /// case-insensitively for ASCII letters; stops early once every path is past `atMost`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], atMost limit: Int) -> Int {
        guard !a.isEmpty else { return b.count }
        func folded(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let same = folded(a[i - 1]) == folded(b[j - 1])
                current[j] = min(previous[j - 1] + (same ? 0 : 1), previous[j] + 1, current[j - 1] + 1)
                if i > 1, j > 1, folded(a[i - 1]) == folded(b[j - 2]), folded(a[i - 2]) == folded(b[j - 1]) {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
