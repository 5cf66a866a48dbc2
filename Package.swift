// swift-tools-version:6.0
// The layers, bottom up (each knows nothing of the ones above it):
//   CLedgerSHA     C kernel: SHA-256 compression with the x86 SHA extensions (runtime dispatch).
//   LedgerCrypto   SHA-256, SHA-512, Ed25519, hex and base64. No I/O.
//   LedgerJSON     our canonical JSON writer and strict reader. No I/O.
//   LedgerProofs   RFC 9162 Merkle tree, proofs, C2SP checkpoints and signed notes. No I/O.
//   LedgerCore     the record format, the chain rules and the streaming verifier. No I/O.
//   LedgerDomain   the fund's events, money and invariants, as a pure fold (Specs/events.md). No I/O.
//   LedgerStorage  the ledger directory, never through a link: locks, fsync, signed appends, torn
//                  tails and unfinished appends, the files of the sealed caches.
//   LedgerEngine   `Ledger`: open, fold, append under the rules, verify, prove, report, with
//                  explicit options (clock, lock timeout, snapshot policy, signer, warnings). No globals,
//                  no environment, no printing: what a CLI, a site generator or a server embeds.
//   LedgerCLI      argument parsing, formatting (tables, JSON, CSV) and exit statuses over the
//                  engine; `ledger` is a one-line main over it. It does not see LedgerStorage.
import PackageDescription

// Hashing dominates the tests (a million-byte vector, verifying generated ledgers), and debug
// builds of hash code are 30-40x slower, so the crypto module is optimised in debug builds too.
// unsafeFlags are accepted in a root package; nobody depends on this package by version.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

// Every command starts by loading the Swift runtime: linked dynamically, binding its symbols
// took 2 to 3 ms of each command (a note onto an empty ledger 10.8 -> 8.6 ms linked statically).
// The release build only: the tests (a debug build) link the testing frameworks, which come
// with the runtime's shared libraries, and a test target that imports `ledger` inherits this.
let staticStandardLibrary: [LinkerSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]

let package = Package(
    name: "ledger",
    products: [
        .executable(name: "ledger", targets: ["ledger"]),
    ],
    targets: [
        .target(name: "CLedgerSHA"),
        .target(name: "LedgerCrypto", dependencies: ["CLedgerSHA"], swiftSettings: optimisedInDebug),
        .target(name: "LedgerJSON", swiftSettings: optimisedInDebug),
        .target(name: "LedgerProofs", dependencies: ["LedgerCrypto"], swiftSettings: optimisedInDebug),
        .target(name: "LedgerCore", dependencies: ["LedgerCrypto", "LedgerJSON", "LedgerProofs"]),
        .target(name: "LedgerDomain", dependencies: ["LedgerCore", "LedgerCrypto", "LedgerJSON"]),
        .target(name: "LedgerStorage", dependencies: ["LedgerCore"]),
        .target(name: "LedgerEngine", dependencies: ["LedgerCore", "LedgerDomain", "LedgerStorage", "LedgerProofs"]),
        .target(name: "LedgerCLI", dependencies: ["LedgerEngine", "LedgerCore", "LedgerDomain", "LedgerProofs"]),
        .executableTarget(name: "ledger", dependencies: ["LedgerCLI"], linkerSettings: staticStandardLibrary),
        .executableTarget(name: "ledger-bench", dependencies: ["LedgerCrypto"]),
        .testTarget(name: "LedgerCryptoTests", dependencies: ["LedgerCrypto"], exclude: ["Fixtures"]),
        .testTarget(name: "LedgerJSONTests", dependencies: ["LedgerJSON"], exclude: ["Fixtures"]),
        .testTarget(name: "LedgerProofsTests", dependencies: ["LedgerProofs"], exclude: ["Fixtures"]),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore"], exclude: ["Fixtures"]),
        .testTarget(name: "LedgerDomainTests", dependencies: ["LedgerDomain"], exclude: ["Fixtures"]),
        .testTarget(name: "LedgerStorageTests", dependencies: ["LedgerStorage"], exclude: ["Fixtures"]),
        .testTarget(name: "LedgerEngineTests", dependencies: ["LedgerEngine", "LedgerCrypto", "LedgerProofs", "LedgerStorage"]),
        .testTarget(name: "LedgerCLITests", dependencies: ["ledger", "LedgerCore", "LedgerCrypto", "LedgerProofs"]),
    ]
)
