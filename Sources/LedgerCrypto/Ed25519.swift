import Synchronization

/// Ed25519 signatures (RFC 8032 section 5.1, "pure" Ed25519: no context, no prehash).
///
/// Verification rules (strict RFC 8032; libraries differ here, see C2SP/CCTV ed25519vectors):
/// - the signature is exactly 64 bytes, R (32) || S (32);
/// - S must be canonical, S < L; S + L is rejected (otherwise signatures are malleable);
/// - R and the public key A must be canonical encodings (y < p, and no "negative zero" x)
///   of points on the curve; anything else is rejected, never reduced;
/// - the equation is the cofactorless one, [S]B = R + [k]A with k = SHA-512(R || A || M) mod L,
///   checked by computing [S]B - [k]A and comparing its encoding with the bytes of R.
///   Cofactorless is what RFC 8032 section 5.1.7 states first and what Go's crypto/ed25519
///   (behind golang.org/x/mod/sumdb/note) does: Go also rejects S >= L and compares R by its
///   encoding, so for every canonical public key both accept exactly the same signatures.
///   (Go accepts non-canonical public key encodings; we refuse those when the key is parsed.)
///   The cofactored equation would also accept some signatures built from small-order
///   components, which no honest signer produces.
/// - Small-order public keys and R values are not rejected (RFC 8032 does not): keys come
///   from a pinned, trusted list, so a degenerate key would have to be trusted deliberately.
public enum Ed25519 {
    public static let publicKeyByteCount = 32
    public static let seedByteCount = 32
    public static let signatureByteCount = 64

    public struct PublicKey: Sendable, Equatable {
        /// The key's bytes, point and table, shared: a key is a reference's width, so that a
        /// state or a check holding one (verify's, at every record) copies 8 bytes, not 200.
        private final class Storage: Sendable {
            let bytes: [UInt8]
            let point: Point
            /// Built by the key's first verification, not when the key is read: a command reads
            /// every operator's key from the evidence, and verifies with one or two of them.
            let quarterTable = Mutex<QuarterTable?>(nil)

            init(bytes: [UInt8], point: Point) {
                (self.bytes, self.point) = (bytes, point)
            }
        }

        private let storage: Storage

        public var bytes: [UInt8] { storage.bytes }
        var point: Point { storage.point }
        /// Multiples of the key that make each verification by it about three times cheaper.
        /// Building them costs about one and a half of those verifications, once per key, at its
        /// first verification: a key that verifies a single signature costs what it did without
        /// them, 10 KB more, and a key that verifies none costs nothing.
        var quarterTable: QuarterTable {
            storage.quarterTable.withLock { table in
                if let table { return table }
                let built = QuarterTable(storage.point)
                table = built
                return built
            }
        }

        /// nil unless `bytes` is a strict encoding of a curve point (32 bytes, y < p, on the
        /// curve); see the rules on `Ed25519`.
        public init?(bytes: some Collection<UInt8>) {
            guard let point = Point(strictEncoding: bytes) else { return nil }
            storage = Storage(bytes: Array(bytes), point: point)
        }

        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.bytes == rhs.bytes }

