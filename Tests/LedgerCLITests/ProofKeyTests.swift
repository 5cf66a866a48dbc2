import Foundation
import Testing

/// `ledger keygen` and key files through the built binary.
@Suite struct ProofKeyTests {
    @Test func keygenWritesAnOwnerOnlySignerKeyAndNeverPrintsIt() throws {
        let prefix = LedgerProcess.temporaryPath("treasurer")
        let result = try LedgerProcess.run(["keygen", "--name", "treasurer.test.example", "--output", prefix])
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: prefix + ".key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let publicAttributes = try FileManager.default.attributesOfItem(atPath: prefix + ".pub")
        #expect((publicAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)

        let secret = try ProofFixture.read(prefix + ".key")
        let publicKey = try ProofFixture.read(prefix + ".pub")
        #expect(secret.hasPrefix("PRIVATE+KEY+treasurer.test.example+") && secret.hasSuffix("\n"))
        #expect(publicKey.hasPrefix("treasurer.test.example+") && publicKey.hasSuffix("\n"))
        // The seed is the base64 after the fourth '+' (base64 itself may hold '+'); it must appear
        // nowhere in the output.
        let seed = try #require(secret.dropLast().split(separator: "+", maxSplits: 4).last)
        #expect(seed.count == 44)
        for output in [result.stdout, result.stderr] {
            #expect(!output.contains(seed))
            #expect(!output.contains("PRIVATE+KEY"))
        }
        #expect(result.stdout.contains("public key  " + publicKey.dropLast()))
        #expect(result.stdout.contains("key ID      treasurer.test.example+"))
    }

    @Test func keygenNeverOverwritesAKey() throws {
        let prefix = LedgerProcess.temporaryPath("auditor")
        #expect(try LedgerProcess.run(["keygen", "--name", "auditor", "--output", prefix]).status == 0)
        let before = try ProofFixture.read(prefix + ".key")
        let again = try LedgerProcess.run(["keygen", "--name", "auditor", "--output", prefix])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
        #expect(try ProofFixture.read(prefix + ".key") == before)
        // Only the .pub in the way: nothing is written either.
        try FileManager.default.removeItem(atPath: prefix + ".key")
        #expect(try LedgerProcess.run(["keygen", "--name", "auditor", "--output", prefix]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: prefix + ".key"))
    }

    @Test(arguments: ["two words", "a+b", ""])
    func keygenRefusesANameThatCannotBeInASignatureLine(name: String) throws {
        let prefix = LedgerProcess.temporaryPath("bad")
        let result = try LedgerProcess.run(["keygen", "--name", name, "--output", prefix])
        #expect(result.status == 2)
        #expect(!FileManager.default.fileExists(atPath: prefix + ".key"))
    }

    @Test func aSignerKeyGivenAsATrustedKeyIsRefusedWithoutQuotingIt() throws {
        let ledger = try ProofFixture.ledger(notes: 2)
        let keys = try ProofFixture.keys("treasurer")
        let checkpoint = try ProofFixture.signedCheckpoint(ledger, key: keys.key)
        let result = try LedgerProcess.run(["verify", "--ledger", ledger, "--checkpoint", checkpoint, "--key", keys.key])
        #expect(result.status == 2)
        #expect(result.stderr.contains("signer (private) key"))
        let secret = try ProofFixture.read(keys.key)
        #expect(!result.stderr.contains(String(secret.dropLast().split(separator: "+", maxSplits: 4).last ?? "?")))
        // And the other way round: a verifier key cannot sign.
        let sign = try LedgerProcess.run(["checkpoint", "--ledger", ledger, "--sign", keys.pub])
        #expect(sign.status == 2)
        #expect(sign.stderr.contains("not a signer key"))
    }
}
