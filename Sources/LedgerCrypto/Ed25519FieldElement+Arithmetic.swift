extension Ed25519.FieldElement {
    typealias FieldElement = Ed25519.FieldElement

    /// Sum without carrying; the caller keeps the result below the multiplication bound.
    @inline(__always)
    func adding(_ b: FieldElement) -> FieldElement {
        FieldElement(l0: l0 &+ b.l0, l1: l1 &+ b.l1, l2: l2 &+ b.l2, l3: l3 &+ b.l3, l4: l4 &+ b.l4)
    }

    /// Difference, computed as self + 16p - b so that no limb underflows for b below 2^54.
    @inline(__always)
    func subtracting(_ b: FieldElement) -> FieldElement {
        // 16p in radix 2^51: 16 * (2^51 - 19) in limb 0, 16 * (2^51 - 1) in the others.
        let low: UInt64 = 36_028_797_018_963_664
        let high: UInt64 = 36_028_797_018_963_952
        return FieldElement(
            l0: (l0 &+ low) &- b.l0, l1: (l1 &+ high) &- b.l1, l2: (l2 &+ high) &- b.l2,
            l3: (l3 &+ high) &- b.l3, l4: (l4 &+ high) &- b.l4
        ).carried()
    }

    var negated: FieldElement { FieldElement.zero.subtracting(self) }

    @inline(__always)
    private static func wide(_ a: UInt64, _ b: UInt64) -> UInt128 {
        UInt128(a) &* UInt128(b)
    }

    /// Product; both operands must have limbs below 2^54, so every 128-bit column sum stays
    /// below 2^115 (five products of at most 2^54 * 19 * 2^54).
    func multiplied(by b: FieldElement) -> FieldElement {
        let a = self
        let b1 = b.l1 &* 19
        let b2 = b.l2 &* 19
        let b3 = b.l3 &* 19
        let b4 = b.l4 &* 19
        let (r0, k0) = Self.split(
            Self.wide(a.l0, b.l0) &+ Self.wide(a.l4, b1) &+ Self.wide(a.l3, b2)
                &+ Self.wide(a.l2, b3) &+ Self.wide(a.l1, b4))
        let (r1, k1) = Self.split(
            Self.wide(a.l0, b.l1) &+ Self.wide(a.l1, b.l0) &+ Self.wide(a.l4, b2)
                &+ Self.wide(a.l3, b3) &+ Self.wide(a.l2, b4) &+ k0)
        let (r2, k2) = Self.split(
            Self.wide(a.l0, b.l2) &+ Self.wide(a.l1, b.l1) &+ Self.wide(a.l2, b.l0)
                &+ Self.wide(a.l4, b3) &+ Self.wide(a.l3, b4) &+ k1)
        let (r3, k3) = Self.split(
            Self.wide(a.l0, b.l3) &+ Self.wide(a.l1, b.l2) &+ Self.wide(a.l2, b.l1)
                &+ Self.wide(a.l3, b.l0) &+ Self.wide(a.l4, b4) &+ k2)
        let (r4, k4) = Self.split(
            Self.wide(a.l0, b.l4) &+ Self.wide(a.l1, b.l3) &+ Self.wide(a.l2, b.l2)
                &+ Self.wide(a.l3, b.l1) &+ Self.wide(a.l4, b.l0) &+ k3)
        return Self.folded(r0, r1, r2, r3, r4, carry: k4)
    }

    func squared() -> FieldElement {
        let a0 = self.l0
        let a1 = self.l1
        let a2 = self.l2
        let a3 = self.l3
        let a4 = self.l4
        let d0 = a0 &* 2
        let d1 = a1 &* 2
        let d2 = a2 &* 2
        let d3 = a3 &* 2
        let a3x19 = a3 &* 19
        let a4x19 = a4 &* 19
        let (r0, k0) = Self.split(Self.wide(a0, a0) &+ Self.wide(d1, a4x19) &+ Self.wide(d2, a3x19))
        let (r1, k1) = Self.split(Self.wide(d0, a1) &+ Self.wide(a3, a3x19) &+ Self.wide(d2, a4x19) &+ k0)
        let (r2, k2) = Self.split(Self.wide(d0, a2) &+ Self.wide(a1, a1) &+ Self.wide(d3, a4x19) &+ k1)
        let (r3, k3) = Self.split(Self.wide(d0, a3) &+ Self.wide(d1, a2) &+ Self.wide(a4, a4x19) &+ k2)
        let (r4, k4) = Self.split(Self.wide(d0, a4) &+ Self.wide(d1, a3) &+ Self.wide(a2, a2) &+ k3)
        return Self.folded(r0, r1, r2, r3, r4, carry: k4)
    }

    /// The low 51 bits of a column sum and its carry into the next column. The sum is below
    /// 2^115 plus the previous carry, so the carry is below 2^64: narrowing it to 64 bits, and
    /// carrying each column as it is summed rather than all at the end, leaves the register
    /// allocator less to spill (x86 code keeps close to source order): `multiplied(by:)` went
    /// from 239 instructions and 88 stack operands to 221 and 63, a verification 6% shorter.
    @inline(__always)
    private static func split(_ column: UInt128) -> (limb: UInt64, carry: UInt128) {
        (UInt64(truncatingIfNeeded: column) & FieldElement.mask51, UInt128(UInt64(truncatingIfNeeded: column >> 51)))
    }

    /// Limbs below 2^51 and the carry out of the top one, which re-enters at the bottom times 19
    /// since 2^255 = 19 (mod p); the result has limbs below 2^52.
    @inline(__always)
    private static func folded(
        _ r0: UInt64, _ r1: UInt64, _ r2: UInt64, _ r3: UInt64, _ r4: UInt64, carry: UInt128
    ) -> FieldElement {
        let bottom = UInt128(r0) &+ carry &* 19  // carry < 2^64, times 19 needs the width
        return FieldElement(
            l0: UInt64(truncatingIfNeeded: bottom) & FieldElement.mask51,
            l1: r1 &+ UInt64(truncatingIfNeeded: bottom >> 51), l2: r2, l3: r3, l4: r4)
    }

    func squared(times count: Int) -> FieldElement {
        precondition(count >= 1, "squared(times:) needs at least one squaring")
        var result = self.squared()
        for _ in 1..<count { result = result.squared() }
        return result
    }

    /// self^(2^250 - 1) and self^11, the shared prefix of the two exponentiation chains.
    private func power2To250MinusOne() -> (FieldElement, FieldElement) {
        let z2 = self.squared()
        let z9 = z2.squared(times: 2).multiplied(by: self)
        let z11 = z2.multiplied(by: z9)
        let z2To5 = z11.squared().multiplied(by: z9)  // 2^5 - 1
        let z2To10 = z2To5.squared(times: 5).multiplied(by: z2To5)
        let z2To20 = z2To10.squared(times: 10).multiplied(by: z2To10)
        let z2To40 = z2To20.squared(times: 20).multiplied(by: z2To20)
        let z2To50 = z2To40.squared(times: 10).multiplied(by: z2To10)
        let z2To100 = z2To50.squared(times: 50).multiplied(by: z2To50)
        let z2To200 = z2To100.squared(times: 100).multiplied(by: z2To100)
        let z2To250 = z2To200.squared(times: 50).multiplied(by: z2To50)
        return (z2To250, z11)
    }

    /// self^(p - 2) = self^(2^255 - 21), the inverse for non-zero self (Fermat); zero maps to zero.
    var inverted: FieldElement {
        let (z2To250, z11) = self.power2To250MinusOne()
        return z2To250.squared(times: 5).multiplied(by: z11)
    }

    /// 1/x for every x, with one inversion (Montgomery's trick): batch verification's points
    /// and the base tables. Every x must be non-zero, as the Z of a point in extended coordinates is.
    static func inverted(_ elements: [FieldElement]) -> [FieldElement] {
        guard !elements.isEmpty else { return [] }
        // prefix[i] = x_0 x_1 ... x_i
        var prefix = [elements[0]]
        prefix.reserveCapacity(elements.count)
        for element in elements.dropFirst() { prefix.append(prefix[prefix.count - 1].multiplied(by: element)) }
        var inverse = prefix[prefix.count - 1].inverted  // 1 / (x_0 ... x_(n-1))
        precondition(!inverse.isZero, "batch inversion of a zero element")
        var result = elements
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            result[index] = inverse.multiplied(by: prefix[index - 1])
            inverse = inverse.multiplied(by: elements[index])
        }
        result[0] = inverse
        return result
    }

    /// self^((p - 5) / 8) = self^(2^252 - 3), the exponent in RFC 8032's square root (5.1.3).
    var powerPMinus5Over8: FieldElement {
        let (z2To250, _) = self.power2To250MinusOne()
        return z2To250.squared(times: 2).multiplied(by: self)
    }

    /// `b` where mask is all ones, `a` where it is zero, without a branch on the mask.
    @inline(__always)
    static func select(_ a: FieldElement, _ b: FieldElement, mask: UInt64) -> FieldElement {
        FieldElement(
            l0: a.l0 ^ ((a.l0 ^ b.l0) & mask), l1: a.l1 ^ ((a.l1 ^ b.l1) & mask),
            l2: a.l2 ^ ((a.l2 ^ b.l2) & mask), l3: a.l3 ^ ((a.l3 ^ b.l3) & mask),
            l4: a.l4 ^ ((a.l4 ^ b.l4) & mask))
    }
}
