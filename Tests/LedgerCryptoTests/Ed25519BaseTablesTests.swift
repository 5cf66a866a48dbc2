import Testing

@testable import LedgerCrypto

/// The base point's tables are embedded as limbs that scripts/ed25519_tables.py computed with
/// Python's integers from the curve's definition. Here the Swift code derives every entry
/// again, by its own point arithmetic, and the two must agree to the bit of each encoding.
@Suite struct Ed25519BaseTablesTests {
    typealias AffinePoint = Ed25519.AffinePoint

    @Test func theSigningTableIsTheMultiplesOfTheBasePointByDigitAndRow() {
        // (j + 1) * 16^i * B: each row's base is 16 times the previous row's.
        var derived: [Ed25519.Point] = []
        var rowBase = Ed25519.Point.base
        for _ in 0..<64 {
            var multiples = [rowBase]
            for _ in 1..<8 { multiples.append(multiples[multiples.count - 1].adding(rowBase.cached).point) }
            derived.append(contentsOf: multiples)
            rowBase = multiples[7].doubled().point
        }
        let embedded = Ed25519.BaseTables.signing.flatMap { $0 }
        #expect(Ed25519.BaseTables.signing.count == 64 && Ed25519.BaseTables.signing.allSatisfy { $0.count == 8 })
        Self.expectSame(embedded, AffinePoint.all(derived))
    }

    @Test func theVerificationTableIsTheOddMultiplesOfEachQuarter() {
        let derived = Ed25519.QuarterTable.multiples(of: .base, width: Ed25519.QuarterTable.baseWidth)
        Self.expectSame(Ed25519.BaseTables.verification, AffinePoint.all(derived))
    }

    /// Every limb is reduced: the arithmetic's bounds hold for the table's entries as they do
    /// for the results of its own operations.
    @Test func everyLimbIsBelowTwoToThe51() {
        let limbs = Ed25519.BaseTables.signingLimbs + Ed25519.BaseTables.verificationLimbs
        #expect(limbs.count == 15 * (512 + 256))
        #expect(limbs.allSatisfy { $0 < 1 << 51 })
    }

    /// A signature made with the embedded table verifies against the key the table derived,
    /// and RFC 8032's first test vector still derives its public key (the table's first use).
    @Test func aKeyDerivedWithTheTableIsRFC8032s() {
        let seed = Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!
        let key = Ed25519.PrivateKey(seed: seed)
        #expect(Hex.encode(key.publicKey.bytes) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = key.sign([UInt8]("table".utf8))
        #expect(Ed25519.verify(signature: signature, message: [UInt8]("table".utf8), publicKey: key.publicKey))
    }

    static func expectSame(_ embedded: [AffinePoint], _ derived: [AffinePoint], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(embedded.count == derived.count, sourceLocation: sourceLocation)
        let differing = zip(embedded, derived).enumerated().filter { _, pair in
            !(pair.0.yPlusX.isEqual(to: pair.1.yPlusX) && pair.0.yMinusX.isEqual(to: pair.1.yMinusX)
              && pair.0.xy2d.isEqual(to: pair.1.xy2d))
        }.map(\.offset)
        #expect(differing.isEmpty, "entries that differ: \(differing.prefix(10))", sourceLocation: sourceLocation)
    }
}

