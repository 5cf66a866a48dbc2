extension Ed25519 {
    /// Precomputed multiples of the base point B, built once on first use (about 0.3 ms each:
    /// their conversions to affine share one inversion).
    enum BaseTables {
        /// `signing[i][j]` = (j + 1) * 16^i * B for i in 0..<64, j in 0..<8: one row per
        /// radix-16 digit of a scalar, so a fixed-base multiplication is 64 additions of
        /// table entries and no doublings.
        static let signing: [[AffinePoint]] = {
            var points: [Point] = []
            points.reserveCapacity(64 * 8)
            var rowBase = Point.base  // 16^i * B
            for _ in 0..<64 {
                var multiples: [Point] = [rowBase]
                let rowBaseCached = rowBase.cached
                for _ in 1..<8 {
                    multiples.append(multiples[multiples.count - 1].adding(rowBaseCached).point)
                }
                points.append(contentsOf: multiples)
                // 16 * rowBase = 2 * (8 * rowBase).
                rowBase = multiples[7].doubled().point
            }
            let affine = AffinePoint.all(points)
            return (0..<64).map { Array(affine[(8 * $0)..<(8 * $0 + 8)]) }
        }()

        /// The base side of `verificationMultiple`: `verification[64 * j + i]` = (2i + 1) * 2^(64 j) * B
        /// for j in 0..<4 and i in 0..<64, the odd multiples up to 127 that a width-8 non-adjacent
        /// form needs, one block per quarter of the scalar (`QuarterTable` explains the quarters).
        /// 256 affine points, 30 KB, built on first use.
        static let verification: [AffinePoint] = AffinePoint.all(QuarterTable.multiples(
            of: Point.base, width: QuarterTable.baseWidth
        ))
    }

    /// P, 3P, 5P, ..., (2 count - 1) P (extended coordinates).
    static func oddMultiples(of point: Point, count: Int = 8) -> [Point] {
        precondition(count >= 1, "at least P itself")
        let doubled = point.doubled().point.cached
        var multiples: [Point] = [point]
        multiples.reserveCapacity(count)
        for _ in 1..<count {
            multiples.append(multiples[multiples.count - 1].adding(doubled).point)
        }
        return multiples
    }
}
