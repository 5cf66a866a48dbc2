#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto

/// `ledger-bench ed25519 [--seconds N]`: sign, verify and batch verify rates of our Ed25519 (the batch
/// on one thread, then on every core), one line per measure as `name rate-per-second`, so that
/// scripts/bench_ed25519.sh can compare them with `openssl speed`. Rates are integers: elapsed time is read with clock_gettime(CLOCK_MONOTONIC)
/// in nanoseconds and never goes through a floating-point type.
enum Bench {
    static func main(_ arguments: [String]) -> Int32 {
        guard arguments.count >= 2, arguments[1] == "ed25519" else {
            print("usage: ledger-bench ed25519 [--seconds N]")
            return 2
        }
        var seconds: UInt64 = 2
        if arguments.count == 4, arguments[2] == "--seconds", let value = UInt64(arguments[3]), value > 0 {
            seconds = value
        } else if arguments.count != 2 {
            print("usage: ledger-bench ed25519 [--seconds N]")
            return 2
        }
        Ed25519Bench(secondsPerMeasure: seconds).run()
        return 0
    }
}

/// Nanoseconds on the monotonic clock.
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Runs `body` in rounds until `seconds` have passed; returns operations per second, where one
/// call of `body` performs `operationsPerCall` operations.
func rate(seconds: UInt64, operationsPerCall: UInt64, _ body: () -> Void) -> UInt64 {
    body()  // warm-up: lazily built tables, page faults
    let start = monotonicNanoseconds()
    let deadline = start + seconds * 1_000_000_000
    var calls: UInt64 = 0
    var now = start
    while now < deadline {
        body()
        calls += 1
        now = monotonicNanoseconds()
    }
    return calls * operationsPerCall * 1_000_000_000 / max(1, now - start)
}

struct Ed25519Bench {
    let secondsPerMeasure: UInt64

    /// Short messages, as a single back-office command's append is; 64 keys so that a key's
    /// cached state does not make the measure look better than a real history of many operators.
    func run() {
        var generator = SplitMix64(seed: 0xBE7C4)
        let keys = (0..<64).map { _ in Ed25519.PrivateKey.generate(using: &generator) }
        let messages = (0..<64).map { index in
            (0..<(100 + index)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        }
        let signatures = (0..<64).map { keys[$0].sign(messages[$0]) }
        var sink = 0

        let signRate = rate(seconds: self.secondsPerMeasure, operationsPerCall: 64) {
            for index in 0..<64 { sink &+= Int(keys[index].sign(messages[index])[0]) }
        }
        print("sign \(signRate)")

        let verifyRate = rate(seconds: self.secondsPerMeasure, operationsPerCall: 64) {
            for index in 0..<64 {
                let valid = Ed25519.verify(
                    signature: signatures[index], message: messages[index], publicKey: keys[index].publicKey)
                precondition(valid, "a signature made by the signer must verify")
                sink &+= 1
            }
        }
        print("verify \(verifyRate)")

        // A history's worth of appends: 4,096 signatures over the same 64 keys, one batch call.
        let items = (0..<4096).map { (signature: signatures[$0 % 64], message: messages[$0 % 64], publicKey: keys[$0 % 64].publicKey) }
        for threads in [1, Ed25519.batchThreads] {
            let batchRate = rate(seconds: self.secondsPerMeasure, operationsPerCall: UInt64(items.count)) {
                let verdicts = Ed25519.verifyBatch(items, threads: threads)
                precondition(verdicts.allSatisfy { $0 }, "a signature made by the signer must verify")
                sink &+= verdicts.count
            }
            print("batch-verify-\(threads)-thread\(threads == 1 ? "" : "s") \(batchRate)")
        }
        precondition(sink != 0, "keeps the work observable")
    }
}

/// A small seeded generator, so that every run measures the same inputs.
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

exit(Bench.main(CommandLine.arguments))
