#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto

/// `ledger-bench ed25519 [--seconds N]`: sign, verify and batch verify rates of our Ed25519 (the
/// batch on one thread, then on every core), one line per measure as `name rate-per-second`, so
/// that scripts/bench_ed25519.sh can compare them with `openssl speed`. Rates are integers:
/// elapsed time is read with clock_gettime(CLOCK_MONOTONIC) in nanoseconds and never goes
/// through a floating-point type.
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

    /// Short messages, as a single back-office command's append is, by 64 keys parsed once, as a
    /// verifier parses its operators' keys; `verify-new-key` parses the key for every signature
    /// (a key's precomputed multiples are built then), the cost for a key seen once.
    func run() {
        // Seeds and messages are SHA-512 outputs of their index: the same inputs on every run.
        let keys = (0..<64).map { Ed25519.PrivateKey(seed: SHA512.hash([UInt8(0), UInt8($0)]).prefix(32)) }
        let messages = (0..<64).map { index in
            Array((SHA512.hash([UInt8(1), UInt8(index)]) + SHA512.hash([UInt8(2), UInt8(index)])).prefix(100 + index))
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

        let keyBytes = keys.map(\.publicKey.bytes)
        let newKeyRate = rate(seconds: self.secondsPerMeasure, operationsPerCall: 64) {
            for index in 0..<64 {
                let publicKey = Ed25519.PublicKey(bytes: keyBytes[index])!
                let valid = Ed25519.verify(signature: signatures[index], message: messages[index], publicKey: publicKey)
                precondition(valid, "a signature made by the signer must verify")
                sink &+= 1
            }
        }
        print("verify-new-key \(newKeyRate)")

        // A history's worth of appends: 4,096 signatures over the same 64 keys, one batch call.
        let items = (0..<4096).map {
            (signature: signatures[$0 % 64], message: messages[$0 % 64], publicKey: keys[$0 % 64].publicKey)
        }
        for threads in Ed25519.batchThreads == 1 ? [1] : [1, Ed25519.batchThreads] {
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

exit(Bench.main(CommandLine.arguments))
