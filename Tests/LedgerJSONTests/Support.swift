import Foundation
import LedgerJSON
import Testing

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The byte offset of the first occurrence of `needle` in `haystack` (test inputs only).
func offset(of needle: String, in haystack: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> Int
{
    let hay = Array(haystack.utf8)
    let pin = Array(needle.utf8)
    for start in 0...(hay.count - pin.count) where Array(hay[start..<(start + pin.count)]) == pin {
        return start
    }
    Issue.record("\(needle.debugDescription) not found", sourceLocation: sourceLocation)
    return -1
}

/// Decodes and expects rejection with exactly `reason` at `offset` (and `key`, if given).
func expectRejected(
    _ input: [UInt8], mode: CanonicalJSON.Mode = .canonical, keys: JSONKeyPolicy = .any,
    limits: JSONLimits = .default, _ reason: JSONError.Reason, at offset: Int,
    key: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        let value = try CanonicalJSON.decode(input, mode: mode, keys: keys, limits: limits)
        Issue.record("accepted \(render(input)) as \(value)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.reason == reason, "\(render(input)): \(error)", sourceLocation: sourceLocation)
        #expect(error.offset == offset, "\(render(input)): \(error)", sourceLocation: sourceLocation)
        if let key {
            #expect(error.key == key, "\(render(input)): \(error)", sourceLocation: sourceLocation)
        }
    }
}

func expectRejected(
    _ input: String, mode: CanonicalJSON.Mode = .canonical, keys: JSONKeyPolicy = .any,
    limits: JSONLimits = .default, _ reason: JSONError.Reason, at offset: Int,
    key: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectRejected(bytes(input), mode: mode, keys: keys, limits: limits, reason, at: offset,
                   key: key, sourceLocation: sourceLocation)
}

/// Input bytes for a failure message: printable ASCII as is, the rest as \xNN.
func render(_ input: [UInt8]) -> String {
    let shown = input.prefix(120).map { byte in
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
    }
    return "\"" + shown.joined() + (input.count > 120 ? "…" : "") + "\""
}

/// The vectors copied from /work/shared/vectors, found next to this file (no resources).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func load(_ relativePath: String) throws -> [UInt8] {
        let url = directory.appendingPathComponent(relativePath)
        return [UInt8](try Data(contentsOf: url))
    }
}

/// SplitMix64: a tiny seeded generator, so random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
