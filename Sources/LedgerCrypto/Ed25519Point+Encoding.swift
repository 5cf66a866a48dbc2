extension Ed25519.Point {
    /// sqrt(-1) mod p = 2^((p-1)/4), used when the first square-root candidate squares to -u.
    static let sqrtMinusOne = Ed25519.FieldElement(
        l0: 1_718_705_420_411_056, l1: 234_908_883_556_509, l2: 2_233_514_472_574_048,
        l3: 2_117_202_627_021_982, l4: 765_476_049_583_133)

    /// Decodes a point as RFC 8032 section 5.1.3 prescribes, strictly:
    /// - exactly 32 bytes;
    /// - the y coordinate (low 255 bits) must be below p: a y >= p is an alternative encoding of
    ///   y - p, and accepting it would give one point two encodings (rejected);
    /// - x^2 = (y^2 - 1) / (d y^2 + 1) must have a square root, i.e. the point is on the curve;
    /// - x = 0 with the sign bit set is the second encoding of (0, y) and is rejected.
    /// Points of small order are valid encodings and are accepted, as RFC 8032 does.
    init?(strictEncoding bytes: some Collection<UInt8>) {
        let encoding = Array(bytes)
        guard encoding.count == 32, Ed25519.FieldElement.isCanonicalEncoding(encoding) else {
            return nil
        }
        let y = Ed25519.FieldElement(bytes: encoding)
        let signBit = encoding[31] >> 7
        let yy = y.squared()
        let u = yy.subtracting(.one)
        let v = yy.multiplied(by: Self.d).adding(.one)
        // Candidate root x = u v^3 (u v^7)^((p-5)/8), RFC 8032 section 5.1.3 step 2.
        let v3 = v.squared().multiplied(by: v)
        let v7 = v3.squared().multiplied(by: v)
        var x = u.multiplied(by: v3).multiplied(by: u.multiplied(by: v7).powerPMinus5Over8)
        let vxx = v.multiplied(by: x.squared())
        if vxx.isEqual(to: u) {
            // x is a root.
        } else if vxx.isEqual(to: u.negated) {
            x = x.multiplied(by: Self.sqrtMinusOne)
        } else {
            return nil
        }
        if x.isZero && signBit == 1 { return nil }
        if x.isNegative != (signBit == 1) { x = x.negated }
        self.init(x: x, y: y, z: .one, t: x.multiplied(by: y))
    }
}
