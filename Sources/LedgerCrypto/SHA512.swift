/// SHA-512 (FIPS 180-4), streaming.
///
/// Ed25519 (RFC 8032) is defined over SHA-512, and Foundation on Linux has none, so it is
/// written here. It is not on a hot path (two or three short messages per signature), so it
/// favours plainness over speed: portable Swift, no SIMD.
public struct SHA512: Sendable {
    public static let digestByteCount = 64
    static let blockByteCount = 128

    private var state: [UInt64] = SHA512.initialState
    /// Bytes not yet compressed; always fewer than `blockByteCount`.
    private var pending: [UInt8] = []
    /// Message length so far, in bytes. FIPS 180-4 allows 2^128 bits; 2^64 bytes is plenty.
    private var messageByteCount: UInt64 = 0

    public init() {
        self.pending.reserveCapacity(SHA512.blockByteCount)
    }

    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        var rest = buffer[...]
        self.messageByteCount += UInt64(buffer.count)
        if !self.pending.isEmpty {
            let take = min(SHA512.blockByteCount - self.pending.count, rest.count)
            self.pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            guard self.pending.count == SHA512.blockByteCount else { return }
            self.pending.withUnsafeBytes {
                self.compress(UnsafeRawBufferPointer(rebasing: $0[...]))
            }
            self.pending.removeAll(keepingCapacity: true)
        }
        while rest.count >= SHA512.blockByteCount {
            self.compress(UnsafeRawBufferPointer(rebasing: rest.prefix(SHA512.blockByteCount)))
            rest = rest.dropFirst(SHA512.blockByteCount)
        }
        self.pending.append(contentsOf: rest)
        precondition(self.pending.count < SHA512.blockByteCount, "SHA512: pending block overflow")
    }

    public mutating func update(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable {
            self.update(UnsafeRawBufferPointer($0))
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { self.update($0) }
        }
    }

    /// The digest of everything passed to `update`. The hasher itself is left unchanged.
    public func finalized() -> [UInt8] {
        var copy = self
        let bitCount = self.messageByteCount &* 8
        // Padding: 0x80, zeros up to 112 mod 128, then the 128-bit big-endian bit length.
        var padding: [UInt8] = [0x80]
        let used = (self.pending.count + 1) % SHA512.blockByteCount
        let zeroCount = (SHA512.blockByteCount + 112 - used) % SHA512.blockByteCount
        padding.append(contentsOf: repeatElement(0, count: zeroCount + 8))
        padding.append(
            contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: bitCount >> (56 - 8 * $0)) })
        copy.update(padding)
        precondition(copy.pending.isEmpty, "SHA512: padding did not end on a block boundary")
        var digest: [UInt8] = []
        digest.reserveCapacity(SHA512.digestByteCount)
        for word in copy.state {
            for shift in stride(from: 56, through: 0, by: -8) {
                digest.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return digest
    }

    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = SHA512()
        hasher.update(bytes)
        return hasher.finalized()
    }
}

