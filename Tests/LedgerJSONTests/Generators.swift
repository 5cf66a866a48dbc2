import LedgerJSON

/// Random values and random non-canonical renderings of them, for property tests.
struct ValueGenerator {
    var random: SplitMix64
    /// Restrict to ASCII strings and keys (the Foundation oracle sees the same text).
    var asciiOnly = false

    init(seed: UInt64, asciiOnly: Bool = false) {
        random = SplitMix64(seed: seed)
        self.asciiOnly = asciiOnly
    }

    /// Scalars chosen to hit every escaping and ordering rule: controls, quote, backslash,
    /// slash, DEL, C1, Latin-1, a combining mark (so some strings are NFD), U+2028, the
    /// E000-FFFF block that sorts after astral keys, a composition exclusion, astral scalars.
    static let interestingScalars: [Unicode.Scalar] = [
        "\u{0}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}", "\"", "\\", "/", "\u{7F}",
        "\u{80}", "\u{E9}", "\u{301}", "\u{2028}", "\u{E000}", "\u{FB33}", "\u{FFFF}",
        "\u{1F600}", "\u{10FFFF}",
    ]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func integer() -> Int64 {
        let bound = JSONValue.integerRange.upperBound
        switch int(0...5) {
        case 0: return [0, 1, -1, bound, -bound, 10, -10][int(0...6)]
        case 1: return Int64.random(in: JSONValue.integerRange, using: &random)
        default: return Int64.random(in: -100_000...100_000, using: &random)
        }
    }

    mutating func string(maxLength: Int = 12) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<int(0...maxLength) {
            if asciiOnly || int(0...2) > 0 {
                scalars.append(Unicode.Scalar(UInt8(int(asciiOnly ? 0...127 : 32...126))))
            } else {
                scalars.append(Self.interestingScalars[int(0...(Self.interestingScalars.count - 1))])
            }
        }
        return String(scalars)
    }

    mutating func value(depth: Int) -> JSONValue {
        switch int(depth > 0 ? 0...6 : 0...3) {
        case 0: return [JSONValue.null, .bool(true), .bool(false)][int(0...2)]
        case 1: return .integer(integer())
        case 2, 3: return .string(string())
        case 4: return .array((0..<int(0...4)).map { _ in value(depth: depth - 1) })
        default: return .object(object(depth: depth - 1))
        }
    }

    /// Keys distinct after NFC (JSONObject traps on duplicates, as it should).
    mutating func object(depth: Int) -> JSONObject {
        var seen = Set<[UInt8]>()
        var members: [(String, JSONValue)] = []
        for _ in 0..<int(0...5) {
            let key = string(maxLength: 6)
            let canonicalKey = Array(key.precomposedStringWithCanonicalMapping.utf8)
            guard seen.insert(canonicalKey).inserted else { continue }
            members.append((key, value(depth: depth)))
        }
        return JSONObject(members)
    }
}

/// Writes a value as valid but non-canonical JSON: random whitespace, shuffled members,
/// optional escapes (\/ , \u for any BMP scalar in random case, surrogate pairs).
struct NoisyWriter {
    var generator: ValueGenerator
    var output: [UInt8] = []

    mutating func write(_ value: JSONValue) -> [UInt8] {
        output = []
        space()
        emit(value)
        space()
        return output
    }

    private mutating func space() {
        let whitespace: [UInt8] = [0x20, 0x09, 0x0A, 0x0D]
        for _ in 0..<generator.int(0...2) { output.append(whitespace[generator.int(0...3)]) }
    }

    private mutating func emit(_ value: JSONValue) {
        switch value {
        case .null: output += bytes("null")
        case .bool(let flag): output += bytes(flag ? "true" : "false")
        case .integer(let number): output += bytes(String(number))
        case .string(let text): emit(string: text)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                space(); emit(element); space()
            }
            if elements.isEmpty { space() }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in Array(object).shuffled(using: &generator.random).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                space(); emit(string: member.key); space()
                output.append(UInt8(ascii: ":"))
                space(); emit(member.value); space()
            }
            if object.isEmpty { space() }
            output.append(UInt8(ascii: "}"))
        }
    }

    private mutating func emit(string text: String) {
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            let mustEscape = scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
            if mustEscape || generator.int(0...3) == 0 {
                escape(scalar)
            } else {
                output += Array(String(scalar).utf8)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ scalar: Unicode.Scalar) {
        let short: [Unicode.Scalar: String] = [
            "\"": "\\\"", "\\": "\\\\", "/": "\\/", "\u{8}": "\\b", "\u{C}": "\\f", "\u{A}": "\\n",
            "\u{D}": "\\r", "\u{9}": "\\t",
        ]
        if let text = short[scalar], generator.int(0...1) == 0 {
            output += bytes(text)
            return
        }
        for unit in String(scalar).utf16 {
            var hex = String(unit, radix: 16)
            hex = String(repeating: "0", count: 4 - hex.count) + hex
            output += bytes("\\u" + (generator.int(0...1) == 0 ? hex : hex.uppercased()))
        }
    }
}
