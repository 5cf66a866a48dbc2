extension Ed25519 {
    /// An element of GF(p), p = 2^255 - 19, as five 51-bit limbs (radix 2^51, little-endian).
    ///
    /// Limbs are allowed to grow a little past 51 bits between operations ("loosely reduced"):
    /// `adding` does not carry, `multiplied`, `squared` and `subtracting` do. Bounds, so that no
    /// 128-bit accumulator can overflow: multiplication accepts limbs below 2^54 (a sum of two
    /// carried elements is below 2^53), and returns limbs below 2^52. `bytes` fully reduces.
    struct FieldElement: Sendable {
        var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64

        static let mask51: UInt64 = (1 << 51) - 1
        static let zero = FieldElement(l0: 0, l1: 0, l2: 0, l3: 0, l4: 0)
        static let one = FieldElement(l0: 1, l1: 0, l2: 0, l3: 0, l4: 0)

        init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64) {
            self.l0 = l0
            self.l1 = l1
            self.l2 = l2
            self.l3 = l3
            self.l4 = l4
        }

        /// The 255 low bits of 32 little-endian bytes; bit 255 (the sign of x in a point
        /// encoding) is ignored. Values in [p, 2^255) are accepted and reduced: callers that must
        /// reject non-canonical encodings check `isCanonicalEncoding` first.
        init(bytes: some Collection<UInt8>) {
            let b = Array(bytes)
            precondition(b.count == 32, "FieldElement needs 32 bytes")
            func word(_ offset: Int) -> UInt64 {
                var value: UInt64 = 0
                for index in (offset..<offset + 8).reversed() {
                    value = value << 8 | UInt64(b[index])
                }
                return value
            }
            let mask = FieldElement.mask51
            self.l0 = word(0) & mask
            self.l1 = (word(6) >> 3) & mask
            self.l2 = (word(12) >> 6) & mask
            self.l3 = (word(19) >> 1) & mask
            self.l4 = (word(24) >> 12) & mask
        }

        /// Whether the low 255 bits of `bytes` are a value below p, the only encoding RFC 8032
        /// section 5.1.3 accepts for a y coordinate.
        static func isCanonicalEncoding(_ bytes: some Collection<UInt8>) -> Bool {
            let b = Array(bytes)
            precondition(b.count == 32, "a field element encoding is 32 bytes")
            // Values >= p are exactly 2^255-19 ... 2^255-1: top byte 0x7f, middle bytes 0xff,
            // lowest byte >= 0xed.
            let top = b[31] & 0x7F
            guard top == 0x7F, b[1..<31].allSatisfy({ $0 == 0xFF }) else { return true }
            return b[0] < 0xED
        }

        /// The canonical little-endian encoding (value fully reduced below p, bit 255 clear).
        var bytes: [UInt8] {
            var h = self.carried()
            // h < 2^255 + small, so h >= p exactly when h + 19 carries out of bit 255.
            var q = (h.l0 &+ 19) >> 51
            q = (h.l1 &+ q) >> 51
            q = (h.l2 &+ q) >> 51
            q = (h.l3 &+ q) >> 51
            q = (h.l4 &+ q) >> 51
            h.l0 &+= 19 &* q
            h.l1 &+= h.l0 >> 51
            h.l0 &= FieldElement.mask51
            h.l2 &+= h.l1 >> 51
            h.l1 &= FieldElement.mask51
            h.l3 &+= h.l2 >> 51
            h.l2 &= FieldElement.mask51
            h.l4 &+= h.l3 >> 51
            h.l3 &= FieldElement.mask51
            h.l4 &= FieldElement.mask51
            let words: [UInt64] = [
                h.l0 | h.l1 << 51,
                h.l1 >> 13 | h.l2 << 38,
                h.l2 >> 26 | h.l3 << 25,
                h.l3 >> 39 | h.l4 << 12,
            ]
            var out: [UInt8] = []
            out.reserveCapacity(32)
            for word in words {
                for shift in stride(from: 0, to: 64, by: 8) {
                    out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
                }
            }
            return out
        }

        /// RFC 8032's "negative": the least significant bit of the canonical encoding.
        var isNegative: Bool { self.bytes[0] & 1 == 1 }

        var isZero: Bool { self.bytes.allSatisfy { $0 == 0 } }

        func isEqual(to other: FieldElement) -> Bool { self.bytes == other.bytes }

        /// One carry pass: every limb below 2^51 except l0, which stays below 2^51 + 2^17.
        func carried() -> FieldElement {
            var h = self
            let mask = FieldElement.mask51
            h.l1 &+= h.l0 >> 51
            h.l0 &= mask
            h.l2 &+= h.l1 >> 51
            h.l1 &= mask
            h.l3 &+= h.l2 >> 51
            h.l2 &= mask
            h.l4 &+= h.l3 >> 51
            h.l3 &= mask
            h.l0 &+= 19 &* (h.l4 >> 51)
            h.l4 &= mask
            h.l1 &+= h.l0 >> 51
            h.l0 &= mask
            return h
        }
    }
}
