extension Ed25519 {
    /// Precomputed multiples of a point for `verificationMultiple`, built once per public key.
    ///
    /// A scalar s < 2^256 is cut into quarters, s = s0 + s1 2^64 + s2 2^128 + s3 2^192, so that
    /// [s]P = [s0]P0 + [s1]P1 + [s2]P2 + [s3]P3 with Pj = [2^(64 j)]P. With the Pj known in
    /// advance, Straus's simultaneous multiplication walks 64 bit positions instead of 253: the
    /// 189 doublings saved are most of the work of a verification, and the number of additions
    /// does not change (one non-adjacent form of the whole scalar, its digits dealt to quarters).
    /// The key's table costs those 192 doublings once, about one and a half verifications, and
    /// holds 4 x 16 cached points (10 KB); the base point's (`BaseTables.verification`) is built once.
    struct QuarterTable: Sendable {
        static let quarterBits = 64
        static let quarterCount = 4
        /// Widths of the non-adjacent forms: k (key side) in -31...31, so 16 odd multiples per
        /// quarter; S (base side) in -127...127, 64 per quarter, since that table is shared.
        static let keyWidth = 6
        static let baseWidth = 8

        /// `entries[16 * j + i]` = (2i + 1) * 2^(64 j) * P, ready to be added.
        let entries: [CachedPoint]

        init(_ point: Point) {
            self.entries = QuarterTable.multiples(of: point, width: QuarterTable.keyWidth).map(\.cached)
        }

        /// For each quarter j in turn, the odd multiples 1, 3, ..., 2^(width - 1) - 1 of [2^(64 j)]P.
        static func multiples(of point: Point, width: Int) -> [Point] {
            let perQuarter = 1 << (width - 2)
            var result: [Point] = []
            result.reserveCapacity(perQuarter * quarterCount)
            var quarterBase = point
            for quarter in 0..<quarterCount {
                if quarter > 0 {
                    // A doubling does not read T, so only the last of the 64 needs it back.
                    for _ in 1..<quarterBits { quarterBase = quarterBase.doubled().pointWithoutT }
                    quarterBase = quarterBase.doubled().point
                }
                result.append(contentsOf: oddMultiples(of: quarterBase, count: perQuarter))
            }
            return result
        }
    }
}
