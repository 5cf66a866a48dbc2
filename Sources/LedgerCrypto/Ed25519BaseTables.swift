extension Ed25519 {
    /// Precomputed multiples of the base point B, read from the limbs that
    /// scripts/ed25519_tables.py computed (`Ed25519BaseTables+Limbs.swift`). Built at run time
    /// they cost about 0.5 ms of every command that signs and 0.2 ms of every command that
    /// checks a signature; `Ed25519BaseTablesTests` derives them again and compares.
    enum BaseTables {
        /// `signing[i][j]` = (j + 1) * 16^i * B for i in 0..<64, j in 0..<8: one row per
        /// radix-16 digit of a scalar, so a fixed-base multiplication is 64 additions of
        /// table entries and no doublings.
        static let signing: [[AffinePoint]] = {
            let points = affinePoints(signingLimbs)
            return (0..<64).map { Array(points[(8 * $0)..<(8 * $0 + 8)]) }
        }()

        /// The base side of `verificationMultiple`: `verification[64 * j + i]` = (2i + 1) * 2^(64 j) * B
        /// for j in 0..<4 and i in 0..<64, the odd multiples up to 127 that a width-8 non-adjacent
        /// form needs, one block per quarter of the scalar (`QuarterTable` explains the quarters).
        /// 256 affine points, 30 KB.
        static let verification: [AffinePoint] = affinePoints(verificationLimbs)

        /// Entries of 15 limbs: y + x, y - x, 2dxy, five each.
        private static func affinePoints(_ limbs: [UInt64]) -> [AffinePoint] {
            precondition(limbs.count % 15 == 0, "whole entries")
            return stride(from: 0, to: limbs.count, by: 15).map { at in
                func element(_ offset: Int) -> FieldElement {
                    FieldElement(l0: limbs[at + offset], l1: limbs[at + offset + 1], l2: limbs[at + offset + 2],
                                 l3: limbs[at + offset + 3], l4: limbs[at + offset + 4])
                }
                return AffinePoint(yPlusX: element(0), yMinusX: element(5), xy2d: element(10))
            }
        }
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
