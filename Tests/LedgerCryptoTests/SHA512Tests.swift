import Foundation
import LedgerCrypto
import Testing

@Suite struct SHA512Tests {
    // Expected digests computed independently with Python's hashlib.sha512 when this test was
    // written; FIPS 180-4's worked examples for "abc" and the 896-bit message agree.
    @Test(arguments: [
        (
            "abc",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
        ),
        (
            "",
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        ),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"
        ),
    ])
    func knownAnswer(message: String, expectedHex: String) {
        #expect(Hex.encode(SHA512.hash(Array(message.utf8))) == expectedHex)
    }

    @Test func oneMillionA() {
        var hasher = SHA512()
        // Fed in uneven pieces so that block boundaries fall inside updates.
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        var remaining = 1_000_000
        while remaining > 0 {
            let count = min(piece.count, remaining)
            hasher.update(piece[0..<count])
            remaining -= count
        }
        #expect(
            Hex.encode(hasher.finalized())
                == "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"
        )
    }

    @Test func finalizedLeavesTheHasherUsable() {
        var hasher = SHA512()
        hasher.update(Array("ab".utf8))
        _ = hasher.finalized()
        hasher.update(Array("c".utf8))
        #expect(hasher.finalized() == SHA512.hash(Array("abc".utf8)))
    }

    /// Every length around the padding boundaries (111, 112, 127, 128 bytes...) and some random
    /// ones, against coreutils' sha512sum.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha512sum"),
            "sha512sum is not installed"))
    func matchesSHA512Sum() throws {
        var generator = SplitMix64(seed: 0x5348_4135_3132)
        let lengths = Array(0...260) + (0..<20).map { _ in Int(generator.next() % 5000) }
        for length in lengths {
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let expected = try sha512sum(message)
            // Split the update at a random point to exercise the streaming path.
            let cut = length == 0 ? 0 : Int(generator.next() % UInt64(length + 1))
            var hasher = SHA512()
            hasher.update(message[..<cut])
            hasher.update(message[cut...])
            #expect(Hex.encode(hasher.finalized()) == expected, "length \(length), cut \(cut)")
        }
    }
}

private func sha512sum(_ message: [UInt8]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha512sum")
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(message))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    return String(text.prefix(128))
}

/// A small seeded generator, so that "random" test inputs are the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
