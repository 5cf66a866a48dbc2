import Foundation
import Testing

/// Parties, projects, ballots, decisions, commitments, disbursements and the look-alike index
/// are read in place from a snapshot's base (Specs/reports.md §6): a governance flow whose every
/// command finds its entities in the base (a snapshot and a new base after each command) appends
/// byte for byte what the same flow appends without snapshots, refuses what it refuses, and its
/// reports answer the same; a base damaged on every page is reported and never answered from.
@Suite struct BulkEntityTests {
    /// A snapshot after every command, and a new base as soon as one entry is recent.
    static let eager = ["LEDGER_SNAPSHOT_TAIL_MIN": "1", "LEDGER_SNAPSHOT_BASE_MIN": "1"]

    /// (actor, command, expected exit status).
    static let flow: [(String, [String], Int32)] = [
        ("OP-CLK", ["party", "register", "--party", "P-6", "--kind", "person"], 0),
        ("OP-CLK", ["party", "register", "--party", "p-6", "--kind", "person"], 4),          // I0.look-alike, from the base
        ("OP-CLK", ["project", "apply", "--project", "PRJ-2", "--organisation", "ORG-1", "--territory", "FR-75", "--instrument", "loan",
                    "--amount", "20000"], 0),
        ("OP-CLK", ["project", "apply", "--project", "PRJ-2", "--organisation", "ORG-1", "--territory", "FR-75", "--instrument", "loan",
                    "--amount", "20000"], 4),                                                // I0.duplicate-id
        ("OP-SEC", ["ballot", "open", "--ballot", "B-1", "--body", "AG", "--motion", "fund_project", "--project", "PRJ-1",
                    "--fund", "citizens", "--amount", "30000"], 0),
        ("OP-CLK", ["proxy", "grant", "--ballot", "B-1", "--from", "P-4", "--to", "P-1"], 0),
        ("OP-SEC", ["recusal", "record", "--ballot", "B-1", "--party", "P-5"], 0),
        ("OP-CLK", ["vote", "cast", "--ballot", "B-1", "--voter", "P-1", "--choice", "for"], 0),
        ("OP-CLK", ["vote", "cast", "--ballot", "B-1", "--voter", "P-1", "--choice", "against"], 4),   // I6.one-vote
        ("OP-CLK", ["vote", "cast", "--ballot", "B-1", "--voter", "P-5", "--choice", "for"], 4),       // I6.recused
        ("OP-CLK", ["vote", "cast", "--ballot", "B-1", "--voter", "P-2", "--choice", "for"], 0),
        ("OP-CLK", ["vote", "cast", "--ballot", "B-1", "--voter", "P-3", "--choice", "against"], 0),
        ("OP-SEC", ["ballot", "close", "--ballot", "B-1"], 0),
        // A ballot closed and not decided: early, so that later bases hold it; its decision comes
        // after the base is damaged.
        ("OP-SEC", ["ballot", "open", "--ballot", "B-3", "--body", "AG", "--motion", "resolution", "--text", "Rapport moral"], 0),
        ("OP-CLK", ["vote", "cast", "--ballot", "B-3", "--voter", "P-1", "--choice", "for"], 0),
        ("OP-SEC", ["ballot", "close", "--ballot", "B-3"], 0),
        ("OP-CLK", ["vote", "cast", "--ballot", "B-1", "--voter", "P-6", "--choice", "for"], 4),       // I6.ballot-closed
        ("OP-SEC", ["decision", "record", "--decision", "D-1", "--ballot", "B-1"], 0),
        ("OP-TRE", ["commitment", "make", "--commitment", "C-1", "--decision", "D-1", "--tranches", "20000+10000"], 0),
        ("OP-TRE", ["commitment", "make", "--commitment", "C-2", "--decision", "D-1", "--tranches", "1"], 4),  // I4.decision-used
        ("OP-TRE", ["disbursement", "request", "--disbursement", "DSB-1", "--commitment", "C-1", "--tranche", "1",
                    "--amount", "15000"], 0),
        ("OP-TRE", ["disbursement", "approve", "--disbursement", "DSB-1"], 4),                         // I5.four-eyes
        ("OP-TRE2", ["disbursement", "approve", "--disbursement", "DSB-1"], 0),
        ("OP-TRE", ["disbursement", "execute", "--disbursement", "DSB-1", "--ref", "OUT-1"], 0),
        ("OP-CLK", ["disbursement", "request", "--disbursement", "DSB-2", "--commitment", "C-1", "--tranche", "2",
                    "--amount", "10000"], 0),
        ("OP-SEC", ["disbursement", "reject", "--disbursement", "DSB-2", "--reason", "facture manquante"], 0),
    ]

    static let reports: [[String]] = [
        ["ballots", "--json"], ["project", "show", "PRJ-1", "--json"], ["project", "list", "--json"], ["audit", "DSB-1", "--json"],
        ["fund", "status", "--json"], ["party", "list", "--json"], ["balances", "--by", "territory", "--json"],
    ]

    static func run(_ ledger: DomainLedger, _ arguments: [String], as actor: String, eager: Bool) throws -> LedgerProcess.Result {
        try LedgerProcess.run(arguments + ["--ledger", ledger.directory],
                              environment: ["LEDGER_NOW": DomainLedger.now, "LEDGER_OPERATOR": actor].merging(eager ? Self.eager : [:]) { $1 })
    }

