import Foundation
import Testing

/// Signed checkpoints, co-signing and `verify --key` through the built binary.
@Suite struct ProofSignatureTests {
    @Test func signCosignAndVerifyWithEitherKey() throws {
        let ledger = try ProofFixture.ledger(notes: 5)
        let treasurer = try ProofFixture.keys("treasurer.example")
        let auditor = try ProofFixture.keys("auditor.example")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        let signed = try ProofFixture.read(checkpoint)
        #expect(signed.hasPrefix("test.example/fund\n6\n"))
        #expect(signed.components(separatedBy: "\n\u{2014} ").count == 2)

        let cosign = try LedgerProcess.run(["cosign", checkpoint, "--sign", auditor.key, "--key", treasurer.pub,
                                            "--ledger", ledger, "--output", checkpoint])
        #expect(cosign.status == 0, "\(cosign.stderr)")
        #expect(cosign.stderr.contains("the ledger in \(ledger) extends it"))
        let cosigned = try ProofFixture.read(checkpoint)
        #expect(cosigned.hasPrefix(signed), "co-signing keeps the text and the first signature")
        #expect(cosigned.contains("\u{2014} auditor.example "))

        let both = try ProofFixture.write(try ProofFixture.read(treasurer.pub) + "# the auditor\n" + ProofFixture.read(auditor.pub))
        for (key, signer) in [(treasurer.pub, "treasurer.example+"), (auditor.pub, "auditor.example+"), (both, "auditor.example+")] {
            let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", key])
            #expect(result.status == 0, "\(result.stdout)")
            #expect(result.stdout.contains("signatures verified: ") && result.stdout.contains(signer))
        }
    }

