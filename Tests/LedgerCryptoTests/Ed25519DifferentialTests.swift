import Foundation
import LedgerCrypto
import Testing

/// Our Ed25519 against an independent implementation on the same machine: Python's
/// `cryptography` package (OpenSSL underneath). Same seeds must give the same public keys
/// and byte-identical signatures (Ed25519 is deterministic), and both must reach the same
/// verdict on valid and corrupted signatures. CI installs python3-cryptography.
@Suite struct Ed25519DifferentialTests {
    static let script = """
        import sys
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
        raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
        for line in sys.stdin:
            seed, message, signature, public = (bytes.fromhex(field[1:]) for field in line.split())
            key = Ed25519PrivateKey.from_private_bytes(seed)
            try:
                Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
                verdict = "valid"
            except (InvalidSignature, ValueError):
                verdict = "invalid"
            print(key.public_key().public_bytes(*raw).hex(), key.sign(message).hex(), verdict)
        """

    static let pythonIsAvailable: Bool = (try? runPython(input: "")) != nil

    struct Case {
        let seed: [UInt8]
        let message: [UInt8]
        let signature: [UInt8]
        let publicKey: Ed25519.PublicKey
    }

    @Test(.enabled(if: pythonIsAvailable, "python3 with the cryptography package is not installed"))
    func agreesWithPythonCryptography() throws {
        var generator = SplitMix64(seed: 0xED25519)
        var cases: [Case] = []
        for index in 0..<96 {
            let key = Ed25519.PrivateKey.generate(using: &generator)
            let length = index < 32 ? index : Int(generator.next() % 2048)
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var signature = key.sign(message)
            // Every third case is corrupted: one bit of R or S, or S + L, which strict
            // verifiers must reject.
            switch index % 6 {
            case 1: signature[Int(generator.next() % 32)] ^= 1 << UInt8(generator.next() % 8)
            case 3: signature[32 + Int(generator.next() % 32)] ^= 1 << UInt8(generator.next() % 8)
            case 5:
                signature =
                    Array(signature.prefix(32)) + Self.addingGroupOrder(Array(signature.suffix(32)))
            default: break
            }
            cases.append(
                Case(
                    seed: key.seed, message: message, signature: signature, publicKey: key.publicKey
                ))
        }
        let input =
            cases.map { item in
                [item.seed, item.message, item.signature, item.publicKey.bytes].map {
                    "x" + Hex.encode($0)
                }
                .joined(separator: " ")
            }.joined(separator: "\n") + "\n"
        let lines = try Self.runPython(input: input).split(separator: "\n")
        try #require(lines.count == cases.count)
        for (item, line) in zip(cases, lines) {
            let fields = line.split(separator: " ").map(String.init)
            try #require(fields.count == 3)
            let ours = Ed25519.PrivateKey(seed: item.seed)
            #expect(Hex.encode(ours.publicKey.bytes) == fields[0])
            #expect(Hex.encode(ours.sign(item.message)) == fields[1])
            let theirSignature = try #require(Hex.decode(fields[1]))
            #expect(
                Ed25519.verify(
                    signature: theirSignature, message: item.message, publicKey: ours.publicKey))
            let ourVerdict = Ed25519.verify(
                signature: item.signature, message: item.message, publicKey: item.publicKey)
            #expect(
                (ourVerdict ? "valid" : "invalid") == fields[2],
                "message of \(item.message.count) bytes")
        }
        #expect(
            lines.filter { $0.hasSuffix(" invalid") }.count == 48, "half the cases are corrupted")
    }

    static func addingGroupOrder(_ scalar: [UInt8]) -> [UInt8] {
        let order: [UInt8] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ]
        var result = scalar
        var carry = 0
        for index in 0..<32 {
            let sum = Int(scalar[index]) + Int(order[index]) + carry
            result[index] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
        precondition(carry == 0, "S + L fits in 32 bytes because S < L < 2^253")
        return result
    }

    /// Runs the script with `input` on standard input; throws unless it exits 0.
    static func runPython(input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let standardInput = Pipe()
        let standardOutput = Pipe()
        process.standardInput = standardInput
        process.standardOutput = standardOutput
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Write from another thread: the script answers line by line and a full output pipe
        // would otherwise block it while we are still writing.
        let writer = Thread {
            standardInput.fileHandleForWriting.write(Data(input.utf8))
            try? standardInput.fileHandleForWriting.close()
        }
        writer.start()
        let output = standardOutput.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonFailed(status: process.terminationStatus)
        }
        return String(decoding: output, as: UTF8.self)
    }

    struct PythonFailed: Error {
        let status: Int32
    }
}

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
