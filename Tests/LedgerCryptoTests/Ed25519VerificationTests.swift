import Testing

@testable import LedgerCrypto

/// The fast verification path (quarter tables, R compared by encoding and never decoded) against
/// the rules of `Ed25519` and against `ReferenceEd25519`, the implementation it replaced.
@Suite struct Ed25519VerificationTests {
    // MARK: Building blocks

    @Test(arguments: [5, 6, 8])
    func nonAdjacentFormRebuildsTheScalar(width: Int) {
        var stream = HashStream("naf \(width)")
        let order = Ed25519.Scalar.order
        var scalars = [
            Ed25519.Scalar(l0: 0, l1: 0, l2: 0, l3: 0), Ed25519.Scalar(l0: 1, l1: 0, l2: 0, l3: 0),
            Ed25519.Scalar(l0: order.l0 - 1, l1: order.l1, l2: order.l2, l3: order.l3),
            Ed25519.Scalar(l0: ~0, l1: ~0, l2: ~0, l3: (1 << 61) - 1),  // 2^253 - 1, the largest allowed
        ]
        scalars += (0..<200).map { _ in Ed25519.Scalar(reducing: stream.bytes(64)) }
        for scalar in scalars {
            let digits = Ed25519.nonAdjacentForm(scalar, width: width)
            #expect(digits.count == 256)
            var sinceNonZero = width
            for digit in digits {
                if digit != 0 {
                    #expect(digit & 1 != 0 && abs(Int(digit)) < 1 << (width - 1), "odd and in range")
                    #expect(sinceNonZero >= width - 1, "at least width - 1 zeros between non-zero digits")
                    sinceNonZero = 0
                } else {
                    sinceNonZero += 1
                }
            }
            #expect(Self.value(of: digits) == [scalar.l0, scalar.l1, scalar.l2, scalar.l3])
        }
    }

    /// sum d[i] 2^i as four 64-bit limbs, by signed 32-bit columns carried at the end.
    static func value(of digits: [Int8]) -> [UInt64] {
        var columns = [Int64](repeating: 0, count: 9)
        for (position, digit) in digits.enumerated() {
            columns[position / 32] += Int64(digit) << Int64(position % 32)
        }
        for index in 0..<8 {
            columns[index + 1] += columns[index] >> 32  // arithmetic shift: negative carries borrow
            columns[index] &= 0xFFFF_FFFF
        }
        #expect(columns[8] == 0, "the value is non-negative and below 2^256")
        return (0..<4).map { UInt64(columns[2 * $0]) | UInt64(columns[2 * $0 + 1]) << 32 }
    }

    @Test func batchInversionInverts() {
        var stream = HashStream("inverse")
        let elements = (0..<65).map { _ in Ed25519.FieldElement(bytes: stream.bytes(32)) }
        let inverses = Ed25519.FieldElement.inverted(elements)
        #expect(inverses.count == elements.count)
        for (element, inverse) in zip(elements, inverses) {
            #expect(element.multiplied(by: inverse).isEqual(to: .one))
            #expect(inverse.isEqual(to: element.inverted))
        }
        #expect(Ed25519.FieldElement.inverted([]).isEmpty)
    }

    /// The base tables convert their points to affine with one shared inversion: each
    /// point comes out as its own inversion would make it.
    @Test func pointsMadeAffineTogetherAreEachMadeAffine() {
        let points = Ed25519.oddMultiples(of: .base, count: 40)
        let together = Ed25519.AffinePoint.all(points)
        #expect(together.count == points.count)
        for (point, affine) in zip(points, together) {
            let alone = Ed25519.AffinePoint(point, zInverse: point.z.inverted)
            #expect(affine.yPlusX.isEqual(to: alone.yPlusX) && affine.yMinusX.isEqual(to: alone.yMinusX) && affine.xy2d.isEqual(to: alone.xy2d))
        }
        #expect(Ed25519.AffinePoint.all([]).isEmpty)
    }

    @Test func smallOrderPointsHaveTheOrdersTheirListSays() {
        for (index, point) in SmallOrder.points.enumerated() {
            var multiple = point
            var order = 1
            while multiple.encoded != SmallOrder.identityEncoding {
                multiple = SmallOrder.sum(multiple, point)
                order += 1
            }
            #expect(order == [1, 2, 4, 4, 8, 8, 8, 8][index], "\(SmallOrder.encodings[index])")
        }
    }

    // MARK: Strictness through the fast path

