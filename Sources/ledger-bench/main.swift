#if canImport(Glibc)
import Glibc
#endif
import LedgerCrypto

/// `ledger-bench ed25519 [--seconds N]`: sign, verify and batch verify rates of our Ed25519 (the
/// batch on one thread, then on every core), one line per measure as `name rate-per-second`, so
/// that scripts/bench_ed25519.sh can compare them with `openssl speed`. Rates are integers:
/// elapsed time is read with clock_gettime(CLOCK_MONOTONIC) in nanoseconds and never goes
/// through a floating-point type.
///
/// `ledger-bench signatures --records N --appends A [--keys K]`: what verifying a history's
/// signatures costs if every record were signed (N signatures) and with one signature per append
/// (A signatures), for scripts/bench_trust.sh; see `SignatureCountBench`.
enum Bench {
    static let usage = "usage: ledger-bench ed25519 [--seconds N]\n       ledger-bench signatures --records N --appends A [--keys K]"

    static func main(_ arguments: [String]) -> Int32 {
        guard arguments.count >= 2 else {
            print(usage)
            return 2
        }
        let options = Array(arguments.dropFirst(2))
        switch arguments[1] {
        case "ed25519":
            var seconds: UInt64 = 2
            if options.count == 2, options[0] == "--seconds", let value = UInt64(options[1]), value > 0 {
                seconds = value
            } else if !options.isEmpty {
                print(usage)
                return 2
            }
            Ed25519Bench(secondsPerMeasure: seconds).run()
            return 0
        case "signatures":
            guard let values = namedCounts(options, names: ["records", "appends", "keys"]),
                  let records = values["records"], let appends = values["appends"], appends <= records else {
                print(usage)
                return 2
            }
            SignatureCountBench(records: records, appends: appends, keys: values["keys"] ?? 5).run()
            return 0
        default:
            print(usage)
            return 2
        }
    }

    /// `--name VALUE` pairs of positive integers, each name at most once and among `names`.
    static func namedCounts(_ options: [String], names: Set<String>) -> [String: Int]? {
        guard options.count % 2 == 0 else { return nil }
        var values: [String: Int] = [:]
        for index in stride(from: 0, to: options.count, by: 2) {
            let name = String(options[index].dropFirst(2))
            guard options[index].hasPrefix("--"), names.contains(name), values[name] == nil,
                  let value = Int(options[index + 1]), value > 0 else { return nil }
            values[name] = value
        }
        return values
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

/// Verifying a history's signatures: N per-record signatures against A per-append ones, over the
/// append messages of Specs/log-format.md section 10.2 (`ledger.append.v2\n<first>\n<last>\n<hash>\n`),
/// made by K operators' keys parsed once, as `ledger verify` parses the keys its log registers.
///
/// Each set is verified two ways: as `ledger verify` does (LedgerEngine's `VerifyChecks`: groups
/// of 256 signatures, each group split over every core, one `Ed25519.verify` per signature), and
/// by `Ed25519.verifyBatch` over the whole set on every core (what a verifier could do at best).
/// Prints `name count nanoseconds` per measure: one run when it takes a second or more, else the
/// mean of as many runs as fit in a second after a first one.
///
/// The signatures are a pool of up to 4,096 distinct ones (4,096 signings instead of a million),
/// item i being pool item i mod 4,096: nothing is cached from one verification to the next but
/// the keys' tables, which `ledger verify` keeps too, so each item costs a full verification.
struct SignatureCountBench {
    let records: Int
    let appends: Int
    let keys: Int

    /// Signatures gathered by `ledger verify` before it verifies them (`SignatureBatch.size`).
    static let engineGroup = 256

    typealias Item = (signature: [UInt8], message: [UInt8], publicKey: Ed25519.PublicKey)

    func run() {
        let signers = (0..<keys).map { Ed25519.PrivateKey(seed: SHA512.hash([UInt8(3), UInt8(truncatingIfNeeded: $0)]).prefix(32)) }
        // Per record: every record signs itself (first = last). Per append: appends of about
        // records / appends records each, as a history of that many appends has.
        let perRecord = items(count: records, signers: signers) { ($0, $0) }
        let span = records / appends
        let perAppend = items(count: appends, signers: signers) { ($0 * span, $0 * span + span - 1) }
        var sink = 0
        for (name, set) in [("per-record", perRecord), ("per-append", perAppend)] {
            let engine = nanosecondsPerRun {
                sink &+= Self.engineVerify(set)
            }
            print("\(name)-engine \(set.count) \(engine)")
            let batch = nanosecondsPerRun {
                let verdicts = Ed25519.verifyBatch(set)
                precondition(verdicts.allSatisfy { $0 }, "a signature made by the signer must verify")
                sink &+= verdicts.count
            }
            print("\(name)-batch \(set.count) \(batch)")
        }
        precondition(sink != 0, "keeps the work observable")
    }

    /// `count` items over a pool of up to 4,096 distinct signed append messages; `seqs(i)` is the
    /// first and last seq of item i's append.
    func items(count: Int, signers: [Ed25519.PrivateKey], seqs: (Int) -> (Int, Int)) -> [Item] {
        let pool = (0..<min(count, 4096)).map { index -> Item in
            let (first, last) = seqs(index)
            let hash = SHA256.hash([UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8), 4])
            let message = Array("ledger.append.v2\n\(first)\n\(last)\n\(hash.hex)\n".utf8)
            let signer = signers[index % signers.count]
            return (signer.sign(message), message, signer.publicKey)
        }
        return (0..<count).map { pool[$0 % pool.count] }
    }

    /// One verification at a time, in groups of `engineGroup` split over every core (how `ledger
    /// verify` ran before batch verification; the "batch" figure is how it runs now); the valid count.
    static func engineVerify(_ items: [Item]) -> Int {
        var valid = 0
        for start in stride(from: 0, to: items.count, by: engineGroup) {
            let group = Array(items[start..<min(start + engineGroup, items.count)])
            let parts = group.count < 8 ? 1 : Ed25519.batchThreads
            let results = Results(count: group.count)
            ParallelWork.run(parts: parts) { part in
                for index in ParallelWork.range(of: part, parts: parts, count: group.count) {
                    let item = group[index]
                    results.set(index, Ed25519.verify(signature: item.signature, message: item.message, publicKey: item.publicKey))
                }
            }
            let verdicts = results.values()
            precondition(verdicts.allSatisfy { $0 }, "a signature made by the signer must verify")
            valid += verdicts.count
        }
        return valid
    }

    /// The wall time of `body` in nanoseconds: a first run's when it takes a second or more (a
    /// million verifications), else the mean of as many further runs as fit in a second.
    func nanosecondsPerRun(_ body: () -> Void) -> UInt64 {
        let first = monotonicNanoseconds()
        body()
        let elapsed = monotonicNanoseconds() - first
        if elapsed >= 1_000_000_000 { return elapsed }
        let start = monotonicNanoseconds()
        var runs: UInt64 = 0
        var now = start
        repeat {
            body()
            runs += 1
            now = monotonicNanoseconds()
        } while now - start < 1_000_000_000
        return (now - start) / runs
    }
}

/// Verdicts written by several threads at disjoint indices.
final class Results: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Bool>
    init(count: Int) { buffer = .allocate(capacity: count); buffer.initialize(repeating: false) }
    deinit { buffer.deallocate() }
    func set(_ index: Int, _ value: Bool) { buffer[index] = value }
    func values() -> [Bool] { Array(buffer) }
}

exit(Bench.main(CommandLine.arguments))
