import CLedgerSHA

/// Streaming SHA-256 (FIPS 180-4).
///
/// A value type with no heap storage: the state, the partial block and the length live inline,
/// so creating a hasher, feeding it and finishing it never allocates. Whole blocks are
/// compressed straight from the caller's buffer, many at a time; only a partial block is copied.
///
///     var hasher = SHA256()
///     hasher.update("abc")
///     hasher.finalized().hex  // "ba7816bf…"
public struct SHA256: Sendable {
    /// Which compression function to use.
    public enum Implementation: Sendable {
        /// The x86 SHA extensions when this CPU has them, otherwise `portable`.
        case automatic
        /// The pure Swift code, always; the reference the accelerated path is tested against.
        case portable
    }

    /// True when `.automatic` hashers use the SHA-NI kernel on this machine.
    public static var isHardwareAccelerated: Bool { hardwareAvailable }

    // cpuid runs once per process; every hasher then copies the answer into `usesHardware`.
    private static let hardwareAvailable: Bool = ledger_sha256_has_shani() == 1

    static let blockByteCount = 64
    /// FIPS 180-4 limits messages to 2^64 - 1 bits; whole bytes make that 2^61 - 1.
    static let messageByteCountMax: UInt64 = (1 << 61) - 1

    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private var state: State
    /// The partial block; only its first `pendingByteCount` bytes are message bytes.
    private var pending: Block
    private var pendingByteCount: Int
    private var messageByteCount: UInt64
    private let usesHardware: Bool

    public init(implementation: Implementation = .automatic) {
        // Initial hash value H(0) (FIPS 180-4, 5.3.3).
        state = (0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
                 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
        pending = (0, 0, 0, 0, 0, 0, 0, 0)
        pendingByteCount = 0
        messageByteCount = 0
        usesHardware = implementation == .automatic && Self.hardwareAvailable
    }

    /// Hashes a whole message at once.
    public static func hash(_ bytes: [UInt8]) -> SHA256Digest {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Hashes a whole message at once.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(buffer)
        return hasher.finalized()
    }

    /// Hashes the UTF-8 bytes of `string`.
    public static func hash(_ string: String) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(string)
        return hasher.finalized()
    }
}

// MARK: - Feeding bytes

extension SHA256 {
    /// Appends the bytes in `buffer` to the message.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var source = buffer.baseAddress, buffer.count > 0 else { return }
        var remaining = buffer.count
        countMessageBytes(remaining)
        if pendingByteCount > 0 {
            // Top up the partial block first; it is compressed only once it is full.
            let takenCount = Swift.min(Self.blockByteCount - pendingByteCount, remaining)
            appendPending(source, byteCount: takenCount)
            source += takenCount
            remaining -= takenCount
            guard pendingByteCount == Self.blockByteCount else { return }
            compressPending()
        }
        // Every whole block goes straight from the caller's memory to the kernel, in one call.
        let blockCount = remaining / Self.blockByteCount
        if blockCount > 0 {
            Self.compress(
                &state, blocks: source, blockCount: blockCount, usesHardware: usesHardware)
            source += blockCount * Self.blockByteCount
            remaining -= blockCount * Self.blockByteCount
        }
        if remaining > 0 { appendPending(source, byteCount: remaining) }
        assert(pendingByteCount < Self.blockByteCount)
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(byte: UInt8) {
        countMessageBytes(1)
        let offset = pendingByteCount
        withUnsafeMutableBytes(of: &pending) { $0[offset] = byte }
        pendingByteCount += 1
        if pendingByteCount == Self.blockByteCount { compressPending() }
    }

    /// Appends the 32 digest bytes (as in a hash chain or a Merkle node).
    public mutating func update(_ digest: SHA256Digest) {
        digest.withUnsafeBytes { update($0) }
    }