    @Test func refusesSAtOrAboveTheOrder() throws {
        let key = Ed25519.PrivateKey(seed: [UInt8](repeating: 7, count: 32))
        let signature = key.sign([1, 2, 3])
        #expect(Ed25519.verify(signature: signature, message: [1, 2, 3], publicKey: key.publicKey))
        let plusOrder = Array(signature.prefix(32)) + Ed25519DifferentialTests.addingGroupOrder(Array(signature.suffix(32)))
        let atOrder = Array(signature.prefix(32)) + Ed25519Tests.groupOrder
        let allOnes = Array(signature.prefix(32)) + [UInt8](repeating: 0xFF, count: 32)
        for bad in [plusOrder, atOrder, allOnes] {
            #expect(!Ed25519.verify(signature: bad, message: [1, 2, 3], publicKey: key.publicKey))
            #expect(!ReferenceEd25519.verify(signature: bad, message: [1, 2, 3], publicKey: key.publicKey))
        }
    }

    /// With the identity as key and S = 0, [S]B - [k]A is the identity whatever k: R = its
    /// encoding verifies, and its other spellings (y = p + 1, and x = "-0") must not, although
    /// they would decode to the same point if decoding were lax. This is the case that the
    /// comparison by encoding, which replaced the decoding of R, has to get right.
    @Test func refusesOtherSpellingsOfTheRightR() throws {
        let identityKey = try #require(Ed25519.PublicKey(bytes: SmallOrder.identityEncoding))
        let zero = [UInt8](repeating: 0, count: 32)
        var negativeZero = SmallOrder.identityEncoding
        negativeZero[31] |= 0x80
        let spellings = [(SmallOrder.identityEncoding, true), (Ed25519Tests.nonCanonical(plus: 1), false), (negativeZero, false)]
        var batch: [(signature: [UInt8], message: [UInt8], publicKey: Ed25519.PublicKey)] = []
        for (commitment, valid) in spellings {
            for message in [[], [0], Array("a ledger append".utf8)] as [[UInt8]] {
                #expect(Ed25519.verify(signature: commitment + zero, message: message, publicKey: identityKey) == valid)
                #expect(ReferenceEd25519.verify(signature: commitment + zero, message: message, publicKey: identityKey) == valid)
                batch.append((commitment + zero, message, identityKey))
            }
        }
        #expect(Ed25519.verifyBatch(batch, threads: 1) == spellings.flatMap { [$0.1, $0.1, $0.1] })
    }

    @Test func refusesNonCanonicalAndOffCurveR() throws {
        let key = Ed25519.PrivateKey(seed: [UInt8](repeating: 9, count: 32))
        let signature = key.sign([])
        var commitments = (0..<19).map { Ed25519Tests.nonCanonical(plus: UInt8($0)) }
        commitments += commitments.map { Array($0.prefix(31)) + [$0[31] | 0x80] }
        commitments.append(Ed25519Tests.smallY(2))  // not on the curve
        for commitment in commitments {
            let forged = commitment + signature.suffix(32)
            #expect(!Ed25519.verify(signature: forged, message: [], publicKey: key.publicKey))
            #expect(!ReferenceEd25519.verify(signature: forged, message: [], publicKey: key.publicKey))
        }
    }

    @Test func refusesNonCanonicalKeysAndAcceptsSmallOrderOnes() {
        for plus in [0, 1, 18] as [UInt8] {
            #expect(Ed25519.PublicKey(bytes: Ed25519Tests.nonCanonical(plus: plus)) == nil)
        }
        for encoding in SmallOrder.encodings {
            #expect(Ed25519.PublicKey(bytes: Hex.decode(encoding)!) != nil, "\(encoding)")
        }
    }

