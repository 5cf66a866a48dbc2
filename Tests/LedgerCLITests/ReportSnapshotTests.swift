import Foundation
import LedgerCore
import LedgerCrypto
import Testing

/// State snapshots are caches: a report or an append with one answers exactly as without it; a
/// corrupt, stale or foreign one is reported once on standard error, ignored and rebuilt; a
/// forged one (well formed, naming a record of the log, holding another state) is caught by
/// `ledger verify --snapshots` as STATE_MISMATCH.
@Suite struct ReportSnapshotTests {
    /// Snapshots after every command (the default waits for 512 records), and a base file for
    /// the bulk tables as soon as they hold anything (the default waits for 4,096 entries).
    static let eager = ["LEDGER_SNAPSHOT_TAIL_MIN": "1", "LEDGER_SNAPSHOT_BASE_MIN": "1"]

    static let reports: [[String]] = [
        ["balances", "--json"], ["balances", "--by", "territory", "--csv"], ["project", "show", "PRJ-29-01", "--json"],
        ["party", "statement", "FIN-01", "--json"], ["ballots", "--json"], ["audit", "DSB-2024-01", "--csv"],
        ["export", "--format", "beancount"], ["fund", "status", "--json"],
    ]

    static func snapshotPath(_ ledger: AppendixLedger) throws -> String {
        let name = try #require(ledger.snapshots.last)
        return ledger.directory + "/cache/snapshots/" + name
    }

    /// Every report, without snapshots (a copy whose cache is gone) and with.
    static func expectSameReports(_ ledger: AppendixLedger, through last: Int = 69, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bare = try ledger.truncatedCopy(through: last)
        for report in reports {
            #expect(AppendixLedger.figures(try ledger.output(report)) == AppendixLedger.figures(try bare.output(report)), "\(report)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func appendsAndReportsKeepASnapshotAndAnswerAsWithout() throws {
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        // One snapshot: the base of the bulk tables (references, contributions, statements...)
        // in one or two files, rewritten when the entries above it outnumbered a sixteenth of it,
        // and the core, at the head, which holds the entries since and names the base's files by
        // their digests.
        let core = try #require(ledger.snapshots.last)
        #expect(core.hasPrefix("state-core-") && core.hasSuffix("-70.snap"), "\(ledger.snapshots)")
        let bulk = Array(ledger.snapshots.dropLast())
        #expect((1...4).contains(bulk.count) && bulk.allSatisfy { $0.hasPrefix("bulk-") }, "\(ledger.snapshots)")
        #expect(bulk.allSatisfy { Self.recordsCovered($0) <= 70 }, "\(bulk)")
        try Self.expectSameReports(ledger)
        // An append folds the snapshot's tail only, and writes exactly what a full replay would.
        let bare = try ledger.truncatedCopy(through: 69)
        let note = ["note", "add", "--text", "contrôle", "--operator", "OP-SAISIE", "--date", "2025-07-01"]
        let with = try ledger.run(note, environment: Self.eager)
        let without = try bare.run(note)
        #expect(with.status == 0 && with.stderr.isEmpty && with.stdout == without.stdout)
        #expect(try LedgerProcess.logBytes(ledger.directory) == LedgerProcess.logBytes(bare.directory))
        // The policy here saves after every record of tail (the older core is removed); a note
        // adds no bulk entry, so the base stays as it was.
        #expect(ledger.snapshots.dropLast() == bulk[...] && ledger.snapshots.last!.hasSuffix("-71.snap"), "\(ledger.snapshots)")
        let again = try ledger.run(["note", "add", "--text", "encore", "--operator", "OP-SAISIE"], environment: Self.eager)
        #expect(again.status == 0 && ledger.snapshots.dropLast() == bulk[...] && ledger.snapshots.last!.hasSuffix("-72.snap"),
                "\(ledger.snapshots)")
        // A contribution adds bulk entries (checked against the base, which is read in place);
        // every report still answers as a fold of the whole log.
        let gift = try ledger.run(["contribution", "record", "--party", "P-0004", "--fund", "citoyens", "--instrument", "donation",
                                   "--amount", "20", "--ref", "VIR-2025-777", "--operator", "OP-TRESORIERE", "--date", "2025-07-01"],
                                  environment: Self.eager)
        #expect(gift.status == 0, "\(gift.stderr)")
        try Self.expectSameReports(ledger, through: 72)
        for _ in 0..<3 {
            _ = try ledger.run(["note", "add", "--text", "encore", "--operator", "OP-SAISIE"], environment: Self.eager)
        }
        // The file names count records: the entries the gift (record 72) changed went into the
        // base's upper files, the newest of which now covers 73 records, over the same lower file
        // (far below the 4,096 rows that would merge them); the core covers all 76.
        let base = Self.baseFiles(ledger.snapshots)
        #expect(base.lower == Self.baseFiles(bulk).lower && base.uppers.last.map(Self.recordsCovered) == 73, "\(ledger.snapshots)")
        #expect(ledger.snapshots.count == 2 + base.uppers.count && Self.recordsCovered(ledger.snapshots.last!) == 76, "\(ledger.snapshots)")
        try Self.expectSameReports(ledger, through: 75)
    }