    /// Appends the UTF-8 bytes of `string`, with no terminator or length prefix.
    public mutating func update(_ string: String) {
        var string = string  // withUTF8 may make a non-native string contiguous in place.
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    private mutating func countMessageBytes(_ count: Int) {
        precondition(count >= 0 && UInt64(count) <= Self.messageByteCountMax - messageByteCount,
                     "SHA-256 input is limited to 2^64 - 1 bits")
        messageByteCount += UInt64(count)
    }

    /// Copies bytes into the partial block; the caller guarantees they fit.
    private mutating func appendPending(_ source: UnsafeRawPointer, byteCount: Int) {
        let offset = pendingByteCount
        precondition(offset + byteCount <= Self.blockByteCount, "partial block overflow")
        withUnsafeMutableBytes(of: &pending) { block in
            (block.baseAddress! + offset).copyMemory(from: source, byteCount: byteCount)
        }
        pendingByteCount += byteCount
    }

    private mutating func compressPending() {
        precondition(pendingByteCount == Self.blockByteCount, "compressing a partial block")
        let usesHardware = self.usesHardware
        withUnsafeBytes(of: &pending) { block in
            Self.compress(
                &state, blocks: block.baseAddress!, blockCount: 1, usesHardware: usesHardware)
        }
        pendingByteCount = 0
    }

    private static func compress(
        _ state: inout State, blocks: UnsafeRawPointer, blockCount: Int, usesHardware: Bool
    ) {
        withUnsafeMutablePointer(to: &state) { tuple in
            tuple.withMemoryRebound(to: UInt32.self, capacity: 8) { words in
                if usesHardware {
                    let bytes = blocks.assumingMemoryBound(to: UInt8.self)
                    ledger_sha256_compress_shani(words, bytes, blockCount)
                } else {
                    compressPortable(state: words, blocks: blocks, blockCount: blockCount)
                }
            }
        }
    }
}

// MARK: - Finishing

extension SHA256 {
    /// The digest of every byte fed so far.
    ///
    /// Does not change the hasher: it pads a copy, so you may keep updating afterwards and
    /// ask again (getting the digest of the longer message).
    public func finalized() -> SHA256Digest {
        var copy = self
        return copy.finalize()
    }

    /// Pads (FIPS 180-4, 5.1.1) and compresses the last one or two blocks.
    private mutating func finalize() -> SHA256Digest {
        let bitCount = messageByteCount << 3  // Cannot overflow: messageByteCountMax < 2^61.
        let offset = pendingByteCount
        precondition(offset < Self.blockByteCount)
        // The 1 bit, then zeros; the 8-byte length must fit after them, else it needs a block.
        withUnsafeMutableBytes(of: &pending) { block in
            block[offset] = 0x80
            let zeroCount = Self.blockByteCount - offset - 1
            let zeroStart = block.baseAddress! + offset + 1
            zeroStart.initializeMemory(as: UInt8.self, repeating: 0, count: zeroCount)
        }
        if offset >= Self.blockByteCount - 8 {
            pendingByteCount = Self.blockByteCount
            compressPending()
            pending = (0, 0, 0, 0, 0, 0, 0, 0)
        }
        pending.7 = bitCount.bigEndian
        pendingByteCount = Self.blockByteCount
        compressPending()
        return Self.digest(of: state)
    }

    /// The big-endian bytes of the state words, as a digest.
    private static func digest(of state: State) -> SHA256Digest {
        SHA256Digest(memoryOrderWords: (
            (UInt64(state.0) << 32 | UInt64(state.1)).bigEndian,
            (UInt64(state.2) << 32 | UInt64(state.3)).bigEndian,
            (UInt64(state.4) << 32 | UInt64(state.5)).bigEndian,
            (UInt64(state.6) << 32 | UInt64(state.7)).bigEndian))
    }
}

// MARK: - A byte and digests

extension SHA256 {
    /// SHA-256(`prefix` || `first` || `second`), `second` if given: a Merkle leaf of a record
    /// hash (33 bytes, one block) or an inner node (65 bytes, two blocks). The padded blocks
    /// are laid out at once and compressed in one call, without a hasher's bookkeeping: the
    /// verifier makes one of each per record, on the thread that sets its pace.
    public static func hash(prefix: UInt8, _ first: SHA256Digest, _ second: SHA256Digest? = nil) -> SHA256Digest {
        let messageByteCount = second == nil ? 33 : 65
        let blockCount = second == nil ? 1 : 2
        var blocks: (Block, Block) = ((0, 0, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0))
        var state: State = (0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
                            0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
        withUnsafeMutableBytes(of: &blocks) { bytes in
            bytes[0] = prefix
            first.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: bytes[1..<33]).copyMemory(from: $0) }
            second?.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: bytes[33..<65]).copyMemory(from: $0) }
            bytes[messageByteCount] = 0x80
            let end = blockCount * blockByteCount
            bytes.storeBytes(of: UInt64(messageByteCount * 8).bigEndian, toByteOffset: end - 8, as: UInt64.self)
            compress(&state, blocks: UnsafeRawPointer(bytes.baseAddress!), blockCount: blockCount, usesHardware: hardwareAvailable)
        }
        return digest(of: state)
    }
}
