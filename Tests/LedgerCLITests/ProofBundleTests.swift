import Foundation
import Testing

/// `ledger prove` and `ledger verify-proof` through the built binary, and the independent
/// check of the bundle's Merkle part.
@Suite struct ProofBundleTests {
    struct Setup {
        let ledger: String
        let treasurer: (key: String, pub: String)
        let checkpoint: String
        let bundle: String
    }

    /// Eleven records in appends of five and five (so that its first six records are whole
    /// appends: `smallerCheckpoint`), a signed checkpoint of all of them, and the bundle of
    /// record `seq`.
    static func setup(seq: Int = 5, sourceLocation: SourceLocation = #_sourceLocation) throws -> Setup {
        let ledger = try ProofFixture.ledger(notes: 5, sourceLocation: sourceLocation)
        try ProofFixture.append(notes: 6...10, to: ledger, sourceLocation: sourceLocation)
        let treasurer = try ProofFixture.keys("treasurer", sourceLocation: sourceLocation)
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key, sourceLocation: sourceLocation)
        let result = try LedgerProcess.run(["prove", "\(seq)", "--ledger", ledger, "--checkpoint", checkpoint])
        #expect(result.status == 0, "prove failed: \(result.stderr)", sourceLocation: sourceLocation)
        return Setup(ledger: ledger, treasurer: treasurer, checkpoint: checkpoint, bundle: result.stdout)
    }

    static func verifyProof(_ bundle: String, key: String) throws -> LedgerProcess.Result {
        try LedgerProcess.run(["verify-proof", try ProofFixture.write(bundle, "bundle"), "--key", key])
    }

    @Test func aBundleRoundTripsAndTheScriptAgrees() throws {
        let setup = try Self.setup(seq: 5)
        #expect(setup.bundle.hasPrefix(#"{"checkpoint":"test.example/fund\n11\n"#))
        #expect(setup.bundle.contains(#","format":"ledger.inclusion-bundle.v1","index":5,"proof":["#))
        #expect(setup.bundle.hasSuffix(#","tree_size":11}"# + "\n"))
        let lines = String(decoding: try LedgerProcess.logBytes(setup.ledger), as: UTF8.self).split(separator: "\n")
        #expect(setup.bundle.contains(#""record":""# + ProofFixture.jsonEscaped(String(lines[5])) + #"""#), "the line exactly as stored")

        let result = try Self.verifyProof(setup.bundle, key: setup.treasurer.pub)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("ledger verify-proof: VALID"))
        #expect(result.stdout.contains("seq 5, note.recorded"))
        let script = try ProofFixture.python("check_bundle.py", ["-", "--key", setup.treasurer.pub], stdin: setup.bundle)
        #expect(script.status == 0, "\(script.stdout)")
        #expect(script.stdout.hasPrefix("VALID: record seq 5 (note.recorded) is in test.example/fund at size 11; signed by treasurer+"))
        // Standard input, and every record of the ledger.
        for seq in 0...10 {
            let bundle = try LedgerProcess.run(["prove", "\(seq)", "--ledger", setup.ledger, "--checkpoint", setup.checkpoint])
            let checked = try LedgerProcess.run(["verify-proof", "-", "--key", setup.treasurer.pub], stdin: Data(bundle.stdout.utf8))
            #expect(checked.status == 0, "seq \(seq): \(checked.stdout)")
        }
    }

    @Test func proveWithSignVerifiesTheLogAndSignsTodaysCheckpoint() throws {
        let ledger = try ProofFixture.ledger(notes: 3)
        let auditor = try ProofFixture.keys("auditor")
        let output = LedgerProcess.temporaryPath("bundle")
        let result = try LedgerProcess.run(["prove", "2", "--ledger", ledger, "--sign", auditor.key, "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        let checked = try LedgerProcess.run(["verify-proof", output, "--key", auditor.pub, "--json"])
        #expect(checked.status == 0)
        #expect(checked.stdout.contains(#""seq":2"#) && checked.stdout.contains(#""status":"valid""#))
    }

    /// Each change keeps the bundle well-formed canonical JSON; each must be refused (exit 1).
    @Test(arguments: [
        ("a hash too many", "PROOF_INVALID", "too many"), ("a hash too few", "PROOF_INVALID", "too few"),
        ("index beyond the size", "PROOF_INVALID", "beyond"), ("record line altered", "RECORD_INVALID", "HASH_MISMATCH"),
        ("another index", "INDEX_MISMATCH", "seq 5"), ("another proof hash", "PROOF_INVALID", "leads to root"),
        ("wrong key", "BAD_SIGNATURE", "no signature by a trusted key"),
        ("signature over other bytes", "BAD_SIGNATURE", "does not verify"),
    ])
    func aBundleThatDoesNotHoldIsRefused(change: String, kind: String, reason: String) throws {
        let setup = try Self.setup(seq: 5)
        var bundle = setup.bundle
        var key = setup.treasurer.pub
        let firstHash = try #require(bundle.range(of: #""proof":[""#).map { bundle[$0.upperBound...].prefix(44) })
        switch change {
        case "a hash too many":
            bundle = bundle.replacingOccurrences(of: #""proof":[""#, with: #""proof":["\#(firstHash)",""#)
        case "a hash too few":
            bundle = bundle.replacingOccurrences(of: #""proof":["\#(firstHash)","#, with: #""proof":["#)
        case "index beyond the size":
            // Record 10's bundle, presented with a signed checkpoint of the first 6 records only.
            let small = try Self.smallerCheckpoint(setup)
            bundle = try LedgerProcess.run(["prove", "10", "--ledger", setup.ledger, "--checkpoint", setup.checkpoint]).stdout
            let note = try #require(bundle.range(of: #"{"checkpoint":""#).flatMap { start in
                bundle.range(of: #"","format""#).map { String(bundle[start.upperBound..<$0.lowerBound]) } })
            bundle = bundle.replacingOccurrences(of: note, with: ProofFixture.jsonEscaped(small))
                .replacingOccurrences(of: #""tree_size":11"#, with: #""tree_size":6"#)
        case "record line altered":
            bundle = bundle.replacingOccurrences(of: "note 5", with: "note 6")
        case "another index":
            bundle = bundle.replacingOccurrences(of: #""index":5"#, with: #""index":4"#)
        case "another proof hash":
            bundle = bundle.replacingOccurrences(of: firstHash, with: String(repeating: "A", count: 43) + "=")
        case "wrong key":
            key = try ProofFixture.keys("treasurer").pub
        default:
            let other = try Self.smallerCheckpoint(setup).components(separatedBy: "\n")
            let lines = try ProofFixture.read(setup.checkpoint).components(separatedBy: "\n")
            let forged = ([lines[0], lines[1], lines[2], "", other[4], ""]).joined(separator: "\n")
            bundle = bundle.replacingOccurrences(of: ProofFixture.jsonEscaped(lines.joined(separator: "\n")),
                                                 with: ProofFixture.jsonEscaped(forged))
        }
        #expect(bundle != setup.bundle || change == "wrong key")
        let result = try Self.verifyProof(bundle, key: key)
        #expect(result.status == 1, "\(change): \(result.stdout)")
        #expect(result.stdout.contains("kind       \(kind)"), "\(change): \(result.stdout)")
        #expect(result.stdout.contains(reason), "\(change): \(result.stdout)")
        if kind != "BAD_SIGNATURE" {
            let script = try ProofFixture.python("check_bundle.py", ["-"], stdin: bundle)
            #expect(script.status == 1, "\(change): \(script.stdout)")
        }
    }

    /// A signed checkpoint of the same ledger's first 6 records, by the same key.
    static func smallerCheckpoint(_ setup: Setup) throws -> String {
        let copy = LedgerProcess.temporaryPath("copy")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        let lines = String(decoding: try LedgerProcess.logBytes(setup.ledger), as: UTF8.self).split(separator: "\n").prefix(6)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: copy + "/log.jsonl"))
        return try ProofFixture.read(try ProofFixture.signedCheckpoint(copy, key: setup.treasurer.key))
    }

    @Test(arguments: [
        ("not JSON", "{"), ("a member missing", #"{"format":"ledger.inclusion-bundle.v1"}"#),
        ("not canonical", " {}"), ("bad base64", "PROOFHASH"), ("a bare checkpoint", "BARE"),
        ("tree size disagrees", "SIZE"),
    ])
    func aMalformedBundleIsAUsageError(change: String, replacement: String) throws {
        let setup = try Self.setup(seq: 3)
        var bundle: String
        switch replacement {
        case "PROOFHASH":
            bundle = setup.bundle.replacingOccurrences(of: #""proof":[""#, with: #""proof":["not-base64","#)
        case "BARE":
            let note = try ProofFixture.read(setup.checkpoint)
            let bare = String(note.prefix(upTo: try #require(note.range(of: "\n\n")).lowerBound)) + "\n"
            bundle = setup.bundle.replacingOccurrences(of: ProofFixture.jsonEscaped(note), with: ProofFixture.jsonEscaped(bare))
        case "SIZE":
            bundle = setup.bundle.replacingOccurrences(of: #""tree_size":11"#, with: #""tree_size":12"#)
        case " {}":
            bundle = setup.bundle.replacingOccurrences(of: #","index":"#, with: #", "index":"#)
        default:
            bundle = replacement
        }
        #expect(bundle != setup.bundle)
        let result = try Self.verifyProof(bundle, key: setup.treasurer.pub)
        #expect(result.status == 2, "\(change): \(result.stdout)")
        #expect(result.stdout.contains("MALFORMED_BUNDLE"), "\(change): \(result.stdout)")
    }

    @Test func proveRefusesWhatItCannotProve() throws {
        let setup = try Self.setup(seq: 1)
        let beyond = try LedgerProcess.run(["prove", "11", "--ledger", setup.ledger, "--checkpoint", setup.checkpoint])
        #expect(beyond.status == 2)
        #expect(beyond.stderr.contains("not in the checkpoint"))
        let bare = LedgerProcess.temporaryPath("bare")
        #expect(try LedgerProcess.run(["checkpoint", "--ledger", setup.ledger, "--output", bare]).status == 0)
        let unsigned = try LedgerProcess.run(["prove", "1", "--ledger", setup.ledger, "--checkpoint", bare])
        #expect(unsigned.status == 2)
        #expect(unsigned.stderr.contains("not signed"))
        let neither = try LedgerProcess.run(["prove", "1", "--ledger", setup.ledger])
        #expect(neither.status == 2)

        let rewritten = try LedgerProcess.makeLedger()
        try ProofFixture.append(notes: 1...12, to: rewritten, text: "other")
        let forked = try LedgerProcess.run(["prove", "1", "--ledger", rewritten, "--checkpoint", setup.checkpoint])
        #expect(forked.status == 1)
        #expect(forked.stderr.contains("FORKED"))
        try ProofFixture.rewriteLog(setup.ledger) { lines in lines.removeLast(2) }
        let truncated = try LedgerProcess.run(["prove", "1", "--ledger", setup.ledger, "--checkpoint", setup.checkpoint])
        #expect(truncated.status == 1)
        #expect(truncated.stderr.contains("TRUNCATED"))
    }
}