    /// The flow on two copies of the same fund, one with snapshots after every command.
    static func bothWays() throws -> (cached: DomainLedger, bare: DomainLedger) {
        let cached = try DomainLedger.make()
        let bare = try DomainLedger.make()
        #expect(try LedgerProcess.logBytes(cached.directory) == LedgerProcess.logBytes(bare.directory), "the same fund, twice")
        for (actor, command, status) in flow {
            let withBase = try run(cached, command, as: actor, eager: true)
            let without = try run(bare, command, as: actor, eager: false)
            #expect(withBase.status == status && without.status == status, "\(command): \(withBase.stderr) \(without.stderr)")
            #expect(withBase.stdout == without.stdout && withBase.stderr == without.stderr, "\(command)")
        }
        return (cached, bare)
    }

    @Test func aFlowReadingItsEntitiesFromTheBaseAppendsWhatItAppendsWithout() throws {
        let (cached, bare) = try Self.bothWays()
        #expect(try LedgerProcess.logBytes(cached.directory) == LedgerProcess.logBytes(bare.directory))
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: cached.directory + "/cache/snapshots")
        #expect(snapshots.contains { $0.hasPrefix("bulk-") }, "\(snapshots)")
        for report in Self.reports {
            let withBase = try Self.run(cached, report, as: "OP-AUD", eager: false)
            let without = try Self.run(bare, report + ["--from-log"], as: "OP-AUD", eager: false)
            #expect(withBase.status == 0 && withBase.stderr.isEmpty, "\(report): \(withBase.stderr)")
            #expect(AppendixLedger.figures(withBase.stdout) == AppendixLedger.figures(without.stdout), "\(report)")
        }
    }

    /// The base's lower file (`bulk-LAYOUT-M.tables`, 3 parts) or its upper file
    /// (`bulk-LAYOUT-M-U.tables`, 4 parts), damaged on every page.
    @Test(arguments: [3, 4])
    func aBaseDamagedOnEveryPageIsReportedAndNeverAnsweredFrom(_ nameParts: Int) throws {
        let (cached, bare) = try Self.bothWays()
        let directory = cached.directory + "/cache/snapshots/"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("bulk-") }
        #expect(names.count == 2, "a lower and an upper file: \(names)")
        let base = try #require(names.first { $0.split(separator: "-").count == nameParts })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: directory + base))
        let dataBytes = (0..<8).reduce(0) { $0 | Int(bytes[24 + $1]) << (8 * $1) }
        for page in stride(from: 4_096, to: 4_096 + dataBytes, by: 4_096) { bytes[page + 7] ^= 0x20 }
        try bytes.write(to: URL(fileURLWithPath: directory + base))
        // Every report that reads entities says the base is damaged and prints the log's figures.
        for report in Self.reports + [["ballots", "B-1", "--json"], ["ballot", "tally", "--ballot", "B-1", "--json"], ["balances", "--json"]] {
            let withBase = try Self.run(cached, report, as: "OP-AUD", eager: false)
            let without = try Self.run(bare, report + ["--from-log"], as: "OP-AUD", eager: false)
            #expect(withBase.status == 0 && without.status == 0, "\(report): \(withBase.stderr)")
            #expect(AppendixLedger.figures(withBase.stdout) == AppendixLedger.figures(without.stdout), "\(report)")
        }
        // A vote on a ballot, a decision, a request on a commitment, a look-alike party: each reads the base.
        let next: [(String, [String], Int32)] = [
            // First, with nothing to fold after the snapshot: the command fills B-3's tally from
            // the state (`Ledger.append(building:)`), which reads it from the damaged base.
            ("OP-SEC", ["decision", "record", "--decision", "D-3", "--ballot", "B-3"], 0),
            ("OP-SEC", ["ballot", "open", "--ballot", "B-2", "--body", "AG", "--motion", "resolution", "--text", "Statuts"], 0),
            ("OP-CLK", ["vote", "cast", "--ballot", "B-2", "--voter", "P-1", "--choice", "for"], 0),
            ("OP-CLK", ["disbursement", "request", "--disbursement", "DSB-3", "--commitment", "C-1", "--tranche", "2",
                        "--amount", "5000"], 0),
            ("OP-CLK", ["party", "register", "--party", "P-I", "--kind", "person"], 4),
        ]
        var warned = false
        for (actor, command, status) in next {
            let withBase = try Self.run(cached, command, as: actor, eager: false)
            let without = try Self.run(bare, command, as: actor, eager: false)
            #expect(withBase.status == status && without.status == status, "\(command): \(withBase.stderr)")
            warned = warned || withBase.stderr.contains("damaged")
        }
        #expect(warned, "the damaged base was reported")
        #expect(try LedgerProcess.logBytes(cached.directory) == LedgerProcess.logBytes(bare.directory))
    }

    /// The same flow in two other processes (each with its own seeded hashing) saves the same
    /// snapshots, byte for byte: no set's or dictionary's order reaches a snapshot's bytes.
    @Test func theSameFlowSavesTheSameSnapshotBytes() throws {
        let first = try DomainLedger.make(), second = try DomainLedger.make()
        for (actor, command, status) in Self.flow.prefix(14) {
            for ledger in [first, second] {
                let result = try Self.run(ledger, command, as: actor, eager: true)
                #expect(result.status == status, "\(command): \(result.stderr)")
            }
        }
        let directory = "/cache/snapshots/"
        let names = try FileManager.default.contentsOfDirectory(atPath: first.directory + directory).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: second.directory + directory).sorted()))
        #expect(names.contains { $0.hasPrefix("state-core-") } && names.contains { $0.hasPrefix("bulk-") }, "\(names)")
        for name in names {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: first.directory + directory + name))
            #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: second.directory + directory + name))), "\(name)")
        }
    }
}
