import Foundation
import LedgerCrypto
import Testing

private typealias Support = SHA256TestSupport

@Suite struct SHA256KnownAnswerTests {
    @Test func shortMessageFileHoldsAll65Vectors() throws {
        let vectors = try Support.shortMessageVectors()
        #expect(vectors.map(\.bitLength) == Array(stride(from: 0, through: 512, by: 8)))
        #expect(vectors.allSatisfy { $0.message.count * 8 == $0.bitLength })
    }

    @Test(arguments: try Support.shortMessageVectors(), Support.implementations)
    func nistShortMessage(
        vector: SHA256TestSupport.ShortMessageVector, implementation: SHA256.Implementation) {
        var oneShot = SHA256(implementation: implementation)
        oneShot.update(vector.message)
        #expect(oneShot.finalized().hex == vector.digestHex)
        // The same bytes one at a time: every padding boundary is crossed by `update(byte:)`.
        var byteWise = SHA256(implementation: implementation)
        for byte in vector.message { byteWise.update(byte: byte) }
        #expect(byteWise.finalized().hex == vector.digestHex)
    }

    @Test(arguments: try Support.fipsExamples(), Support.implementations)
    func fips180Example(example: SHA256TestSupport.Example, implementation: SHA256.Implementation) {
        var hasher = SHA256(implementation: implementation)
        hasher.update(example.message)
        #expect(hasher.finalized().hex == example.digestHex)
    }

    @Test func fips180FileIncludesTheMillionA() throws {
        let examples = try Support.fipsExamples()
        #expect(examples.count == 5)
        let millionA = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(examples.contains { $0.message == millionA })
    }

    @Test(arguments: Support.implementations)
    func millionAInOddChunks(implementation: SHA256.Implementation) {
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 4099)
        let chunkLengths = [1, 3, 7, 55, 63, 64, 65, 127, 1000, 4099]
        var hasher = SHA256(implementation: implementation)
        var fed = 0, turn = 0
        while fed < 1_000_000 {
            let length = min(chunkLengths[turn % chunkLengths.count], 1_000_000 - fed)
            hasher.update(chunk[0..<length])
            fed += length
            turn += 1
        }
        #expect(hasher.finalized().hex
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct SHA256DifferentialTests {
    /// Lengths around the padding edges (55/56 bytes: the length still fits or not) and
    /// block edges, a few random short ones and several multi-kilobyte ones.
    static func messages(seed: UInt64) -> [[UInt8]] {
        var generator = Support.SeededGenerator(seed: seed)
        var lengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129]
        lengths += (0..<8).map { _ in Int.random(in: 2..<300, using: &generator) }
        lengths += [1_000, 4_096, 8_191, 65_537]
        lengths.append(Int.random(in: 10_000..<100_000, using: &generator))
        return lengths.map { Support.randomBytes(count: $0, using: &generator) }
    }

    @Test(arguments: Support.implementations)
    func matchesSha256sum(implementation: SHA256.Implementation) throws {
        let seed: UInt64 = 0x5348_4132_3536  // Fixed so a failure reproduces.
        let messages = Self.messages(seed: seed)
        let expected = try Support.sha256sum(messages)
        var generator = Support.SeededGenerator(seed: seed ^ 0xC4A7)
        for (message, expectedHex) in zip(messages, expected) {
            let chunked = Support.hashInRandomChunks(
                message, implementation: implementation, using: &generator)
            #expect(chunked.hex == expectedHex, "length \(message.count), seed \(seed)")
            #expect(SHA256.hash(message).hex == expectedHex, "length \(message.count) one-shot")
        }
    }

    @Test func portableAndAutomaticAgree() {
        var generator = Support.SeededGenerator(seed: 20_240_601)
        for round in 0..<300 {
            let length = round < 150 ? round : Int.random(in: 0..<20_000, using: &generator)
            let message = Support.randomBytes(count: length, using: &generator)
            let portable = Support.hashInRandomChunks(
                message, implementation: .portable, using: &generator)
            let automatic = Support.hashInRandomChunks(
                message, implementation: .automatic, using: &generator)
            #expect(portable == automatic, "length \(length), round \(round)")
        }
    }

    @Test func hardwareDetectionMatchesCPUFlags() throws {
        #if arch(x86_64) && os(Linux)
        let cpuInfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flagsLine = try #require(cpuInfo.split(separator: "\n").first { $0.hasPrefix("flags") })
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        let expected = flags.isSuperset(of: ["sha_ni", "sse4_1", "ssse3"])
        #expect(SHA256.isHardwareAccelerated == expected)
        #else
        #expect(SHA256.isHardwareAccelerated == false)
        #endif
    }
}

@Suite struct SHA256StreamingTests {
    @Test(arguments: Support.implementations)
    func finalizedLeavesTheHasherUsable(implementation: SHA256.Implementation) {
        var hasher = SHA256(implementation: implementation)
        hasher.update("ab")
        let first = hasher.finalized()
        #expect(hasher.finalized() == first)
        #expect(first == SHA256.hash(Array("ab".utf8)))
        hasher.update("c")
        #expect(hasher.finalized().hex
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func updateOverloadsAgree() {
        let digest = SHA256.hash(Array("abc".utf8))
        let text = "ledger é ✓ " + String(repeating: "x", count: 70)
        var viaTyped = SHA256()
        viaTyped.update(text)
        viaTyped.update(digest)
        let padded: [UInt8] = [0xEE] + Array(text.utf8) + digest.bytes + [0xEE]
        var viaSlice = SHA256()
        viaSlice.update(padded[1..<(padded.count - 1)])  // A slice that does not start at 0.
        var viaBytes = SHA256()
        for byte in padded.dropFirst().dropLast() { viaBytes.update(byte: byte) }
        let expected = SHA256.hash(Array(padded.dropFirst().dropLast()))
        #expect(viaTyped.finalized() == expected)
        #expect(viaSlice.finalized() == expected)
        #expect(viaBytes.finalized() == expected)
        #expect(SHA256.hash(text) == SHA256.hash(Array(text.utf8)))
        #expect(expected != SHA256.hash(padded))
    }

    @Test func bufferAndArrayEntryPointsAgree() {
        let message = [UInt8](0...199)
        let viaBuffer = message.withUnsafeBytes { SHA256.hash($0) }
        #expect(viaBuffer == SHA256.hash(message))
        #expect(SHA256.hash(UnsafeRawBufferPointer(start: nil, count: 0)) == SHA256.hash([]))
    }

    /// The one-call path of Merkle leaves and nodes (a byte and one or two digests) hashes what
    /// the portable streaming hasher hashes, for every prefix byte and digests of every shape.
    @Test func aByteAndDigestsHashAsTheirBytes() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let first = SHA256Digest(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let second = SHA256Digest(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let prefix = UInt8(truncatingIfNeeded: round)
            var leaf = SHA256(implementation: .portable), node = SHA256(implementation: .portable)
            leaf.update(byte: prefix)
            leaf.update(first)
            node.update([prefix] + first.bytes + second.bytes)
            #expect(SHA256.hash(prefix: prefix, first) == leaf.finalized(), "round \(round)")
            #expect(SHA256.hash(prefix: prefix, first, second) == node.finalized(), "round \(round)")
        }
        // RFC 6962's empty-leaf-free vector: SHA-256(0x00 || 32 zero bytes).
        #expect(SHA256.hash(prefix: 0x00, .zero).hex == SHA256.hash([0] + [UInt8](repeating: 0, count: 32)).hex)
    }
}