    /// The records a snapshot file covers: the last number of its name.
    static func recordsCovered(_ name: String) -> Int { Int(name.split(separator: ".")[0].split(separator: "-").last!)! }

    /// The base's lower file (`bulk-LAYOUT-N.tables`) and upper files (`bulk-LAYOUT-P-M.tables`,
    /// the oldest first) among `names`.
    static func baseFiles(_ names: [String]) -> (lower: String?, uppers: [String]) {
        let bulk = names.filter { $0.hasPrefix("bulk-") }
        return (bulk.first { $0.split(separator: "-").count == 3 },
                bulk.filter { $0.split(separator: "-").count == 4 }.sorted { recordsCovered($0) < recordsCovered($1) })
    }

    /// With an upper file that may hold as little as one row, a run of gifts goes through every
    /// way of writing the base: into a new upper file, over the lower one or over another upper
    /// one, merged into the upper files, and the upper files merged into a new lower one; every
    /// report answers as a fold of the log throughout, and `verify --snapshots` finds the
    /// snapshot's state equal to the fold's.
    @Test func theBaseGoesThroughItsFilesAndAnswersAsTheLog() throws {
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        var lowers = Set<Int>(), uppers = Set<Int>(), layers = Set<Int>()
        for index in 0..<12 {
            let gift = ["contribution", "record", "--party", "P-000\(index % 4 + 1)", "--fund", "citoyens", "--instrument", "donation",
                        "--amount", "\(10 + index)", "--ref", "VIR-2025-9\(index)", "--operator", "OP-TRESORIERE", "--date", "2025-07-01"]
            let result = try ledger.run(gift, environment: Self.eager.merging(["LEDGER_SNAPSHOT_UPPER_MIN": "1"]) { $1 })
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
            let base = Self.baseFiles(ledger.snapshots)
            #expect(base.uppers.count <= 3 && ledger.snapshots.count == 2 + base.uppers.count, "\(ledger.snapshots)")
            lowers.insert(Self.recordsCovered(try #require(base.lower)))
            for upper in base.uppers { uppers.insert(Self.recordsCovered(upper)) }
            layers.insert(1 + base.uppers.count)
        }
        #expect(lowers.count >= 2 && uppers.count >= 2, "lower files \(lowers.sorted()), upper files \(uppers.sorted())")
        #expect(layers.contains(3), "an upper file over another: \(layers.sorted()) files at once")
        // The four donors' statements have lines in several files (each upper file's follow
        // those of the file under it) and in the core.
        try Self.expectTheStateOfTheLog(ledger, through: 81, donors: ["P-0001", "P-0002", "P-0003", "P-0004"])
    }

    /// Every report, and the statements of `donors`, as without snapshots (a copy whose cache is
    /// gone); and `verify --snapshots` finds the snapshot's state equal to the fold's.
    static func expectTheStateOfTheLog(_ ledger: AppendixLedger, through last: Int, donors: [String],
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectSameReports(ledger, through: last, sourceLocation: sourceLocation)
        let bare = try ledger.truncatedCopy(through: last)
        for party in donors {
            let report = ["party", "statement", party, "--json"]
            #expect(AppendixLedger.figures(try ledger.output(report)) == AppendixLedger.figures(try bare.output(report)), "\(party)",
                    sourceLocation: sourceLocation)
        }
        let checked = try ledger.run(["verify", "--snapshots"])
        #expect(checked.status == 0 && checked.stderr.isEmpty, "\(checked.stdout) \(checked.stderr)", sourceLocation: sourceLocation)
    }

    /// An append onto an old snapshot (saves that failed, or a cache put back from a copy)
    /// folds the projections of the records since on a thread of their own, beside the rules'
    /// replay, and saves a snapshot of the log's state: reports and `verify --snapshots` agree.
    @Test func anAppendOntoAnOldSnapshotSavesTheStateOfTheLog() throws {
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        let saved = ledger.snapshots
        #expect(Self.recordsCovered(try #require(saved.last)) == 70, "\(saved)")
        func gift(_ index: Int) -> [String] {
            ["contribution", "record", "--party", "P-000\(index % 3 + 1)", "--fund", "citoyens", "--instrument", "donation",
             "--amount", "\(20 + index)", "--ref", "VIR-2025-8\(index)", "--operator", "OP-TRESORIERE", "--date", "2025-07-01"]
        }
        // Six appends under the default policy save nothing: the snapshot falls 6 records behind...
        for index in 0..<6 {
            let result = try ledger.run(gift(index))
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
        }
        #expect(ledger.snapshots == saved)
        // ...and the next one, under a policy that saves, folds those 6 and saves at the head.
        let result = try ledger.run(gift(6), environment: Self.eager)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
        #expect(Self.recordsCovered(try #require(ledger.snapshots.last)) == 77, "\(ledger.snapshots)")
        try Self.expectTheStateOfTheLog(ledger, through: 76, donors: ["P-0001", "P-0002", "P-0003"])
    }

    @Test func aCorruptSnapshotIsReportedOnceIgnoredAndRebuilt() throws {
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        let path = try Self.snapshotPath(ledger)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        let bare = try ledger.truncatedCopy(through: 69)
        let first = try ledger.run(["balances", "--json"], environment: Self.eager)
        let expected = try bare.output(["balances", "--json"])
        #expect(first.status == 0 && AppendixLedger.figures(first.stdout) == AppendixLedger.figures(expected))
        #expect(first.stderr.components(separatedBy: "ignored snapshot").count == 2, "\(first.stderr)")
        #expect(first.stderr.contains("corrupt (checksum)") && first.stderr.contains("rebuilt from the log"))
        // A reader cannot seal a snapshot: the next append rebuilds it, and reads are silent again.
        #expect(try ledger.run(["note", "add", "--text", "contrôle", "--operator", "OP-SAISIE"], environment: Self.eager).status == 0)
        let second = try ledger.run(["balances", "--json"])
        #expect(second.status == 0 && second.stderr.isEmpty, "\(second.stderr)")
        // A truncated snapshot, and an append over it: same story.
        try Data(bytes.prefix(40)).write(to: URL(fileURLWithPath: try Self.snapshotPath(ledger)))
        let append = try ledger.run(["note", "add", "--text", "x", "--operator", "OP-SAISIE"], environment: Self.eager)
        #expect(append.status == 0 && append.stderr.components(separatedBy: "ignored snapshot").count == 2, "\(append.stderr)")
        #expect(try ledger.run(["verify"]).status == 0)
    }

    @Test func aStaleSnapshotIsIgnored() throws {
        // The log was restored from an older copy: the snapshot covers records it no longer has.
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        let restored = try ledger.truncatedCopy(through: 40)
        try FileManager.default.createDirectory(atPath: restored.directory + "/cache/snapshots", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Self.snapshotPath(ledger), toPath: restored.directory + "/cache/snapshots/" + ledger.snapshots.last!)
        let bare = try ledger.truncatedCopy(through: 40)
        let result = try restored.run(["balances", "--csv"])
        let expected = try bare.output(["balances", "--csv"])
        #expect(result.status == 0 && AppendixLedger.figures(result.stdout) == AppendixLedger.figures(expected))
        #expect(result.stderr.contains("does not match the log") && result.stderr.components(separatedBy: "ignored snapshot").count == 2,
                "\(result.stderr)")
    }

