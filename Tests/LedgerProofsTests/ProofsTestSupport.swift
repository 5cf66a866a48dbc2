import Foundation
import LedgerCrypto
import LedgerProofs

/// Fixtures live next to the tests; found relative to this file, never in a shared folder.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(relativePath))
    }

    static func text(_ relativePath: String) throws -> String {
        String(decoding: try data(relativePath), as: UTF8.self)
    }

    static func files(in relativePath: String) -> [String] {
        let names =
            (try? FileManager.default.contentsOfDirectory(
                atPath: directory.appendingPathComponent(relativePath).path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { "\(relativePath)/\($0)" }
    }
}

/// The RFC 9162 definitions written as literally as possible (recursive), to check the
/// iterative, reader-based implementation against. Test code only: the recursion depth is
/// bounded by log2 of the test tree sizes.
enum ReferenceMerkle {
    static func split(_ count: Int) -> Int {
        var k = 1
        while k * 2 < count { k *= 2 }
        return k
    }

    static func root(_ leaves: ArraySlice<SHA256Digest>) -> SHA256Digest {
        switch leaves.count {
        case 0: return SHA256.hash([])
        case 1: return leaves[leaves.startIndex]
        default:
            let k = split(leaves.count)
            let start = leaves.startIndex
            return Merkle.nodeHash(root(leaves[start..<start + k]), root(leaves[(start + k)...]))
        }
    }

    /// PATH(m, D[n]), RFC 9162 section 2.1.3.1.
    static func path(_ m: Int, _ leaves: ArraySlice<SHA256Digest>) -> [SHA256Digest] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        let start = leaves.startIndex
        if m < k {
            return path(m, leaves[start..<start + k]) + [root(leaves[(start + k)...])]
        }
        return path(m - k, leaves[(start + k)...]) + [root(leaves[start..<start + k])]
    }

    /// SUBPROOF(m, D[n], b), RFC 9162 section 2.1.4.1.
    static func subproof(_ m: Int, _ leaves: ArraySlice<SHA256Digest>, _ b: Bool) -> [SHA256Digest]
    {
        if m == leaves.count { return b ? [] : [root(leaves)] }
        let k = split(leaves.count)
        let start = leaves.startIndex
        if m <= k {
            return subproof(m, leaves[start..<start + k], b) + [root(leaves[(start + k)...])]
        }
        return subproof(m - k, leaves[(start + k)...], false) + [root(leaves[start..<start + k])]
    }
}

extension SHA256Digest {
    /// The same digest with one bit flipped.
    func flippingBit(_ bit: Int) -> SHA256Digest {
        var bytes = self.bytes
        bytes[bit / 8 % 32] ^= 1 << UInt8(bit % 8)
        return SHA256Digest(bytes: bytes)
    }
}

/// Leaf hashes of leaves whose data is their index, little-endian.
func sampleLeafHashes(count: Int) -> [SHA256Digest] {
    (0..<count).map { index in
        Merkle.leafHash(
            (0..<8).map { UInt8(truncatingIfNeeded: UInt64(index) >> (8 * UInt64($0))) })
    }
}

struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
