// The SHA-256 compression function in plain Swift (FIPS 180-4, 6.2.2).
//
// This is the reference the SHA-NI kernel is tested against and the fallback on CPUs without
// it, so it stays close to the spec: one loop for the schedule, one for the rounds. Speed comes
// from raw pointers (no bounds checks, no copies), a stack-allocated schedule and unrolling the
// rounds by eight (about 15% faster than shifting eight variables every round).

extension SHA256 {
    /// Runs the compression function over `blockCount` consecutive 64-byte blocks at `blocks`
    /// (any alignment), updating the eight state words H0..H7 at `state` in place.
    static func compressPortable(
        state: UnsafeMutablePointer<UInt32>, blocks: UnsafeRawPointer, blockCount: Int
    ) {
        precondition(blockCount >= 0, "negative block count")
        roundConstants.withUnsafeBufferPointer { constants in
            precondition(constants.count == 64)
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                for blockIndex in 0..<blockCount {
                    compressBlock(
                        state: state, block: blocks + blockIndex * 64,
                        constants: constants.baseAddress!, schedule: schedule.baseAddress!)
                }
            }
        }
    }

    @inline(__always)
    private static func compressBlock(
        state: UnsafeMutablePointer<UInt32>, block: UnsafeRawPointer,
        constants: UnsafePointer<UInt32>, schedule w: UnsafeMutablePointer<UInt32>
    ) {
        // 6.2.2 step 1: the message schedule. Words are big-endian in the message.
        for t in 0..<16 {
            w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
        }
        for t in 16..<64 {
            let sigma0 = rotateRight(w[t - 15], 7) ^ rotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let sigma1 = rotateRight(w[t - 2], 17) ^ rotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ sigma0 &+ w[t - 7] &+ sigma1
        }
        // Steps 2-4: 64 rounds on the working variables, then add them into the state.
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        // Unrolled by eight so the variables rotate by renaming instead of eight moves a round.
        for t in stride(from: 0, to: 64, by: 8) {
            compressionRound(a, b, c, &d, e, f, g, &h, constants[t] &+ w[t])
            compressionRound(h, a, b, &c, d, e, f, &g, constants[t + 1] &+ w[t + 1])
            compressionRound(g, h, a, &b, c, d, e, &f, constants[t + 2] &+ w[t + 2])
            compressionRound(f, g, h, &a, b, c, d, &e, constants[t + 3] &+ w[t + 3])
            compressionRound(e, f, g, &h, a, b, c, &d, constants[t + 4] &+ w[t + 4])
            compressionRound(d, e, f, &g, h, a, b, &c, constants[t + 5] &+ w[t + 5])
            compressionRound(c, d, e, &f, g, h, a, &b, constants[t + 6] &+ w[t + 6])
            compressionRound(b, c, d, &e, f, g, h, &a, constants[t + 7] &+ w[t + 7])
        }
        state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
        state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
    }
}

/// Round constants K (FIPS 180-4, 4.2.2): the first 32 bits of the fractional parts of the cube
/// roots of the first 64 primes.
private let roundConstants: [UInt32] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]

/// One round (FIPS 180-4, 6.2.2 step 3) written so that only `d` and `h` change: the new `e`
/// lands in `d` and the new `a` in `h`, and the caller renames instead of shifting all eight.
@inline(__always)
private func compressionRound(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ constantPlusWord: UInt32
) {
    let bigSigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
    let choose = g ^ (e & (f ^ g))  // Ch(e, f, g) with one operation fewer.
    let t1 = h &+ bigSigma1 &+ choose &+ constantPlusWord
    let bigSigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
    let majority = (a & b) | (c & (a | b))  // Maj(a, b, c), likewise.
    d &+= t1
    h = t1 &+ bigSigma0 &+ majority
}

@inline(__always)
private func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
    (value &>> count) | (value &<< (32 &- count))
}
