@testable import LedgerCrypto

/// Deterministic test bytes: SHA-512 of a label and a counter, so that "random" cases are the
/// same on every run and differ between tests by their label.
struct HashStream: RandomNumberGenerator {
    private let label: [UInt8]
    private var counter: UInt64 = 0
    private var pending: [UInt8] = []

    init(_ label: String) { self.label = Array(label.utf8) }

    mutating func bytes(_ count: Int) -> [UInt8] {
        while self.pending.count < count {
            let counterBytes = (0..<8).map { UInt8(truncatingIfNeeded: self.counter >> (8 * UInt64($0))) }
            self.pending += SHA512.hash(self.label + counterBytes)
            self.counter += 1
        }
        defer { self.pending.removeFirst(count) }
        return Array(self.pending.prefix(count))
    }

    mutating func next() -> UInt64 {
        self.bytes(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// `Ed25519.verify` as it was before the quarter tables (commit 58cbdf4): R decoded strictly
/// first, then [S]B - [k]A by width-5 sliding windows over 253 doublings. The fast path must
/// give the same verdict on every input.
enum ReferenceEd25519 {
    typealias Scalar = Ed25519.Scalar
    typealias Point = Ed25519.Point

    static func verify(signature: [UInt8], message: [UInt8], publicKey: Ed25519.PublicKey) -> Bool {
        guard signature.count == 64 else { return false }
        let commitment = Array(signature[0..<32])
        guard let response = Scalar(canonicalBytes: signature[32..<64]) else { return false }
        guard Point(strictEncoding: commitment) != nil else { return false }
        let challenge = Ed25519.challenge(commitment: commitment, publicKey: publicKey, message: message)
        return doubleBaseMultiple(challenge, publicKey.point.negated, response).encoded == commitment
    }

    /// B, 3B, 5B, ..., 15B: the odd multiples a width-5 sliding window needs.
    static let baseOddMultiples: [Ed25519.AffinePoint] = Ed25519.AffinePoint.all(Ed25519.oddMultiples(of: Point.base))

    /// [a]P + [b]B by Straus's method with width-5 sliding windows: about 253 doublings and 85
    /// additions. Moved here from Ed25519ScalarMultiplication.swift as it was.
    static func doubleBaseMultiple(_ a: Scalar, _ point: Point, _ b: Scalar) -> Point {
        let aDigits = slidingWindowDigits(a)
        let bDigits = slidingWindowDigits(b)
        let pointMultiples = Ed25519.oddMultiples(of: point).map(\.cached)
        let baseMultiples = Self.baseOddMultiples
        var top = 255
        while top >= 0 && aDigits[top] == 0 && bDigits[top] == 0 { top -= 1 }
        var result = Point.identity
        var index = top
        while index >= 0 {
            var sum = result.doubled()
            let aDigit = Int(aDigits[index])
            let bDigit = Int(bDigits[index])
            if aDigit != 0 {
                sum = sum.point.adding(pointMultiples[abs(aDigit) / 2], subtract: aDigit < 0)
            }
            if bDigit != 0 {
                let entry = baseMultiples[abs(bDigit) / 2]
                sum = sum.point.adding(bDigit > 0 ? entry : entry.negated)
            }
            result = sum.pointWithoutT
            index -= 1
        }
        return result
    }

    /// Signed odd digits in -15...15 with at least four zeros after each non-zero digit
    /// (a width-5 non-adjacent form), s = sum r[i] * 2^i. Same recoding as ref10's `slide`.
    private static func slidingWindowDigits(_ scalar: Scalar) -> [Int8] {
        let bytes = scalar.bytes
        var digits = (0..<256).map { Int8(truncatingIfNeeded: (bytes[$0 >> 3] >> ($0 & 7)) & 1) }
        for index in 0..<256 where digits[index] != 0 {
            var offset = 1
            while offset <= 6 && index + offset < 256 {
                defer { offset += 1 }
                guard digits[index + offset] != 0 else { continue }
                let shifted = Int(digits[index + offset]) << offset
                if Int(digits[index]) + shifted <= 15 {
                    digits[index] += Int8(shifted)
                    digits[index + offset] = 0
                } else if Int(digits[index]) - shifted >= -15 {
                    digits[index] -= Int8(shifted)
                    // Propagate the borrowed 1 upwards (the scalar is below 2^253, so it ends).
                    var carryIndex = index + offset
                    while carryIndex < 256 {
                        if digits[carryIndex] == 0 {
                            digits[carryIndex] = 1
                            break
                        }
                        digits[carryIndex] = 0
                        carryIndex += 1
                    }
                } else {
                    break
                }
            }
        }
        return digits
    }
}

/// Points of small order and signatures built around them, where the cofactorless equation and
/// a random-linear-combination batch would disagree.
enum SmallOrder {
    /// Encodings of the eight points of order dividing 8: the identity, order 2, two of order 4,
    /// four of order 8 (the list libsodium and "Taming the many EdDSAs" use).
    static let encodings: [String] = [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    ]

    static let points: [Ed25519.Point] = encodings.map { Ed25519.Point(strictEncoding: Hex.decode($0)!)! }

    static let identityEncoding = Hex.decode(encodings[0])!

    /// A signature by the key [a]B + keyTorsion with commitment [r]B + commitmentTorsion, and
    /// S = r + k a: it satisfies [S]B = R + [k]A exactly when commitmentTorsion + [k]keyTorsion
    /// is the identity, which `expected` says (computed apart from any verifier).
    struct Case {
        let signature: [UInt8]
        let message: [UInt8]
        let publicKey: Ed25519.PublicKey
        let expected: Bool
    }

    static func signature(
        using stream: inout HashStream, keyTorsion: Ed25519.Point, commitmentTorsion: Ed25519.Point
    ) -> Case {
        let secret = Ed25519.Scalar(reducing: stream.bytes(64))
        let nonce = Ed25519.Scalar(reducing: stream.bytes(64))
        let message = stream.bytes(Int(stream.next() % 100))
        let keyBytes = sum(Ed25519.baseMultiple(secret), keyTorsion).encoded
        let publicKey = Ed25519.PublicKey(bytes: keyBytes)!
        let commitment = sum(Ed25519.baseMultiple(nonce), commitmentTorsion).encoded
        let challenge = Ed25519.challenge(commitment: commitment, publicKey: publicKey, message: message)
        let response = Ed25519.Scalar.multiplyAdd(challenge, secret, nonce)
        let residue = sum(multiple(keyTorsion, challenge), commitmentTorsion)
        return Case(
            signature: commitment + response.bytes, message: message, publicKey: publicKey,
            expected: residue.encoded == identityEncoding)
    }

    static func sum(_ p: Ed25519.Point, _ q: Ed25519.Point) -> Ed25519.Point { p.adding(q.cached).point }

    /// [s]P by plain double-and-add, independent of every multiplication under test.
    static func multiple(_ point: Ed25519.Point, _ scalar: Ed25519.Scalar) -> Ed25519.Point {
        var result = Ed25519.Point.identity
        for byte in scalar.bytes.reversed() {
            for bit in (0..<8).reversed() {
                result = result.doubled().point
                if (byte >> UInt8(bit)) & 1 == 1 { result = sum(result, point) }
            }
        }
        return result
    }
}

/// Points made affine, as the base tables were before they were embedded (the tests derive them
/// again this way): one inversion shared by all (Montgomery's trick), or a point's own 1/Z.
extension Ed25519.AffinePoint {
    init(_ point: Ed25519.Point, zInverse: Ed25519.FieldElement) {
        let x = point.x.multiplied(by: zInverse), y = point.y.multiplied(by: zInverse)
        self.init(yPlusX: y.adding(x), yMinusX: y.subtracting(x), xy2d: x.multiplied(by: y).multiplied(by: Ed25519.Point.d2))
    }

    static func all(_ points: [Ed25519.Point]) -> [Ed25519.AffinePoint] {
        zip(points, Ed25519.FieldElement.inverted(points.map(\.z))).map { Ed25519.AffinePoint($0, zInverse: $1) }
    }
}