    @Test func aSnapshotOfAnotherHistoryIsIgnored() throws {
        // Same length, another last record: the record the snapshot names is not this log's.
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        let other = try ledger.truncatedCopy(through: 68)
        let note = try other.run(["note", "add", "--text", "une autre histoire", "--operator", "OP-SAISIE", "--date", "2025-06-30"])
        #expect(note.status == 0, "\(note.stderr)")
        // The note saved a snapshot of its own history: the other history's takes its place.
        try? FileManager.default.removeItem(atPath: other.directory + "/cache/snapshots")
        try FileManager.default.createDirectory(atPath: other.directory + "/cache/snapshots", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Self.snapshotPath(ledger), toPath: other.directory + "/cache/snapshots/" + ledger.snapshots.last!)
        let result = try other.run(["balances", "--csv"])
        let expected = try ledger.truncatedCopy(through: 68).output(["balances", "--csv"])
        #expect(result.status == 0 && AppendixLedger.figures(result.stdout) == AppendixLedger.figures(expected))
        #expect(result.stderr.contains("does not match the log"), "\(result.stderr)")
    }

    /// Rewrites a snapshot's payload and its checksum: a well-formed cache holding another state.
    static func forge(_ path: String, replacing old: String, with new: String) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let from = Array(old.utf8), to = Array(new.utf8)
        precondition(from.count == to.count, "same length, so the encoding stays valid")
        var found = 0
        var index = 0
        while index + from.count <= bytes.count - 32 {
            if Array(bytes[index..<(index + from.count)]) == from {
                bytes.replaceSubrange(index..<(index + from.count), with: to)
                found += 1
            }
            index += 1
        }
        precondition(found > 0, "the text is in the snapshot")
        let body = Array(bytes.dropLast(32))
        try Data(body + SHA256.hash(body).bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Seals a snapshot again with the key of the operator of the last covered record (a
    /// one-record append in these ledgers): what an insider holding that key can do.
    static func reseal(_ path: String, ledger: AppendixLedger) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let number = { (at: Int) in (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        let versionEnd = 16 + number(8)
        let sealAt = versionEnd + 8 + 8 + 32
        let payloadAt = sealAt + CacheSeal.byteCount + 8
        let payload = Array(bytes[payloadAt..<(payloadAt + number(sealAt + CacheSeal.byteCount))])
        let lines = try LedgerProcess.logBytes(ledger.directory).split(separator: 0x0A)
        let last = try RecordCodec.decodeChecked(line: Array(lines[lines.count - 1]))
        let signer = AppendSigner(privateKey: TestKeys.privateKey(last.actor))
        let seal = CacheSeal(.snapshot, digest: SHA256.hash(payload), lastRecord: last, firstSeq: last.seq, signer: signer)
        bytes.replaceSubrange(sealAt..<(sealAt + CacheSeal.byteCount), with: seal.bytes)
        let body = Array(bytes.dropLast(32))
        try Data(body + SHA256.hash(body).bytes).write(to: URL(fileURLWithPath: path))
    }

    /// `ledger verify --snapshots` is wired in VerifyCommand (SnapshotCheck.enable); until it is,
    /// this test is reported as skipped rather than failed.
    static let verifyComparesSnapshots: Bool = {
        (try? LedgerProcess.run(["help", "verify"]))?.stdout.contains("--snapshots") ?? false
    }()

    @Test(.enabled(if: verifyComparesSnapshots, "ledger verify has no --snapshots yet (the hook in VerifyCommand.swift)"))
    func aForgedSnapshotIsAStateMismatchForVerify() throws {
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        // Forged without a key, the snapshot is not even read: its seal fails.
        try Self.forge(try Self.snapshotPath(ledger), replacing: "citoyens", with: "citoyenZ")
        let unsealed = try ledger.run(["verify", "--snapshots"])
        #expect(unsealed.status == 0 && unsealed.stderr.contains("not sealed"), "\(unsealed.stdout) \(unsealed.stderr)")
        // Forged by the operator of the last append, with their key: sealed, read, and caught.
        try Self.reseal(try Self.snapshotPath(ledger), ledger: ledger)
        // A cache is never evidence: plain verify does not read it.
        #expect(try ledger.run(["verify"]).status == 0)
        let result = try ledger.run(["verify", "--snapshots"])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("STATE_MISMATCH") && result.stdout.contains("69"), "\(result.stdout)")
        let json = try ledger.run(["verify", "--snapshots", "--json"])
        #expect(json.status == 1 && json.stdout.contains(#""kind":"STATE_MISMATCH""#), "\(json.stdout)")
        // Rebuilt from the log by the next append, the cache agrees again.
        try FileManager.default.removeItem(atPath: ledger.directory + "/cache/snapshots")
        _ = try ledger.run(["note", "add", "--text", "contrôle", "--operator", "OP-SAISIE"], environment: Self.eager)
        let again = try ledger.run(["verify", "--snapshots"])
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stdout) \(again.stderr)")
    }
}

extension ReportSnapshotTests {
    @Test func aMissingBulkPartIsReportedAndRebuilt() throws {
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        let bulk = try #require(ledger.snapshots.first { $0.hasPrefix("bulk-") })
        try FileManager.default.removeItem(atPath: ledger.directory + "/cache/snapshots/" + bulk)
        // The core cannot be used without its base: reported once, folded from the log, saved again.
        let expected = try ledger.truncatedCopy(through: 69).output(["party", "statement", "FIN-01", "--csv"])
        let statement = try ledger.run(["party", "statement", "FIN-01", "--csv"], environment: Self.eager)
        #expect(statement.status == 0 && AppendixLedger.figures(statement.stdout) == AppendixLedger.figures(expected))
        #expect(statement.stderr.components(separatedBy: ".tables) are missing").count == 2, "\(statement.stderr)")
        // The next append saves (and seals) it again; then reads are silent.
        #expect(try ledger.run(["note", "add", "--text", "contrôle", "--operator", "OP-SAISIE"], environment: Self.eager).status == 0)
        #expect(ledger.snapshots.count == 2, "\(ledger.snapshots)")
        #expect(try ledger.run(["party", "statement", "FIN-01"]).stderr.isEmpty)
        #expect(try ledger.run(["balances", "--csv"]).stderr.isEmpty)
    }
}

extension ReportSnapshotTests {
    @Test func bulkTablesThatAreNotTheCoresAreIgnored() throws {
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        let bulk = ledger.directory + "/cache/snapshots/" + (try #require(ledger.snapshots.first { $0.hasPrefix("bulk-") }))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: bulk))
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: bulk))
        let expected = try ledger.truncatedCopy(through: 69).output(["audit", "FIN-01", "--csv"])
        let audit = try ledger.run(["audit", "FIN-01", "--csv"])
        #expect(audit.status == 0 && AppendixLedger.figures(audit.stdout) == AppendixLedger.figures(expected))
        #expect(audit.stderr.components(separatedBy: "it is not the file its snapshot names").count == 2, "\(audit.stderr)")
    }

