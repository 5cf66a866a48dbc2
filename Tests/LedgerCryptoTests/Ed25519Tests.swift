import Foundation
import LedgerCrypto
import Testing

@Suite struct Ed25519Tests {
    struct Vector: Decodable, CustomTestStringConvertible {
        let name: String
        let secretKey: String
        let publicKey: String
        let message: String
        let signature: String
        var testDescription: String { self.name }
    }

    /// RFC 8032 section 7.1, from the fixture next to this file.
    static let vectors: [Vector] = {
        struct File: Decodable { let vectors: [Vector] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/rfc8032-ed25519.json")
        guard let data = try? Data(contentsOf: url),
            let file = try? JSONDecoder().decode(File.self, from: data)
        else {
            return []
        }
        return file.vectors
    }()

    @Test func fixtureHasEveryRFCVector() {
        #expect(
            Self.vectors.map(\.name) == [
                "TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)",
            ])
    }

    @Test(arguments: Self.vectors)
    func rfc8032Vector(_ vector: Vector) throws {
        let seed = try #require(Hex.decode(vector.secretKey))
        let message = try #require(Hex.decode(vector.message))
        let expectedSignature = try #require(Hex.decode(vector.signature))
        let key = Ed25519.PrivateKey(seed: seed)
        #expect(Hex.encode(key.publicKey.bytes) == vector.publicKey)
        let signature = key.sign(message)
        #expect(Hex.encode(signature) == vector.signature)
        let publicKeyBytes = try #require(Hex.decode(vector.publicKey))
        let publicKey = try #require(Ed25519.PublicKey(bytes: publicKeyBytes))
        #expect(
            Ed25519.verify(signature: expectedSignature, message: message, publicKey: publicKey))
        // One flipped bit anywhere in the message or the signature must fail.
        var generator = SplitMix64(seed: UInt64(message.count))
        for _ in 0..<16 {
            var badSignature = expectedSignature
            badSignature[Int(generator.next() % 64)] ^= 1 << UInt8(generator.next() % 8)
            #expect(
                !Ed25519.verify(signature: badSignature, message: message, publicKey: publicKey))
        }
        var badMessage = message.isEmpty ? [0] : message
        if !message.isEmpty { badMessage[Int(generator.next() % UInt64(message.count))] ^= 0x80 }
        #expect(
            !Ed25519.verify(signature: expectedSignature, message: badMessage, publicKey: publicKey)
        )
    }

    @Test func everySingleBitFlipOfASignatureFails() throws {
        let vector = try #require(Self.vectors.first)
        let key = Ed25519.PrivateKey(seed: try #require(Hex.decode(vector.secretKey)))
        let signature = key.sign([])
        for bit in 0..<512 {
            var flipped = signature
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(
                !Ed25519.verify(signature: flipped, message: [], publicKey: key.publicKey),
                "bit \(bit)")
        }
    }

    @Test func randomKeysSignAndVerify() {
        var generator = SplitMix64(seed: 42)
        for length in [0, 1, 31, 32, 63, 64, 111, 112, 127, 128, 129, 1000] {
            let key = Ed25519.PrivateKey.generate(using: &generator)
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let signature = key.sign(message)
            #expect(signature.count == 64)
            #expect(key.sign(message) == signature, "signing is deterministic")
            #expect(
                Ed25519.verify(signature: signature, message: message, publicKey: key.publicKey))
            let otherKey = Ed25519.PrivateKey.generate(using: &generator)
            #expect(
                !Ed25519.verify(
                    signature: signature, message: message, publicKey: otherKey.publicKey))
        }
    }

    // MARK: Strictness (RFC 8032 section 5.1.7 and 5.1.3)

    /// S + L verifies under a verifier that reduces S; RFC 8032 requires S < L.
    @Test func rejectsNonCanonicalS() throws {
        let vector = try #require(Self.vectors.first)
        let key = Ed25519.PrivateKey(seed: try #require(Hex.decode(vector.secretKey)))
        let signature = key.sign([])
        var highS = signature
        var carry = 0
        for index in 0..<32 {
            let sum = Int(highS[32 + index]) + Int(Self.groupOrder[index]) + carry
            highS[32 + index] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
        #expect(carry == 0 && highS != signature)
        #expect(Ed25519.verify(signature: signature, message: [], publicKey: key.publicKey))
        #expect(!Ed25519.verify(signature: highS, message: [], publicKey: key.publicKey))
        // S = L itself, and S = all ones.
        #expect(
            !Ed25519.verify(
                signature: signature.prefix(32) + Self.groupOrder, message: [],
                publicKey: key.publicKey))
        let allOnes = [UInt8](repeating: 0xFF, count: 32)
        #expect(
            !Ed25519.verify(
                signature: signature.prefix(32) + allOnes, message: [], publicKey: key.publicKey))
    }

    /// y = p and y = p + 1 are non-canonical spellings of y = 0 and y = 1, which are on the curve.
    @Test func rejectsNonCanonicalPublicKeys() {
        #expect(Ed25519.PublicKey(bytes: Self.smallY(0)) != nil)
        #expect(Ed25519.PublicKey(bytes: Self.nonCanonical(plus: 0)) == nil)
        #expect(Ed25519.PublicKey(bytes: Self.smallY(1)) != nil)
        #expect(Ed25519.PublicKey(bytes: Self.nonCanonical(plus: 1)) == nil)
        // Every value from p to 2^255 - 1, with and without the sign bit.
        for plus in 0..<19 {
            var bytes = Self.nonCanonical(plus: UInt8(plus))
            #expect(Ed25519.PublicKey(bytes: bytes) == nil, "p + \(plus)")
            bytes[31] |= 0x80
            #expect(Ed25519.PublicKey(bytes: bytes) == nil, "p + \(plus), sign bit set")
        }
    }

    @Test func rejectsNonCanonicalR() throws {
        let vector = try #require(Self.vectors.first)
        let key = Ed25519.PrivateKey(seed: try #require(Hex.decode(vector.secretKey)))
        let signature = key.sign([])
        for plus in 0..<19 {
            let forged = Self.nonCanonical(plus: UInt8(plus)) + signature.suffix(32)
            #expect(!Ed25519.verify(signature: forged, message: [], publicKey: key.publicKey))
        }
    }

    @Test func rejectsPointsOffTheCurve() {
        // (y^2 - 1) / (d y^2 + 1) is not a square for y = 2 (checked with Python when written).
        #expect(Ed25519.PublicKey(bytes: Self.smallY(2)) == nil)
        #expect(Ed25519.PublicKey(bytes: Self.smallY(3)) != nil)
        // x = 0 with the sign bit set ("negative zero") is a second spelling of (0, 1).
        var negativeZero = Self.smallY(1)
        negativeZero[31] |= 0x80
        #expect(Ed25519.PublicKey(bytes: negativeZero) == nil)
    }

    @Test func rejectsWrongLengths() throws {
        let vector = try #require(Self.vectors.first)
        let publicKeyBytes = try #require(Hex.decode(vector.publicKey))
        let publicKey = try #require(Ed25519.PublicKey(bytes: publicKeyBytes))
        #expect(Ed25519.PublicKey(bytes: publicKeyBytes.dropLast()) == nil)
        #expect(Ed25519.PublicKey(bytes: publicKeyBytes + [0]) == nil)
        #expect(Ed25519.PublicKey(bytes: []) == nil)
        let signature = try #require(Hex.decode(vector.signature))
        #expect(Ed25519.verify(signature: signature, message: [], publicKey: publicKey))
        #expect(!Ed25519.verify(signature: signature.dropLast(), message: [], publicKey: publicKey))
        #expect(!Ed25519.verify(signature: signature + [0], message: [], publicKey: publicKey))
        #expect(!Ed25519.verify(signature: [], message: [], publicKey: publicKey))
    }

    /// Documented choice: small-order points are valid encodings (RFC 8032 does not reject them).
    @Test func acceptsSmallOrderEncodingsAsRFC8032Does() {
        #expect(Ed25519.PublicKey(bytes: Self.smallY(1)) != nil)  // identity
        #expect(Ed25519.PublicKey(bytes: Self.smallY(0)) != nil)  // order 4
    }

    @Test func privateKeyDescriptionHidesTheSeed() throws {
        let key = Ed25519.PrivateKey(seed: [UInt8](repeating: 0xAB, count: 32))
        let description = String(describing: key)
        #expect(description.contains(Hex.encode(key.publicKey.bytes)))
        #expect(!description.contains(Hex.encode(key.seed)))
        #expect(!description.contains("171, 171"))
    }

    // MARK: Helpers

    /// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    static let groupOrder: [UInt8] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]

    /// The 32-byte little-endian encoding of a small y.
    static func smallY(_ y: UInt8) -> [UInt8] {
        [y] + [UInt8](repeating: 0, count: 31)
    }

    /// The encoding of p + plus (p = 2^255 - 19), for plus < 19.
    static func nonCanonical(plus: UInt8) -> [UInt8] {
        precondition(plus < 19)
        return [0xED + plus] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]
    }
}

/// A small seeded generator, so that "random" inputs are the same on every run.
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
