extension Ed25519 {
    /// A point of edwards25519, -x^2 + y^2 = 1 + d x^2 y^2, in extended coordinates
    /// (X : Y : Z : T) with x = X/Z, y = Y/Z, x y = T/Z (Hisil, Wong, Carter, Dawson 2008).
    /// The formulas follow RFC 8032 section 5.1.4 and ref10; they are complete for this curve.
    struct Point: Sendable {
        var x: FieldElement, y: FieldElement, z: FieldElement, t: FieldElement

        static let identity = Point(x: .zero, y: .one, z: .one, t: .zero)

        /// The base point B: y = 4/5, x even (RFC 8032 section 5.1).
        static let base = Point(
            x: FieldElement(
                l0: 1_738_742_601_995_546, l1: 1_146_398_526_822_698, l2: 2_070_867_633_025_821,
                l3: 562_264_141_797_630, l4: 587_772_402_128_613),
            y: FieldElement(
                l0: 1_801_439_850_948_184, l1: 1_351_079_888_211_148, l2: 450_359_962_737_049,
                l3: 900_719_925_474_099, l4: 1_801_439_850_948_198),
            z: .one,
            t: FieldElement(
                l0: 1_841_354_044_333_475, l1: 16_398_895_984_059, l2: 755_974_180_946_558,
                l3: 900_171_276_175_154, l4: 1_821_297_809_914_039))

        /// d = -121665/121666 and 2d.
        static let d = FieldElement(
            l0: 929_955_233_495_203, l1: 466_365_720_129_213, l2: 1_662_059_464_998_953,
            l3: 2_033_849_074_728_123, l4: 1_442_794_654_840_575)
        static let d2 = FieldElement(
            l0: 1_859_910_466_990_425, l1: 932_731_440_258_426, l2: 1_072_319_116_312_658,
            l3: 1_815_898_335_770_999, l4: 633_789_495_995_903)

        var negated: Point { Point(x: self.x.negated, y: self.y, z: self.z, t: self.t.negated) }

        /// Cached form for repeated additions (saves the 2d multiplication each time).
        var cached: CachedPoint {
            CachedPoint(
                yPlusX: self.y.adding(self.x), yMinusX: self.y.subtracting(self.x), z: self.z,
                t2d: self.t.multiplied(by: Point.d2))
        }

        /// The 32-byte encoding of RFC 8032 section 5.1.2: y, with the sign of x in bit 255.
        var encoded: [UInt8] { self.encoded(zInverse: self.z.inverted) }

        /// The encoding when 1/Z is already known (batch verification shares one inversion).
        func encoded(zInverse: FieldElement) -> [UInt8] {
            let affineX = self.x.multiplied(by: zInverse)
            var bytes = self.y.multiplied(by: zInverse).bytes
            bytes[31] |= affineX.isNegative ? 0x80 : 0
            return bytes
        }

        /// 2P ("dbl-2008-hwcd"); T of the input is not read.
        func doubled() -> CompletedPoint {
            let xx = self.x.squared()
            let yy = self.y.squared()
            let zz = self.z.squared()
            let zz2 = zz.adding(zz)
            let xPlusYSquared = self.x.adding(self.y).squared()
            let yyPlusXX = yy.adding(xx)
            let yyMinusXX = yy.subtracting(xx)
            return CompletedPoint(
                x: xPlusYSquared.subtracting(yyPlusXX), y: yyPlusXX, z: yyMinusXX,
                t: zz2.subtracting(yyMinusXX))
        }

        /// P + Q, or P - Q when `subtract` is set ("add-2008-hwcd-3").
        func adding(_ q: CachedPoint, subtract: Bool = false) -> CompletedPoint {
            let plus = self.y.adding(self.x).multiplied(by: subtract ? q.yMinusX : q.yPlusX)
            let minus = self.y.subtracting(self.x).multiplied(by: subtract ? q.yPlusX : q.yMinusX)
            let tt = q.t2d.multiplied(by: self.t)
            let zz = self.z.multiplied(by: q.z)
            let zz2 = zz.adding(zz)
            return CompletedPoint(
                x: plus.subtracting(minus), y: plus.adding(minus),
                z: subtract ? zz2.subtracting(tt) : zz2.adding(tt),
                t: subtract ? zz2.adding(tt) : zz2.subtracting(tt))
        }

        /// P + Q for an affine Q (Z = 1), one multiplication cheaper than `adding(_: CachedPoint)`;
        /// P - Q when `subtract` is set (-Q swaps y + x with y - x and negates 2dxy). Inlined so
        /// that signing, which only adds, does not pay for the choice.
        @inline(__always)
        func adding(_ q: AffinePoint, subtract: Bool = false) -> CompletedPoint {
            let plus = self.y.adding(self.x).multiplied(by: subtract ? q.yMinusX : q.yPlusX)
            let minus = self.y.subtracting(self.x).multiplied(by: subtract ? q.yPlusX : q.yMinusX)
            let tt = q.xy2d.multiplied(by: self.t)
            let zz2 = self.z.adding(self.z)
            return CompletedPoint(
                x: plus.subtracting(minus), y: plus.adding(minus),
                z: subtract ? zz2.subtracting(tt) : zz2.adding(tt),
                t: subtract ? zz2.adding(tt) : zz2.subtracting(tt))
        }
    }

    /// The result of an addition or doubling: x = X/Z, y = Y/T ("P1xP1" in ref10).
    struct CompletedPoint: Sendable {
        var x: FieldElement, y: FieldElement, z: FieldElement, t: FieldElement

        var point: Point {
            Point(
                x: self.x.multiplied(by: self.t), y: self.y.multiplied(by: self.z),
                z: self.z.multiplied(by: self.t), t: self.x.multiplied(by: self.y))
        }

        /// Same as `point` but without T, for a point that will only be doubled next.
        var pointWithoutT: Point {
            Point(
                x: self.x.multiplied(by: self.t), y: self.y.multiplied(by: self.z),
                z: self.z.multiplied(by: self.t), t: .zero)
        }
    }

    /// (Y + X, Y - X, Z, 2dT): a point prepared as the right operand of additions.
    struct CachedPoint: Sendable {
        var yPlusX: FieldElement, yMinusX: FieldElement, z: FieldElement, t2d: FieldElement
    }

    /// (y + x, y - x, 2dxy) with Z = 1: the form of the precomputed base-point multiples.
    struct AffinePoint: Sendable {
        var yPlusX: FieldElement, yMinusX: FieldElement, xy2d: FieldElement

        static let identity = AffinePoint(yPlusX: .one, yMinusX: .one, xy2d: .zero)

        init(yPlusX: FieldElement, yMinusX: FieldElement, xy2d: FieldElement) {
            self.yPlusX = yPlusX
            self.yMinusX = yMinusX
            self.xy2d = xy2d
        }

        /// -P: swap y + x and y - x, negate 2dxy.
        var negated: AffinePoint {
            AffinePoint(yPlusX: self.yMinusX, yMinusX: self.yPlusX, xy2d: self.xy2d.negated)
        }
    }
}
