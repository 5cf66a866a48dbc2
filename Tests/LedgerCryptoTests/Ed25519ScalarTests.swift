import Testing

@testable import LedgerCrypto

/// Barrett reduction modulo L against long division, one bit at a time.
@Suite struct Ed25519ScalarTests {
    @Test func reductionMatchesLongDivision() {
        var stream = HashStream("scalar reduction")
        let order = Ed25519Tests.groupOrder
        var inputs: [[UInt8]] = [
            [UInt8](repeating: 0, count: 64), [UInt8](repeating: 0xFF, count: 64),
            order + [UInt8](repeating: 0, count: 32), Self.minusOne(order) + [UInt8](repeating: 0, count: 32),
            [UInt8](repeating: 0, count: 32) + order,  // L 2^256
            [UInt8](repeating: 0xFF, count: 32) + [UInt8](repeating: 0, count: 32),
        ]
        inputs += (0..<2000).map { index in
            // Every fourth input is short, as a 32-byte scalar encoding is.
            index % 4 == 3 ? stream.bytes(32) + [UInt8](repeating: 0, count: 32) : stream.bytes(64)
        }
        for input in inputs {
            #expect(Ed25519.Scalar(reducing: input).bytes == Self.remainder(input), "\(Hex.encode(input))")
        }
        #expect(Ed25519.Scalar(reducing: stream.bytes(32)).bytes.count == 32)
    }

    @Test func multiplyAddIsTheRingsOperations() {
        var stream = HashStream("multiply add")
        let zero = Ed25519.Scalar(l0: 0, l1: 0, l2: 0, l3: 0)
        let one = Ed25519.Scalar(l0: 1, l1: 0, l2: 0, l3: 0)
        let largest = Ed25519.Scalar(reducing: Self.minusOne(Ed25519Tests.groupOrder))
        #expect(Ed25519.Scalar.multiplyAdd(largest, largest, zero) == one, "(-1)(-1) = 1")
        #expect(Ed25519.Scalar.multiplyAdd(largest, one, one) == zero, "-1 + 1 = 0")
        for _ in 0..<300 {
            let a = Ed25519.Scalar(reducing: stream.bytes(64))
            let b = Ed25519.Scalar(reducing: stream.bytes(64))
            let c = Ed25519.Scalar(reducing: stream.bytes(64))
            let ab = Ed25519.Scalar.multiplyAdd(a, b, zero)
            #expect(ab == Ed25519.Scalar.multiplyAdd(b, a, zero))
            #expect(Ed25519.Scalar.multiplyAdd(a, b, c) == Ed25519.Scalar.multiplyAdd(ab, one, c))
            // (a + c) b = a b + c b
            let sum = Ed25519.Scalar.multiplyAdd(a, one, c)
            #expect(Ed25519.Scalar.multiplyAdd(sum, b, zero) == Ed25519.Scalar.multiplyAdd(c, b, ab))
            // The product of the encodings, reduced as 64 bytes, is the same number.
            #expect(ab.bytes == Self.remainder(Self.product(a.bytes, b.bytes)))
        }
    }

    // MARK: Long arithmetic on little-endian bytes, slow and plain

    /// x mod L: for each bit from the top, r = 2r + bit, then r - L if that is not negative.
    static func remainder(_ x: [UInt8]) -> [UInt8] {
        let order = Ed25519Tests.groupOrder + [0]
        var r = [UInt8](repeating: 0, count: 33)
        for bit in (0..<(8 * x.count)).reversed() {
            var carry = (x[bit / 8] >> UInt8(bit % 8)) & 1
            for index in 0..<33 {
                let doubled = UInt16(r[index]) << 1 | UInt16(carry)
                r[index] = UInt8(truncatingIfNeeded: doubled)
                carry = UInt8(doubled >> 8)
            }
            let difference = subtract(r, order)
            if !difference.borrowed { r = difference.value }
        }
        return Array(r.prefix(32))
    }

    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> (value: [UInt8], borrowed: Bool) {
        var value = a
        var borrow = 0
        for index in 0..<a.count {
            let difference = Int(a[index]) - Int(b[index]) - borrow
            value[index] = UInt8(truncatingIfNeeded: difference)
            borrow = difference < 0 ? 1 : 0
        }
        return (value, borrow == 1)
    }

    static func minusOne(_ x: [UInt8]) -> [UInt8] {
        subtract(x, [1] + [UInt8](repeating: 0, count: x.count - 1)).value
    }

    static func product(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var columns = [Int](repeating: 0, count: a.count + b.count + 1)
        for (i, x) in a.enumerated() {
            for (j, y) in b.enumerated() { columns[i + j] += Int(x) * Int(y) }
        }
        for index in 0..<(columns.count - 1) {
            columns[index + 1] += columns[index] >> 8
            columns[index] &= 0xFF
        }
        return columns.prefix(a.count + b.count).map { UInt8($0) }
    }
}
