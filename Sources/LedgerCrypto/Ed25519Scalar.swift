extension Ed25519 {
    /// An integer modulo the group order L = 2^252 + 27742317777372353535851937790883648493,
    /// as four 64-bit limbs (little-endian), always fully reduced.
    ///
    /// Reduction is bit-serial with a masked conditional subtraction: slower than Barrett
    /// (a few microseconds per signature) but obviously correct, and free of branches on the
    /// value, which matters because signing reduces the secret nonce and key.
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
            let x = [a.l0, a.l1, a.l2, a.l3]
            let y = [b.l0, b.l1, b.l2, b.l3]
            var wide = [c.l0, c.l1, c.l2, c.l3, 0, 0, 0, 0]
            for i in 0..<4 {
                var carry: UInt64 = 0
                for j in 0..<4 {
                    let (high, low) = x[i].multipliedFullWidth(by: y[j])
                    let (sum1, overflow1) = wide[i + j].addingReportingOverflow(low)
                    let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                    wide[i + j] = sum2
                    // high <= 2^64 - 2, so adding two carry bits cannot overflow.
                    carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
                }
                wide[i + 4] = carry  // still zero: column i + 4 was not yet written.
            }
            return Scalar.reduced(wide)
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

        /// A 512-bit value (eight limbs) modulo L.
        private static func reduced(_ wide: [UInt64]) -> Scalar {
            precondition(wide.count == 8, "reduction takes eight limbs")
            // The top 252 bits are already below 2^252 < L; start from them.
            var r = Scalar(
                l0: wide[4] >> 4 | wide[5] << 60, l1: wide[5] >> 4 | wide[6] << 60,
                l2: wide[6] >> 4 | wide[7] << 60, l3: wide[7] >> 4)
            for bitIndex in stride(from: 259, through: 0, by: -1) {
                let bit = (wide[bitIndex / 64] >> UInt64(bitIndex % 64)) & 1
                // r < L < 2^253, so 2r + 1 < 2^254 fits in four limbs.
                r = Scalar(
                    l0: r.l0 << 1 | bit, l1: r.l1 << 1 | r.l0 >> 63,
                    l2: r.l2 << 1 | r.l1 >> 63, l3: r.l3 << 1 | r.l2 >> 63)
                let (difference, borrow) = r.subtractingOrder()
                // Keep the difference unless it borrowed; a mask, not a branch.
                let keep = UInt64(0) &- UInt64(borrow ? 0 : 1)
                r = Scalar(
                    l0: r.l0 ^ ((r.l0 ^ difference.l0) & keep),
                    l1: r.l1 ^ ((r.l1 ^ difference.l1) & keep),
                    l2: r.l2 ^ ((r.l2 ^ difference.l2) & keep),
                    l3: r.l3 ^ ((r.l3 ^ difference.l3) & keep))
            }
            return r
        }
    }
}