    /// A byte flipped in the data of the base passes the open (its index and page hashes are
    /// intact) and is caught by the page's hash when read: by a report that reads the tables,
    /// by a fold that looks a reference up, and by an append, which then checks its events
    /// against a fold from the genesis and writes exactly what it would have written anyway.
    @Test func aDamagedPageOfTheBaseIsCaughtWhenReadAndRebuilt() throws {
        for command in [["party", "statement", "FIN-01", "--csv"], ["balances", "--csv"]] {
            let ledger = try AppendixLedger.make(snapshotTailMin: 1)
            try Self.flipDataByte(ledger, at: 2)
            // A contribution after the snapshot: folding it looks its reference up in the base.
            let bare = try ledger.truncatedCopy(through: 69)
            let gift = ["contribution", "record", "--party", "P-0004", "--fund", "citoyens", "--instrument", "donation",
                        "--amount", "20", "--ref", "VIR-2025-778", "--operator", "OP-TRESORIERE", "--date", "2025-07-01"]
            #expect(try bare.run(gift).status == 0)
            // Its fold from the genesis holds more appends than a save waits for: held off, so
            // that the base stays the damaged one.
            let appended = try ledger.run(gift, environment: ["LEDGER_SNAPSHOT_TAIL_APPENDS": "1000"])
            #expect(appended.status == 0 && appended.stderr.contains("damaged"), "\(appended.stderr)")
            #expect(try LedgerProcess.logBytes(ledger.directory) == LedgerProcess.logBytes(bare.directory))
            // The append found the base damaged but saved no snapshot (held off above): damage
            // another byte of the same base.
            try Self.flipDataByte(ledger, at: 3)
            let report = try ledger.run(command, environment: Self.eager)
            let expected = try bare.output(command)
            #expect(report.status == 0 && AppendixLedger.figures(report.stdout) == AppendixLedger.figures(expected), "\(command)")
            #expect(report.stderr.components(separatedBy: "damaged").count == 2, "\(command): \(report.stderr)")
            // The next append (which has the key to seal it) saves it again.
            #expect(try ledger.run(["note", "add", "--text", "contrôle", "--operator", "OP-SAISIE"], environment: Self.eager).status == 0)
            #expect(try ledger.run(command).stderr.isEmpty, "rebuilt")
        }
    }

