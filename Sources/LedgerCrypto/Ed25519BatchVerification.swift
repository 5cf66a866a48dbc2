extension Ed25519 {
    /// The number of threads `verifyBatch` uses unless told otherwise: the online cores.
    public static let batchThreads: Int = ParallelWork.cores

    /// `verify` for each item, in order: `result[i]` is exactly `verify(items[i])`.
    ///
    /// Each item is checked by the same equation as `verify`; what the batch shares is work,
    /// never a verdict. The final inversion of Z is shared by groups of `inversionGroup` items
    /// (Montgomery's trick: three multiplications each and one inversion a group, where `verify`
    /// pays an inversion, about a fifth of its time), and the items are cut into contiguous
    /// parts verified on `threads` threads (`ParallelWork`: the calling thread takes the first
    /// part), at most one per `itemsPerThread` items. Pass `threads: 1` to stay
    /// on the calling thread, for instance when the caller parallelises itself.
    ///
    /// Not a random-linear-combination batch (sum z_i (R_i + [k_i]A_i - [S_i]B) = 0): with the
    /// cofactorless equation that test can pass while one item fails, since a difference of small
    /// order (which a signer can plant in R) vanishes for about one z in eight; excluding that
    /// would take a subgroup check of each R, which costs what the batch saves.
    public static func verifyBatch<Signature: Collection<UInt8> & Sendable, Message: Collection<UInt8> & Sendable>(
        _ items: [(signature: Signature, message: Message, publicKey: PublicKey)],
        threads: Int = batchThreads
    ) -> [Bool] {
        precondition(threads >= 1, "at least one thread")
        let parts = max(1, min(threads, items.count / itemsPerThread))
        var results = [Bool](repeating: false, count: items.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let output = SendableBuffer(buffer: buffer)
            ParallelWork.run(parts: parts) { part in
                let range = ParallelWork.range(of: part, parts: parts, count: items.count)
                verifyInGroups(items, range: range, into: output)
            }
        }
        return results
    }

    /// Fewer items than this per thread do not pay for starting it (a thread costs tens of
    /// microseconds, a verification about forty).
    static let itemsPerThread = 32

    /// Items sharing one field inversion; large enough that its cost is spread thin, small enough
    /// that the group's points stay in cache.
    static let inversionGroup = 64

    private static func verifyInGroups<Signature: Collection<UInt8>, Message: Collection<UInt8>>(
        _ items: [(signature: Signature, message: Message, publicKey: PublicKey)],
        range: Range<Int>, into output: SendableBuffer
    ) {
        for start in stride(from: range.lowerBound, to: range.upperBound, by: inversionGroup) {
            let group = start..<min(start + inversionGroup, range.upperBound)
            let signatures = group.map { Array(items[$0].signature) }
            let points = group.map { index in
                checkPoint(signature: signatures[index - start], message: items[index].message,
                    publicKey: items[index].publicKey)
            }
            let zInverses = FieldElement.inverted(points.compactMap { $0?.z })
            var nextInverse = 0
            for (offset, point) in points.enumerated() {
                guard let point else { continue }  // refused before the curve: already false
                let encoded = point.encoded(zInverse: zInverses[nextInverse])
                nextInverse += 1
                output.buffer[start + offset] = encoded.elementsEqual(signatures[offset][0..<32])
            }
        }
    }

    /// The results array, written by several threads at disjoint indices.
    private struct SendableBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Bool>
    }
}