        /// Whether the key is a point of small order ([8]A is the identity): a key under which
        /// anyone can forge a signature now and then, since [k]A vanishes for one k in eight or
        /// fewer. `verify` accepts such keys (as Go does); whoever registers keys refuses them.
        public var hasSmallOrder: Bool {
            var multiple = point
            for _ in 0..<3 { multiple = multiple.doubled().point }
            return multiple.encoded == Point.identity.encoded
        }
    }

    public struct PrivateKey: Sendable, CustomStringConvertible {
        public let seed: [UInt8]
        public let publicKey: PublicKey
        /// The clamped secret scalar s (RFC 8032 section 5.1.5 step 2), reduced mod L.
        private let secretScalar: Scalar
        /// The second half of SHA-512(seed), which keys the deterministic nonce.
        private let prefix: [UInt8]

        /// A key from its 32-byte seed (RFC 8032's "private key"). A seed of another length is
        /// a programmer error.
        public init(seed: some Collection<UInt8>) {
            let seed = Array(seed)
            precondition(seed.count == Ed25519.seedByteCount, "an Ed25519 seed is 32 bytes")
            let digest = SHA512.hash(seed)
            var clamped = Array(digest[0..<32])
            clamped[0] &= 248
            clamped[31] &= 127
            clamped[31] |= 64
            self.seed = seed
            self.secretScalar = Scalar(reducing: clamped)
            self.prefix = Array(digest[32..<64])
            let encoded = Ed25519.baseMultiple(self.secretScalar).encoded
            guard let publicKey = PublicKey(bytes: encoded) else {
                preconditionFailure("[s]B must encode to a valid point")
            }
            self.publicKey = publicKey
        }

        public static func generate<R: RandomNumberGenerator>(
            using generator: inout R
        ) -> PrivateKey {
            var seed: [UInt8] = []
            while seed.count < Ed25519.seedByteCount {
                let word = generator.next()
                seed.append(
                    contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) })
            }
            return PrivateKey(seed: seed.prefix(Ed25519.seedByteCount))
        }

        /// The 64-byte signature R || S of `message` (RFC 8032 section 5.1.6). Deterministic.
        public func sign(_ message: some Collection<UInt8>) -> [UInt8] {
            let message = Array(message)
            var nonceHash = SHA512()
            nonceHash.update(self.prefix)
            nonceHash.update(message)
            let nonce = Scalar(reducing: nonceHash.finalized())
            let commitment = Ed25519.baseMultiple(nonce).encoded
            let challenge = Ed25519.challenge(
                commitment: commitment, publicKey: self.publicKey, message: message)
            let response = Scalar.multiplyAdd(challenge, self.secretScalar, nonce)
            let signature = commitment + response.bytes
            precondition(signature.count == Ed25519.signatureByteCount, "signature is 64 bytes")
            return signature
        }

        /// Never prints the seed.
        public var description: String {
            "Ed25519.PrivateKey(publicKey: \(Hex.encode(self.publicKey.bytes)))"
        }
    }

    /// Whether `signature` is a valid signature of `message` by `publicKey` under the strict
    /// rules above. Variable time: everything it handles is public.
    ///
    /// R is not decoded: the encoding of [S]B - [k]A is always canonical and that of a curve
    /// point, so it equals the bytes of R only if R is a strict encoding; a non-canonical or
    /// off-curve R fails the comparison, as it would fail decoding (RFC 8032 section 5.1.7
    /// step 1). Skipping the decoding saves a square root.
    public static func verify(
        signature: some Collection<UInt8>, message: some Collection<UInt8>, publicKey: PublicKey
    ) -> Bool {
        let signature = Array(signature)
        guard let check = checkPoint(signature: signature, message: message, publicKey: publicKey) else {
            return false
        }
        return check.encoded.elementsEqual(signature[0..<32])
    }

    /// [S]B - [k]A, which a valid signature's R encodes; nil when the signature is refused before
    /// any curve arithmetic (not 64 bytes, or S >= L).
    static func checkPoint(
        signature: [UInt8], message: some Collection<UInt8>, publicKey: PublicKey
    ) -> Point? {
        guard signature.count == signatureByteCount else { return nil }
        guard let response = Scalar(canonicalBytes: signature[32..<64]) else { return nil }
        let challenge = challenge(commitment: signature[0..<32], publicKey: publicKey, message: message)
        return verificationMultiple(challenge, publicKey.quarterTable, response)
    }

    /// k = SHA-512(R || A || M) mod L (RFC 8032 section 5.1.6 step 4, 5.1.7 step 2).
    static func challenge(
        commitment: some Collection<UInt8>, publicKey: PublicKey, message: some Collection<UInt8>
    ) -> Scalar {
        var hasher = SHA512()
        hasher.update(commitment)
        hasher.update(publicKey.bytes)
        hasher.update(message)
        return Scalar(reducing: hasher.finalized())
    }
}