    /// Keys [a]B + T for each small-order T, signed so that the equation holds exactly when [k]T
    /// vanishes, and the identity itself as key, for which R = [S]B verifies whatever the message:
    /// RFC 8032 does not refuse small-order keys, and neither do we (keys come from a pinned list).
    @Test func acceptsAValidSignatureBySmallOrderKeys() throws {
        var stream = HashStream("small-order key")
        for (index, torsion) in SmallOrder.points.enumerated() {
            var outcomes: Set<Bool> = []
            for _ in 0..<64 {
                let item = SmallOrder.signature(using: &stream, keyTorsion: torsion, commitmentTorsion: .identity)
                let verdict = Ed25519.verify(signature: item.signature, message: item.message, publicKey: item.publicKey)
                #expect(verdict == item.expected)
                outcomes.insert(item.expected)
            }
            // Identity: always valid; other orders: [k]T vanishes for some k and not others.
            #expect(outcomes == (index == 0 ? [true] : [true, false]), "\(SmallOrder.encodings[index])")
        }
        let identityKey = try #require(Ed25519.PublicKey(bytes: SmallOrder.identityEncoding))
        let response = Ed25519.Scalar(reducing: stream.bytes(64))
        let signature = Ed25519.baseMultiple(response).encoded + response.bytes
        #expect(Ed25519.verify(signature: signature, message: [42], publicKey: identityKey))
        #expect(Ed25519.verify(signature: signature, message: [], publicKey: identityKey))
    }

    @Test func refusesASignatureOverOtherBytes() {
        let key = Ed25519.PrivateKey(seed: [UInt8](repeating: 3, count: 32))
        let message = Array("seq 41 operator.registered".utf8)
        let signature = key.sign(message)
        #expect(Ed25519.verify(signature: signature, message: message, publicKey: key.publicKey))
        for other in [Array("seq 42 operator.registered".utf8), message + [0], Array(message.dropLast()), []] {
            #expect(!Ed25519.verify(signature: signature, message: other, publicKey: key.publicKey))
        }
    }

    // MARK: Differential against the reference

    /// Valid signatures and mutations of them, by honest keys and by keys and R with a
    /// small-order component: the fast path's verdict is the reference's, every time.
    @Test func agreesWithTheReferenceOnSeededCases() {
        var stream = HashStream("differential")
        let keys = (0..<16).map { _ in Ed25519.PrivateKey(seed: stream.bytes(32)) }
        var counts = (valid: 0, invalid: 0)
        for index in 0..<1200 {
            let (signature, message, publicKey, expected) = Self.seededCase(index, keys: keys, stream: &stream)
            let fast = Ed25519.verify(signature: signature, message: message, publicKey: publicKey)
            let reference = ReferenceEd25519.verify(signature: signature, message: message, publicKey: publicKey)
            #expect(fast == reference, "case \(index)")
            if let expected { #expect(fast == expected, "case \(index)") }
            if fast { counts.valid += 1 } else { counts.invalid += 1 }
        }
        #expect(counts.valid > 250 && counts.invalid > 250, "both verdicts well represented: \(counts)")
    }

    /// Case `index` of the differential: a signature, the message and key to check it with, and
    /// the verdict when it is known by construction (nil for a mutation that could, in principle,
    /// still verify, such as a random S).
    static func seededCase(
        _ index: Int, keys: [Ed25519.PrivateKey], stream: inout HashStream
    ) -> (signature: [UInt8], message: [UInt8], publicKey: Ed25519.PublicKey, expected: Bool?) {
        let key = keys[index % keys.count]
        let message = stream.bytes(Int(stream.next() % 300))
        var signature = key.sign(message)
        switch index % 10 {
        case 0, 1: return (signature, message, key.publicKey, true)
        case 2: signature[Int(stream.next() % 32)] ^= 1 << UInt8(stream.next() % 8)
        case 3: signature[32 + Int(stream.next() % 31)] ^= 1 << UInt8(stream.next() % 8)
        case 4: signature = Array(signature.prefix(32)) + Ed25519DifferentialTests.addingGroupOrder(Array(signature.suffix(32)))
        case 5: signature = stream.bytes(32) + signature.suffix(32)  // R random bytes: rarely a point
        case 6: signature = Array(key.sign(message + [1]).prefix(32)) + signature.suffix(32)  // another valid R
        case 7: return (signature, message, keys[(index + 1) % keys.count].publicKey, false)
        case 8:
            let small = SmallOrder.points[Int(stream.next() % 8)]
            let item = SmallOrder.signature(using: &stream, keyTorsion: small, commitmentTorsion: .identity)
            return (item.signature, item.message, item.publicKey, item.expected)
        default:
            let keyTorsion = SmallOrder.points[Int(stream.next() % 8)]
            let commitmentTorsion = SmallOrder.points[Int(stream.next() % 8)]
            let item = SmallOrder.signature(using: &stream, keyTorsion: keyTorsion, commitmentTorsion: commitmentTorsion)
            return (item.signature, item.message, item.publicKey, item.expected)
        }
        return (signature, message, key.publicKey, index % 10 == 5 ? nil : false)
    }
}