    @Test func signaturesByUnknownKeysAreIgnoredButOneTrustedIsRequired() throws {
        let ledger = try ProofFixture.ledger(notes: 3)
        let treasurer = try ProofFixture.keys("treasurer")
        let stranger = try ProofFixture.keys("stranger")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: stranger.key)
        // Only the stranger signed: no trusted signature.
        let untrusted = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", treasurer.pub])
        #expect(untrusted.status == 1)
        #expect(untrusted.stdout.contains("BAD_SIGNATURE") && untrusted.stdout.contains("no signature by a trusted key"))
        // The treasurer co-signs: the stranger's signature is now ignored.
        #expect(try LedgerProcess.run(["cosign", checkpoint, "--sign", treasurer.key, "--output", checkpoint]).status == 0)
        let trusted = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", treasurer.pub])
        #expect(trusted.status == 0, "\(trusted.stdout)")
        let signatures = try #require(trusted.stdout.split(separator: "\n").first { $0.hasPrefix("  signatures ") })
        #expect(signatures.hasPrefix("  signatures verified: treasurer+") && !signatures.contains("stranger"))
    }

    @Test func severalKeyOptionsAreAllTrusted() throws {
        let ledger = try ProofFixture.ledger(notes: 2)
        let treasurer = try ProofFixture.keys("treasurer")
        let auditor = try ProofFixture.keys("auditor")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        let both = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint,
                                          "--key", auditor.pub, "--key", treasurer.pub])
        #expect(both.status == 0, "\(both.stdout)\(both.stderr)")
        let auditorOnly = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", auditor.pub])
        #expect(auditorOnly.status == 1)
        let twice = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--checkpoint", checkpoint])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("--checkpoint given twice"))
    }

    @Test func aWrongKeyIsBadSignatureAndTheLogIsNotRead() throws {
        let ledger = try ProofFixture.ledger(notes: 3)
        let treasurer = try ProofFixture.keys("treasurer")
        // The same name, another key: the key ID differs, so the signature is by an unknown key.
        let impostor = try ProofFixture.keys("treasurer")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", impostor.pub, "--json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains(#""kind":"BAD_SIGNATURE""#))
        #expect(!result.stdout.contains(#""records":"#), "an untrusted checkpoint proves nothing: the log is not read")
    }

    @Test(arguments: ["size", "tree head", "origin", "signature over other bytes"])
    func aTamperedNoteIsBadSignature(tamper: String) throws {
        let ledger = try ProofFixture.ledger(notes: 4)
        let treasurer = try ProofFixture.keys("treasurer")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        let note = try ProofFixture.read(checkpoint)
        let lines = note.components(separatedBy: "\n")
        var changed = lines
        switch tamper {
        case "size": changed[1] = "4"
        case "tree head": changed[2] = String(repeating: "A", count: 43) + "="
        case "origin": changed[0] = "other.example/fund"
        default:
            // A real signature by the trusted key, but over another checkpoint (an earlier size).
            let earlier = try ProofFixture.ledger(notes: 2)
            let other = try ProofFixture.read(try ProofFixture.signedCheckpoint(earlier, key: treasurer.key))
            changed[4] = other.components(separatedBy: "\n")[4]
        }
        #expect(changed != lines)
        let path = try ProofFixture.write(changed.joined(separator: "\n"), "tampered")
        let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", path, "--key", treasurer.pub])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("BAD_SIGNATURE"))
        #expect(result.stdout.contains("does not verify"))
    }

    @Test func aBareCheckpointWithKeyIsBadSignatureWithoutKeyIsChecked() throws {
        let ledger = try ProofFixture.ledger(notes: 3)
        let treasurer = try ProofFixture.keys("treasurer")
        let bare = LedgerProcess.temporaryPath("bare")
        #expect(try LedgerProcess.run(["checkpoint", "--ledger", ledger, "--output", bare]).status == 0)
        let withKey = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", bare, "--key", treasurer.pub])
        #expect(withKey.status == 1)
        #expect(withKey.stdout.contains("BAD_SIGNATURE") && withKey.stdout.contains("not signed"))
        let withoutKey = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", bare])
        #expect(withoutKey.status == 0)
        #expect(withoutKey.stdout.contains("none (a bare checkpoint)"))

        let signed = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        let unchecked = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", signed])
        #expect(unchecked.status == 0)
        #expect(unchecked.stdout.contains("1 signature, NOT checked (no --key given)"))
    }

    @Test func cosignChecksBeforeSigning() throws {
        let ledger = try ProofFixture.ledger(notes: 4)
        let treasurer = try ProofFixture.keys("treasurer")
        let auditor = try ProofFixture.keys("auditor")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: treasurer.key)
        let original = try ProofFixture.read(checkpoint)

        let wrongKey = try LedgerProcess.run(["cosign", checkpoint, "--sign", auditor.key, "--key", auditor.pub, "--output", checkpoint])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("BAD_SIGNATURE"))

        // Another history under the same origin: the auditor must not vouch for this checkpoint.
        let other = try LedgerProcess.makeLedger()
        try ProofFixture.append(notes: 1...4, to: other, text: "rewritten")
        let forked = try LedgerProcess.run(["cosign", checkpoint, "--sign", auditor.key, "--ledger", other, "--output", checkpoint])
        #expect(forked.status == 1)
        #expect(forked.stderr.contains("FORKED"))
        #expect(try ProofFixture.read(checkpoint) == original, "nothing is signed when a check fails")

        let unchecked = try LedgerProcess.run(["cosign", checkpoint, "--sign", auditor.key])
        #expect(unchecked.status == 0)
        #expect(unchecked.stderr.contains("NOT checked against a ledger"))
        #expect(unchecked.stdout.hasPrefix(original))
    }

    @Test func aBrokenLogGetsNoSignature() throws {
        let ledger = try ProofFixture.ledger(notes: 4)
        let treasurer = try ProofFixture.keys("treasurer")
        let appended = try LedgerProcess.run(["checkpoint", "--ledger", ledger])
        try ProofFixture.rewriteLog(ledger) { lines in lines[2] = lines[2].replacingOccurrences(of: "note 2", with: "note 9") }
        let output = LedgerProcess.temporaryPath("checkpoint")
        let result = try LedgerProcess.run(["checkpoint", "--ledger", ledger, "--sign", treasurer.key, "--output", output])
        #expect(result.status == 5)
        #expect(result.stderr.contains("HASH_MISMATCH") && result.stderr.contains("nothing signed"))
        #expect(!FileManager.default.fileExists(atPath: output))
        // The bare checkpoint comes from the proof cache that the last append sealed: it
        // certifies the history as it was appended and signed, never the edited one, which
        // `verify` against that checkpoint then reports.
        let bare = try LedgerProcess.run(["checkpoint", "--ledger", ledger])
        #expect(bare.status == 0 && bare.stdout == appended.stdout)
        try bare.stdout.write(toFile: output, atomically: true, encoding: .utf8)
        let verified = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", output])
        #expect(verified.status == 1 && verified.stdout.contains("HASH_MISMATCH"))
        // Without the sealed cache, the checkpoint is built from the log, whose chain breaks.
        try FileManager.default.removeItem(atPath: ledger + "/cache/merkle.seal")
        let rebuilt = try LedgerProcess.run(["checkpoint", "--ledger", ledger])
        #expect(rebuilt.status == 5 && rebuilt.stderr.contains("breaks at record 2"), "\(rebuilt.stderr)")
    }
}