extension SHA512 {
    /// One 128-byte block into the state (FIPS 180-4 section 6.4.2).
    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        precondition(block.count == SHA512.blockByteCount, "SHA512: block must be 128 bytes")
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 80) { schedule in
            self.compress(block, schedule: schedule)
        }
    }

    private mutating func compress(
        _ block: UnsafeRawBufferPointer, schedule w: UnsafeMutableBufferPointer<UInt64>
    ) {
        for t in 0..<16 {
            w[t] = UInt64(bigEndian: block.loadUnaligned(fromByteOffset: 8 * t, as: UInt64.self))
        }
        for t in 16..<80 {
            let s0 = SHA512.rotr(w[t - 15], 1) ^ SHA512.rotr(w[t - 15], 8) ^ (w[t - 15] >> 7)
            let s1 = SHA512.rotr(w[t - 2], 19) ^ SHA512.rotr(w[t - 2], 61) ^ (w[t - 2] >> 6)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var a = self.state[0]
        var b = self.state[1]
        var c = self.state[2]
        var d = self.state[3]
        var e = self.state[4]
        var f = self.state[5]
        var g = self.state[6]
        var h = self.state[7]
        for t in 0..<80 {
            let sum1 = SHA512.rotr(e, 14) ^ SHA512.rotr(e, 18) ^ SHA512.rotr(e, 41)
            let choice = (e & f) ^ (~e & g)
            let t1 = h &+ sum1 &+ choice &+ SHA512.roundConstants[t] &+ w[t]
            let sum0 = SHA512.rotr(a, 28) ^ SHA512.rotr(a, 34) ^ SHA512.rotr(a, 39)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let t2 = sum0 &+ majority
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
        }
        self.state[0] &+= a
        self.state[1] &+= b
        self.state[2] &+= c
        self.state[3] &+= d
        self.state[4] &+= e
        self.state[5] &+= f
        self.state[6] &+= g
        self.state[7] &+= h
    }

    @inline(__always)
    private static func rotr(_ x: UInt64, _ n: UInt64) -> UInt64 {
        (x >> n) | (x << (64 - n))
    }

    private static let initialState: [UInt64] = [
        0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179,
    ]

    private static let roundConstants: [UInt64] = [
        0x428a_2f98_d728_ae22, 0x7137_4491_23ef_65cd, 0xb5c0_fbcf_ec4d_3b2f, 0xe9b5_dba5_8189_dbbc,
        0x3956_c25b_f348_b538, 0x59f1_11f1_b605_d019, 0x923f_82a4_af19_4f9b, 0xab1c_5ed5_da6d_8118,
        0xd807_aa98_a303_0242, 0x1283_5b01_4570_6fbe, 0x2431_85be_4ee4_b28c, 0x550c_7dc3_d5ff_b4e2,
        0x72be_5d74_f27b_896f, 0x80de_b1fe_3b16_96b1, 0x9bdc_06a7_25c7_1235, 0xc19b_f174_cf69_2694,
        0xe49b_69c1_9ef1_4ad2, 0xefbe_4786_384f_25e3, 0x0fc1_9dc6_8b8c_d5b5, 0x240c_a1cc_77ac_9c65,
        0x2de9_2c6f_592b_0275, 0x4a74_84aa_6ea6_e483, 0x5cb0_a9dc_bd41_fbd4, 0x76f9_88da_8311_53b5,
        0x983e_5152_ee66_dfab, 0xa831_c66d_2db4_3210, 0xb003_27c8_98fb_213f, 0xbf59_7fc7_beef_0ee4,
        0xc6e0_0bf3_3da8_8fc2, 0xd5a7_9147_930a_a725, 0x06ca_6351_e003_826f, 0x1429_2967_0a0e_6e70,
        0x27b7_0a85_46d2_2ffc, 0x2e1b_2138_5c26_c926, 0x4d2c_6dfc_5ac4_2aed, 0x5338_0d13_9d95_b3df,
        0x650a_7354_8baf_63de, 0x766a_0abb_3c77_b2a8, 0x81c2_c92e_47ed_aee6, 0x9272_2c85_1482_353b,
        0xa2bf_e8a1_4cf1_0364, 0xa81a_664b_bc42_3001, 0xc24b_8b70_d0f8_9791, 0xc76c_51a3_0654_be30,
        0xd192_e819_d6ef_5218, 0xd699_0624_5565_a910, 0xf40e_3585_5771_202a, 0x106a_a070_32bb_d1b8,
        0x19a4_c116_b8d2_d0c8, 0x1e37_6c08_5141_ab53, 0x2748_774c_df8e_eb99, 0x34b0_bcb5_e19b_48a8,
        0x391c_0cb3_c5c9_5a63, 0x4ed8_aa4a_e341_8acb, 0x5b9c_ca4f_7763_e373, 0x682e_6ff3_d6b2_b8a3,
        0x748f_82ee_5def_b2fc, 0x78a5_636f_4317_2f60, 0x84c8_7814_a1f0_ab72, 0x8cc7_0208_1a64_39ec,
        0x90be_fffa_2363_1e28, 0xa450_6ceb_de82_bde9, 0xbef9_a3f7_b2c6_7915, 0xc671_78f2_e372_532b,
        0xca27_3ece_ea26_619c, 0xd186_b8c7_21c0_c207, 0xeada_7dd6_cde0_eb1e, 0xf57d_4f7f_ee6e_d178,
        0x06f0_67aa_7217_6fba, 0x0a63_7dc5_a2c8_98a6, 0x113f_9804_bef9_0dae, 0x1b71_0b35_131c_471b,
        0x28db_77f5_2304_7d84, 0x32ca_ab7b_40c7_2493, 0x3c9e_be0a_15c9_bebc, 0x431d_67c4_9c10_0d4c,
        0x4cc5_d4be_cb3e_42b6, 0x597f_299c_fc65_7e2a, 0x5fcb_6fab_3ad6_faec, 0x6c44_198c_4a47_5817,
    ]
}
