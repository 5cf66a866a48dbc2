import LedgerCrypto
import Testing

/// `Ed25519.verifyBatch`: whatever the batch's size, mix and number of threads, item i's verdict
/// is `verify`'s on item i.
@Suite struct Ed25519BatchVerificationTests {
    typealias Item = (signature: [UInt8], message: [UInt8], publicKey: Ed25519.PublicKey)

    @Test func everyRFC8032VectorThroughTheBatch() throws {
        var items: [Item] = []
        var expected: [Bool] = []
        for vector in Ed25519Tests.vectors {
            let signature = try #require(Hex.decode(vector.signature))
            let message = try #require(Hex.decode(vector.message))
            let publicKeyBytes = try #require(Hex.decode(vector.publicKey))
            let publicKey = try #require(Ed25519.PublicKey(bytes: publicKeyBytes))
            var flipped = signature
            flipped[message.count % 64] ^= 0x10
            items += [(signature, message, publicKey), (flipped, message, publicKey), (signature, message + [0], publicKey)]
            expected += [true, false, false]
        }
        #expect(items.count == 15)
        for threads in [1, 2, 3] {
            #expect(Ed25519.verifyBatch(items, threads: threads) == expected)
        }
        let valid = zip(items, expected).filter { $0.1 }.map(\.0)
        #expect(Ed25519.verifyBatch(valid) == [Bool](repeating: true, count: 5))
    }

    /// 300 items, every third one wrong in its own way (among them some refused before any
    /// curve arithmetic, which leave holes in a group's shared inversion): every wrong item is
    /// reported at its index, every right one accepted, on 1 to 8 threads.
    @Test func reportsEachWrongItemAtItsIndex() {
        var stream = HashStream("batch mix")
        let keys = (0..<8).map { _ in Ed25519.PrivateKey(seed: stream.bytes(32)) }
        var items: [Item] = []
        var expected: [Bool] = []
        for index in 0..<300 {
            let key = keys[index % keys.count]
            let message = stream.bytes(index % 97)
            var signature = key.sign(message)
            var publicKey = key.publicKey
            switch index % 3 == 0 ? index / 3 % 6 : -1 {
            case 0: signature[Int(stream.next() % 64)] ^= 0x01
            case 1: signature.removeLast()
            case 2: signature = Array(signature.prefix(32)) + Ed25519Tests.groupOrder
            case 3: publicKey = keys[(index + 1) % keys.count].publicKey
            case 4: signature = Ed25519Tests.nonCanonical(plus: 1) + signature.suffix(32)
            case 5: signature = signature + [0]
            default: break
            }
            items.append((signature, message, publicKey))
            expected.append(index % 3 != 0)
        }
        for threads in [1, 2, 3, 8] {
            #expect(Ed25519.verifyBatch(items, threads: threads) == expected, "\(threads) threads")
        }
        #expect(items.map { Ed25519.verify(signature: $0.signature, message: $0.message, publicKey: $0.publicKey) } == expected)
    }

    /// Sizes around the thread and inversion-group boundaries, including the empty batch.
    @Test(arguments: [0, 1, 2, 31, 32, 33, 63, 64, 65, 129])
    func matchesVerifyAtEverySize(count: Int) {
        var stream = HashStream("batch size \(count)")
        let key = Ed25519.PrivateKey(seed: stream.bytes(32))
        let items: [Item] = (0..<count).map { index in
            let message = stream.bytes(16)
            var signature = key.sign(message)
            if index % 5 == 4 { signature[40] ^= 0x80 }
            return (signature, message, key.publicKey)
        }
        let expected = items.map { Ed25519.verify(signature: $0.signature, message: $0.message, publicKey: $0.publicKey) }
        #expect(expected.filter { !$0 }.count == count / 5)
        for threads in [1, 2, 4, 7] {
            #expect(Ed25519.verifyBatch(items, threads: threads) == expected, "\(threads) threads")
        }
    }

    /// Signatures whose equation fails by a point of small order, next to ones built the same way
    /// where it holds: a random-linear-combination batch would pass some of the failing ones;
    /// this batch judges each as `verify` does.
    @Test func judgesSmallOrderDifferencesOneByOne() {
        var stream = HashStream("batch small order")
        var cases: [SmallOrder.Case] = []
        for index in 0..<160 {
            let keyTorsion = SmallOrder.points[index % 8]
            let commitmentTorsion = SmallOrder.points[index / 8 % 8]
            cases.append(SmallOrder.signature(using: &stream, keyTorsion: keyTorsion, commitmentTorsion: commitmentTorsion))
        }
        let items: [Item] = cases.map { ($0.signature, $0.message, $0.publicKey) }
        #expect(cases.contains { $0.expected } && cases.contains { !$0.expected })
        for threads in [1, 3] {
            #expect(Ed25519.verifyBatch(items, threads: threads) == cases.map(\.expected))
        }
    }

    @Test func acceptsSlicesOfALargerBuffer() {
        let key = Ed25519.PrivateKey(seed: [UInt8](repeating: 5, count: 32))
        let log = Array("one append\nanother append\n".utf8)
        let lines = log.split(separator: UInt8(ascii: "\n"))
        let signatures = lines.map { key.sign($0) }
        let items = zip(signatures, lines).map { (signature: $0[...], message: $1, publicKey: key.publicKey) }
        #expect(Ed25519.verifyBatch(items) == [true, true])
    }
}