    /// Flips a byte of the data section of the snapshot's base file, at 1/`fraction` of it.
    static func flipDataByte(_ ledger: AppendixLedger, at fraction: Int) throws {
        let path = ledger.directory + "/cache/snapshots/" + (try #require(ledger.snapshots.first { $0.hasPrefix("bulk-") }))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let dataBytes = (0..<8).reduce(0) { $0 | Int(bytes[24 + $1]) << (8 * $1) }
        bytes[4_096 + dataBytes / fraction] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
    }
}

extension ReportSnapshotTests {
    /// The projections' part of a snapshot is a file of its own that appends do not read: an
    /// append over a missing one still appends (and checks what it would), a report reports it
    /// once, folds from the genesis and saves it again; a part that is not the one its core names
    /// is refused the same way.
    @Test func theProjectionsPartIsCheckedWhenReadAndRebuilt() throws {
        let ledger = try AppendixLedger.make(snapshotTailMin: 1)
        let directory = ledger.directory + "/cache/snapshots/"
        let part = try #require((try FileManager.default.contentsOfDirectory(atPath: directory)).first { $0.hasPrefix("views-") && $0.hasSuffix(".part") })
        try FileManager.default.removeItem(atPath: directory + part)
        let bare = try ledger.truncatedCopy(through: 69)
        let note = ["note", "add", "--text", "sans projections", "--operator", "OP-SAISIE", "--date", "2025-07-01"]
        let appended = try ledger.run(note)
        #expect(appended.status == 0 && appended.stderr.isEmpty, "\(appended.stderr)")
        #expect(try bare.run(note).status == 0)
        #expect(try LedgerProcess.logBytes(ledger.directory) == LedgerProcess.logBytes(bare.directory))
        let expected = try bare.output(["balances", "--csv"])
        let report = try ledger.run(["balances", "--csv"], environment: Self.eager)
        #expect(report.status == 0 && AppendixLedger.figures(report.stdout) == AppendixLedger.figures(expected))
        #expect(report.stderr.components(separatedBy: ".part) are missing").count == 2, "\(report.stderr)")
        #expect(try ledger.run(["note", "add", "--text", "contrôle", "--operator", "OP-SAISIE"], environment: Self.eager).status == 0)
        #expect(try bare.run(["note", "add", "--text", "contrôle", "--operator", "OP-SAISIE"]).status == 0)
        #expect(try ledger.run(["balances", "--csv"]).stderr.isEmpty, "saved again")
        // A part that is not the one its core names.
        let saved = try #require((try FileManager.default.contentsOfDirectory(atPath: directory)).first { $0.hasSuffix(".part") })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: directory + saved))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: directory + saved))
        let again = try ledger.run(["ballots", "--json"])
        let ballots = try bare.output(["ballots", "--json"])
        #expect(again.status == 0 && AppendixLedger.figures(again.stdout) == AppendixLedger.figures(ballots))
        #expect(again.stderr.contains("it is not the file its snapshot names"), "\(again.stderr)")
    }
}
