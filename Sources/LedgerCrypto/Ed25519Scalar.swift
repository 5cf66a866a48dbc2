extension Ed25519 {
    /// An integer modulo the group order L = 2^252 + 27742317777372353535851937790883648493,
    /// as four 64-bit limbs (little-endian), always fully reduced.
    ///
    /// Reduction is Barrett's, in a fixed sequence of operations with masked conditional
    /// subtractions and no branch on the value, which matters because signing reduces the
    /// secret nonce and key.
    struct Scalar: Sendable, Equatable {
        var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

        static let order = Scalar(
            l0: 0x5812_631a_5cf5_d3ed, l1: 0x14de_f9de_a2f7_9cd6, l2: 0, l3: 0x1000_0000_0000_0000)

        init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64) {
            self.l0 = l0
            self.l1 = l1
            self.l2 = l2
            self.l3 = l3
        }

        /// The 32 little-endian bytes as a scalar, or nil when the value is not below L. RFC 8032
        /// section 5.1.7 requires rejecting a signature whose S is not in [0, L): S and S + L
        /// would otherwise both verify, making signatures malleable.
        init?(canonicalBytes bytes: some Collection<UInt8>) {
            let words = Scalar.words(Array(bytes))
            precondition(words.count == 4, "a scalar encoding is 32 bytes")
            let candidate = Scalar(l0: words[0], l1: words[1], l2: words[2], l3: words[3])
            guard candidate.subtractingOrder().borrow else { return nil }
            self = candidate
        }

        /// Any number of little-endian bytes up to 64 (a SHA-512 output), reduced modulo L.
        init(reducing bytes: some Collection<UInt8>) {
            var wide = Scalar.words(Array(bytes))
            precondition(wide.count <= 8, "at most 512 bits can be reduced")
            wide.append(contentsOf: repeatElement(0, count: 8 - wide.count))
            self = Scalar.reduced(wide)
        }

        /// (a * b + c) mod L.
        static func multiplyAdd(_ a: Scalar, _ b: Scalar, _ c: Scalar) -> Scalar {
            var wide = product([a.l0, a.l1, a.l2, a.l3], [b.l0, b.l1, b.l2, b.l3])
            var carry: UInt64 = 0
            for (index, limb) in [c.l0, c.l1, c.l2, c.l3, 0, 0, 0, 0].enumerated() {
                let (sum1, overflow1) = wide[index].addingReportingOverflow(limb)
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                wide[index] = sum2
                carry = (overflow1 ? 1 : 0) | (overflow2 ? 1 : 0)
            }
            // a b + c < L^2 + L < 2^512: nothing carries out.
            return Scalar.reduced(wide)
        }

        /// The schoolbook product of two little-endian limb arrays, a.count + b.count limbs.
        private static func product(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
            var result = [UInt64](repeating: 0, count: a.count + b.count)
            for i in 0..<a.count {
                var carry: UInt64 = 0
                for j in 0..<b.count {
                    let (high, low) = a[i].multipliedFullWidth(by: b[j])
                    let (sum1, overflow1) = result[i + j].addingReportingOverflow(low)
                    let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                    result[i + j] = sum2
                    // high <= 2^64 - 2, so adding two carry bits cannot overflow.
                    carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
                }
                result[i + b.count] = carry  // still zero: column i + b.count was not yet written.
            }
            return result
        }

        /// 32 little-endian bytes.
        var bytes: [UInt8] {
            [self.l0, self.l1, self.l2, self.l3].flatMap { word in
                (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) }
            }
        }

        private static func words(_ bytes: [UInt8]) -> [UInt64] {
            precondition(bytes.count % 8 == 0, "scalar input must be whole 64-bit words")
            var words: [UInt64] = []
            for offset in stride(from: 0, to: bytes.count, by: 8) {
                var word: UInt64 = 0
                for index in (offset..<offset + 8).reversed() {
                    word = word << 8 | UInt64(bytes[index])
                }
                words.append(word)
            }
            return words
        }

        /// self - L and whether that borrowed (that is, whether self < L).
        private func subtractingOrder() -> (difference: Scalar, borrow: Bool) {
            let order = Scalar.order
            let (d0, b0) = self.l0.subtractingReportingOverflow(order.l0)
            let (d1a, b1a) = self.l1.subtractingReportingOverflow(order.l1)
            let (d1, b1b) = d1a.subtractingReportingOverflow(b0 ? 1 : 0)
            let (d2a, b2a) = self.l2.subtractingReportingOverflow(order.l2)
            let (d2, b2b) = d2a.subtractingReportingOverflow(b1a || b1b ? 1 : 0)
            let (d3a, b3a) = self.l3.subtractingReportingOverflow(order.l3)
            let (d3, b3b) = d3a.subtractingReportingOverflow(b2a || b2b ? 1 : 0)
            return (Scalar(l0: d0, l1: d1, l2: d2, l3: d3), b3a || b3b)
        }

        /// floor(2^512 / L), 260 bits in five limbs: Barrett's constant for L.
        private static let barrettFactor: [UInt64] = [
            0xed9c_e5a3_0a2c_131b, 0x2106_215d_0863_29a7, 0xffff_ffff_ffff_ffeb, 0xffff_ffff_ffff_ffff, 0xf,
        ]

        /// A 512-bit value x (eight limbs) modulo L, by Barrett reduction (Handbook of Applied
        /// Cryptography, algorithm 14.42, base 2^64, k = 4): q = floor(floor(x / 2^192) mu / 2^320)
        /// is floor(x / L) or at most 2 below it, so x - q L, computed modulo 2^320, is below 3L;
        /// two masked subtractions of L finish.
        private static func reduced(_ wide: [UInt64]) -> Scalar {
            precondition(wide.count == 8, "reduction takes eight limbs")
            let quotient = Array(product(Array(wide[3..<8]), barrettFactor)[5..<10])
            let order = Scalar.order
            let quotientTimesOrder = product(quotient, [order.l0, order.l1, order.l2, order.l3])
            var remainder = [UInt64](repeating: 0, count: 5)
            var borrow: UInt64 = 0
            for index in 0..<5 {
                let (difference1, borrow1) = wide[index].subtractingReportingOverflow(quotientTimesOrder[index])
                let (difference2, borrow2) = difference1.subtractingReportingOverflow(borrow)
                remainder[index] = difference2
                borrow = (borrow1 ? 1 : 0) | (borrow2 ? 1 : 0)
            }
            // The remainder is below 3L < 2^254: its fifth limb is zero whatever the secret.
            precondition(remainder[4] == 0, "Barrett remainder out of bounds")
            let estimate = Scalar(l0: remainder[0], l1: remainder[1], l2: remainder[2], l3: remainder[3])
            return estimate.subtractingOrderUnlessBelow().subtractingOrderUnlessBelow()
        }

        /// self - L when self >= L, else self; a mask, not a branch.
        private func subtractingOrderUnlessBelow() -> Scalar {
            let (difference, borrow) = self.subtractingOrder()
            let keep = UInt64(0) &- UInt64(borrow ? 0 : 1)
            return Scalar(
                l0: self.l0 ^ ((self.l0 ^ difference.l0) & keep),
                l1: self.l1 ^ ((self.l1 ^ difference.l1) & keep),
                l2: self.l2 ^ ((self.l2 ^ difference.l2) & keep),
                l3: self.l3 ^ ((self.l3 ^ difference.l3) & keep))
        }
    }
}
