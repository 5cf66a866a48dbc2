extension Ed25519 {
    /// [s]B for a secret s, in a fixed sequence of operations: 64 additions of entries looked
    /// up by scanning a whole table row with masks, so neither the control flow nor the memory
    /// addresses depend on the digits of s.
    static func baseMultiple(_ scalar: Scalar) -> Point {
        let digits = radix16Digits(scalar)
        var result = Point.identity
        for (row, digit) in digits.enumerated() {
            result = result.adding(selectBaseMultiple(row: row, digit: digit)).point
        }
        return result
    }

    /// digit * 16^row * B for a digit in -8...8, without branching on the digit.
    private static func selectBaseMultiple(row: Int, digit: Int8) -> AffinePoint {
        let entries = BaseTables.signing[row]
        let negativeMask = UInt64(bitPattern: Int64(digit) >> 63)
        let magnitude =
            (Int64(digit) ^ Int64(bitPattern: negativeMask)) &- Int64(bitPattern: negativeMask)
        var selected = AffinePoint.identity
        for index in 0..<8 {
            let difference = UInt64(bitPattern: magnitude) ^ UInt64(index + 1)
            // All ones when difference == 0, zero otherwise.
            let equalMask = ((difference | (0 &- difference)) >> 63) &- 1
            selected = AffinePoint(
                yPlusX: .select(selected.yPlusX, entries[index].yPlusX, mask: equalMask),
                yMinusX: .select(selected.yMinusX, entries[index].yMinusX, mask: equalMask),
                xy2d: .select(selected.xy2d, entries[index].xy2d, mask: equalMask))
        }
        let negated = selected.negated
        return AffinePoint(
            yPlusX: .select(selected.yPlusX, negated.yPlusX, mask: negativeMask),
            yMinusX: .select(selected.yMinusX, negated.yMinusX, mask: negativeMask),
            xy2d: .select(selected.xy2d, negated.xy2d, mask: negativeMask))
    }

    /// 64 signed digits e[i] in -8...8 with s = sum e[i] * 16^i (s < 2^255).
    private static func radix16Digits(_ scalar: Scalar) -> [Int8] {
        let bytes = scalar.bytes
        precondition(bytes[31] <= 127, "radix-16 recoding needs a scalar below 2^255")
        var digits = [Int8](repeating: 0, count: 64)
        for index in 0..<32 {
            digits[2 * index] = Int8(bytes[index] & 15)
            digits[2 * index + 1] = Int8(bytes[index] >> 4)
        }
        var carry: Int8 = 0
        for index in 0..<63 {
            digits[index] += carry
            carry = (digits[index] + 8) >> 4
            digits[index] -= carry << 4
        }
        digits[63] += carry
        return digits
    }

    /// [b]B - [a]A in variable time, for verification, where every input is public: Straus's
    /// simultaneous multiplication over quarter tables (`QuarterTable`), so 64 doublings; the
    /// digits are non-adjacent forms, width 6 for a and 8 for b, about 36 + 28 additions.
    /// Both scalars must be below 2^253 (S is checked against L, k is reduced mod L).
    static func verificationMultiple(_ a: Scalar, _ keyTable: QuarterTable, _ b: Scalar) -> Point {
        let aDigits = nonAdjacentForm(a, width: QuarterTable.keyWidth)
        let bDigits = nonAdjacentForm(b, width: QuarterTable.baseWidth)
        let keyEntries = keyTable.entries
        let baseEntries = BaseTables.verification
        let keyBlock = 1 << (QuarterTable.keyWidth - 2)
        let baseBlock = 1 << (QuarterTable.baseWidth - 2)
        let quarterBits = QuarterTable.quarterBits
        var top = quarterBits - 1
        while top > 0 && !(0..<QuarterTable.quarterCount).contains(where: {
            aDigits[quarterBits * $0 + top] != 0 || bDigits[quarterBits * $0 + top] != 0
        }) {
            top -= 1
        }
        var result = Point.identity
        for position in stride(from: top, through: 0, by: -1) {
            var sum = result.doubled()
            for quarter in 0..<QuarterTable.quarterCount {
                let aDigit = Int(aDigits[quarterBits * quarter + position])
                if aDigit != 0 {
                    // -[a]A: a positive digit subtracts.
                    let entry = keyEntries[keyBlock * quarter + abs(aDigit) / 2]
                    sum = sum.point.adding(entry, subtract: aDigit > 0)
                }
                let bDigit = Int(bDigits[quarterBits * quarter + position])
                if bDigit != 0 {
                    let entry = baseEntries[baseBlock * quarter + abs(bDigit) / 2]
                    sum = sum.point.adding(entry, subtract: bDigit < 0)
                }
            }
            result = sum.pointWithoutT
        }
        return result
    }

    /// The width-w non-adjacent form of a scalar below 2^253: 256 digits, each zero or odd in
    /// -(2^(w-1) - 1)...2^(w-1) - 1, at least w - 1 zeros after each non-zero one, with
    /// s = sum d[i] 2^i (Hankerson, Menezes, Vanstone, "Guide to ECC", algorithm 3.35).
    /// Each step reads the next w bits plus the carry left by a negative digit.
    static func nonAdjacentForm(_ scalar: Scalar, width: Int) -> [Int8] {
        precondition((2...8).contains(width), "digits must fit an Int8")
        precondition(scalar.l3 >> 61 == 0, "the scalar must be below 2^253")
        let words = [scalar.l0, scalar.l1, scalar.l2, scalar.l3, 0]
        let windowSize = UInt64(1) << UInt64(width)
        var digits = [Int8](repeating: 0, count: 256)
        var position = 0
        var carry: UInt64 = 0
        while position < 256 {
            let word = position / 64
            let bit = position % 64
            var bits = words[word] >> UInt64(bit)
            if bit + width > 64 { bits |= words[word + 1] << UInt64(64 - bit) }
            let window = carry + (bits & (windowSize - 1))
            if window & 1 == 0 {
                position += 1
                continue
            }
            if window < windowSize / 2 {
                carry = 0
                digits[position] = Int8(window)
            } else {
                carry = 1
                digits[position] = Int8(Int64(window) - Int64(windowSize))
            }
            position += width
        }
        // s < 2^253, so the last carry lands at bit 253 at the latest, inside the 256 digits.
        precondition(carry == 0, "non-adjacent form overflowed 256 digits")
        return digits
    }
}
