// Fixtures, a seeded generator and the sha256sum oracle for the SHA-256 tests.
// Everything is nested in `SHA256TestSupport` so other test files in this target cannot clash.
import Foundation
import LedgerCrypto

enum SHA256TestSupport {
    static let implementations: [SHA256.Implementation] = [.portable, .automatic]

    /// One NIST CAVP "SHA-256 ShortMsg" entry.
    struct ShortMessageVector: Sendable, CustomStringConvertible {
        var bitLength: Int
        var message: [UInt8]
        var digestHex: String
        var description: String { "Len = \(bitLength)" }
    }

    /// One line of fips180-examples.txt.
    struct Example: Sendable, CustomStringConvertible {
        var name: String
        var message: [UInt8]
        var digestHex: String
        var description: String { name }
    }

    enum FixtureError: Error { case malformed(file: String, line: String) }

    static func fixtureText(_ name: String, filePath: String = #filePath) throws -> String {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Parses SHA256ShortMsg.rsp: `Len` (bits), `Msg`, `MD` triples. Len = 0 means the empty
    /// message, although its Msg line says "00".
    static func shortMessageVectors() throws -> [ShortMessageVector] {
        var vectors: [ShortMessageVector] = []
        var bitLength: Int?, message: [UInt8]?
        for rawLine in try fixtureText("SHA256ShortMsg.rsp").split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let fail = FixtureError.malformed(file: "SHA256ShortMsg.rsp", line: line)
            if line.hasPrefix("Len = ") {
                guard let value = Int(line.dropFirst(6)) else { throw fail }
                bitLength = value
            } else if line.hasPrefix("Msg = ") {
                guard let bytes = Hex.decode(line.dropFirst(6)), let bits = bitLength else {
                    throw fail
                }
                message = bits == 0 ? [] : bytes
            } else if line.hasPrefix("MD = ") {
                guard let bits = bitLength, let bytes = message,
                      bytes.count * 8 == bits else { throw fail }
                vectors.append(ShortMessageVector(
                    bitLength: bits, message: bytes, digestHex: String(line.dropFirst(5))))
                (bitLength, message) = (nil, nil)
            }
        }
        return vectors
    }

    /// Parses `kind | message | digest` lines; kinds are `ascii` and `repeat` ('a' x N).
    static func fipsExamples() throws -> [Example] {
        var examples: [Example] = []
        for line in try fixtureText("fips180-examples.txt").split(whereSeparator: \.isNewline)
        where !line.hasPrefix("#") {
            let fields = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let fail = FixtureError.malformed(file: "fips180-examples.txt", line: String(line))
            guard fields.count == 3 else { throw fail }
            let message: [UInt8]
            switch fields[0] {
            case "ascii" where fields[1] == "(empty string)": message = []
            case "ascii": message = Array(fields[1].utf8)
            case "repeat":
                let parts = fields[1].split(separator: " ")
                guard parts.count == 3, parts[0].count == 3, parts[1] == "x",
                      let count = Int(parts[2]) else { throw fail }
                message = [UInt8](repeating: Array(parts[0].utf8)[1], count: count)
            default: throw fail
            }
            let name = message.count > 16 ? "\(fields[0]) (\(message.count) bytes)" : fields[1]
            examples.append(Example(name: name, message: message, digestHex: fields[2]))
        }
        return examples
    }

    /// SplitMix64: tiny and deterministic, so a failing seed reproduces.
    struct SeededGenerator: RandomNumberGenerator {
        private var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomBytes(count: Int, using generator: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Feeds `message` in random pieces through every `update` overload, with empty updates
    /// mixed in, so buffering across block edges gets exercised from all sides.
    static func hashInRandomChunks(
        _ message: [UInt8], implementation: SHA256.Implementation,
        using generator: inout SeededGenerator
    ) -> SHA256Digest {
        var hasher = SHA256(implementation: implementation)
        var offset = 0
        while offset < message.count {
            let lengthLimit = [8, 70, 140, 5000].randomElement(using: &generator)!
            let length = min(
                message.count - offset, Int.random(in: 1...lengthLimit, using: &generator))
            let piece = message[offset..<(offset + length)]
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: piece.withUnsafeBytes { hasher.update($0) }
            case 1: hasher.update(piece)
            case 2: hasher.update(Array(piece))
            case 3: for byte in piece { hasher.update(byte: byte) }
            default: hasher.update([]); hasher.update(piece)
            }
            offset += length
        }
        return hasher.finalized()
    }

    enum OracleError: Error { case failed(status: Int32), unparsable(String) }

    /// Digests from /usr/bin/sha256sum, one process for all messages (one temporary file each).
    static func sha256sum(_ messages: [[UInt8]]) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ledger-sha256-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (index, message) in messages.enumerated() {
            let url = directory.appendingPathComponent("message-\(index)")
            try Data(message).write(to: url)
            paths.append(url.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = paths
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()  // Drain before waiting.
        let text = String(decoding: data, as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleError.failed(status: process.terminationStatus)
        }
        let lines = text.split(separator: "\n")
        guard lines.count == paths.count else { throw OracleError.unparsable(text) }
        // Output order follows the argument order; check the names rather than trust that.
        return try zip(lines, paths).map { line, path in
            guard line.hasSuffix("  " + path), line.count == 64 + 2 + path.count else {
                throw OracleError.unparsable(String(line))
            }
            return String(line.prefix(64))
        }
    }
}
