import Foundation
import LedgerCore
import LedgerCrypto
import Testing
@testable import LedgerDomain

/// The compact encoding of every type a snapshot holds (Compact.swift): each reads back equal,
/// its bytes are those of the fixtures (so a change of layout is never silent: it bumps
/// `FundState.layoutVersion` or `Projections.layoutVersion` and rewrites the fixtures), and
/// truncated or invalid bytes throw `CompactError`, never trap.
///
/// `LEDGER_WRITE_COMPACT_FIXTURES=1 swift test --filter CompactCodecTests` rewrites the fixtures
/// (and fails, so that such a run is never taken for a check).
@Suite struct CompactCodecTests {
    static let rewriting = ProcessInfo.processInfo.environment["LEDGER_WRITE_COMPACT_FIXTURES"] != nil

    static func fixture(_ name: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// One line per sample: its name, its bytes alone and its bytes in an interned block.
    static func sampleLines() -> String {
        Samples.all.map { "\($0.name) \(hex($0.encoded(inBlock: false))) \(hex($0.encoded(inBlock: true)))\n" }.joined()
    }

    @Test func everySampleHasTheBytesOfTheFixture() throws {
        let url = Self.fixture("compact-samples.txt")
        if Self.rewriting {
            try Self.sampleLines().write(to: url, atomically: true, encoding: .utf8)
            Issue.record("rewrote \(url.lastPathComponent)")
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let actual = Self.sampleLines().split(separator: "\n")
        #expect(actual.count == expected.count)
        for (line, fixture) in zip(actual, expected) { #expect(line == fixture) }
    }

    @Test(arguments: Samples.all)
    func everySampleReadsBack(_ sample: CompactSample) throws {
        for inBlock in [false, true] {
            #expect(try sample.readsBack(sample.encoded(inBlock: inBlock), inBlock: inBlock), "in block: \(inBlock)")
        }
    }

    /// Every field is needed: any shorter prefix of the bytes throws (it never reads as a value).
    @Test(arguments: Samples.all)
    func everyTruncationThrows(_ sample: CompactSample) {
        for inBlock in [false, true] {
            let bytes = sample.encoded(inBlock: inBlock)
            for length in 0..<bytes.count {
                #expect(throws: CompactError.self, "\(length) of \(bytes.count) bytes") {
                    try sample.readsBack(Array(bytes.prefix(length)), inBlock: inBlock)
                }
            }
        }
    }

    /// Any byte changed, the reader throws or reads some value: it never traps (a trap would end
    /// the test run here).
    @Test(arguments: Samples.all)
    func everyCorruptionThrowsOrReads(_ sample: CompactSample) {
        for inBlock in [false, true] {
            let bytes = sample.encoded(inBlock: inBlock)
            for index in bytes.indices {
                for mask: UInt8 in [0x01, 0x02, 0x40, 0x80, 0xFF] {
                    var damaged = bytes
                    damaged[index] ^= mask
                    _ = try? sample.readsBack(damaged, inBlock: inBlock)
                }
            }
        }
    }

    static func encoded(_ body: (inout CompactWriter) -> Void) -> [UInt8] {
        var writer = CompactWriter()
        body(&writer)
        return writer.bytes
    }

    static func read<Value: CompactCodable>(_ type: Value.Type, _ bytes: [UInt8]) throws(CompactError) -> Value {
        var reader = CompactReader(bytes: bytes)
        return try reader.read(type)
    }

    /// The funds' numbers are each of 0 ..< count once: any other set is refused, never read as
    /// an order with a hole (a contribution would name no fund) or two funds on one number.
    @Test func fundsNumberedOtherwiseThrow() throws {
        let state = Samples.fundState
        let bytes = Self.encoded { $0.write(state) }
        #expect(try Self.read(FundState.self, bytes) == state)
        for number in [UInt32(1), 7] {
            var renumbered = state
            let (id, entry) = try #require(state.fundsByID.first)
            renumbered.fundsByID[id] = FundEntry(name: entry.name, pool: entry.pool, accepts: entry.accepts, uses: entry.uses,
                                                 territory: entry.territory, number: number, balances: entry.balances)
            #expect(throws: CompactError.invalid("funds' numbers")) { try Self.read(FundState.self, Self.encoded { $0.write(renumbered) }) }
        }
    }

    /// Values no fold makes: their checks are the reader's, not the types'.
    @Test func invalidValuesThrow() throws {
        #expect(throws: CompactError.invalid("look-alike row without identifiers")) {
            try Self.read(LookAlikeTexts.self, Self.encoded { $0.unsigned(0) })
        }
        let money = Samples.money
        #expect(throws: CompactError.invalid("fraction")) {
            try Self.read(Fraction.self, Self.encoded { $0.signed(5); $0.signed(3) })
        }
        #expect(throws: CompactError.invalid("fraction")) {
            try Self.read(Fraction.self, Self.encoded { $0.signed(0); $0.signed(0) })
        }
        for proxiesMax in [-1, BodyRules.proxiesLimit + 1] {
            let rules = Self.encoded { writer in
                writer.write(Samples.rules.quorum)
                writer.write(Majority.simple)
                writer.write(Counting.counted)
                writer.write(Counting.excluded)
                writer.write(proxiesMax)
                writer.write(money(1))
            }
            #expect(throws: CompactError.invalid("proxies_max")) { try Self.read(BodyRules.self, rules) }
        }
        // 32 bytes that are no point's encoding (y = 2^255 - 1 is not below p), and a short key.
        for key in ["/////////////////////////////////////////38=", "AAAA"] {
            #expect(throws: CompactError.invalid("key")) { try Self.read(Ed25519.PublicKey.self, Self.encoded { $0.string(key) }) }
        }
        #expect(throws: CompactError.invalid("MotionKind")) { try Self.read(Motion.self, Self.encoded { $0.string("vote") }) }
        #expect(throws: CompactError.invalid("Bool")) { try Self.read(Bool.self, [2]) }
        #expect(throws: CompactError.invalid("Int32")) {
            try Self.read(Int32.self, Self.encoded { $0.signed(Int64(Int32.max) + 1) })
        }
        #expect(throws: CompactError.invalid("date")) {
            try Self.read(Stamp.self, Self.encoded { $0.unsigned(1); $0.signed(Int64(Int32.max)) })
        }
        for (tranches, taken) in [([money(1), money(2)], [money(0)]), ([], [])] {
            let commitment = CommitmentEntry(project: Samples.id("PRJ-1"), fund: Samples.id("f"), instrument: .grant,
                                             amount: money(3), tranches: tranches, trancheTaken: taken)
            #expect(throws: CompactError.invalid("tranches")) {
                try Self.read(CommitmentEntry.self, Self.encoded { $0.write(commitment) })
            }
        }
        var commitment = Samples.commitmentView
        commitment.acts.removeLast()
        #expect(throws: CompactError.invalid("commitment's acts")) {
            try Self.read(CommitmentView.self, Self.encoded { $0.write(commitment) })
        }
        let disbursement = DisbursementView(commitment: Samples.id("C-1"), tranche: FundState.tranchesMax, amount: money(1))
        #expect(throws: CompactError.invalid("tranche")) {
            try Self.read(DisbursementView.self, Self.encoded { $0.write(disbursement) })
        }
    }

    @Test func aStateWithAnInvalidGenesisOrPeriodThrows() {
        let genesis = Self.encoded { writer in writer.writeInternedBlock { $0.write(["origin", "EUR", "2"] as [String]?) } }
        #expect(throws: CompactError.invalid("genesis")) { try Self.read(FundState.self, genesis) }
        let period = Self.encoded { writer in
            writer.writeInternedBlock { writer in
                writer.write(nil as [String]?)
                writer.write(UInt64(1))
                writer.write(Int(Int32.max) as Int?)
            }
        }
        #expect(throws: CompactError.invalid("date")) { try Self.read(FundState.self, period) }
    }

    /// A whole state of a generated history reads from the fixture as the same state, and is
    /// written as the fixture's bytes in every run: its sets and dictionaries are written in
    /// ascending order, not in the order of the process's seeded hashing.
    @Test func aGeneratedStateReadsFromTheFixtureAndHasItsBytes() throws {
        let records = ProjectionPropertyTests.history(4)
        var rules = FundState()
        for record in records { try rules.apply(record) }
        let views = ProjectionPropertyTests.fold(records)
        let bytes = Self.encoded { writer in
            writer.write(rules)
            writer.write(views)
        }
        let url = Self.fixture("compact-state-4.bin")
        if Self.rewriting {
            try Data(bytes).write(to: url)
            Issue.record("rewrote \(url.lastPathComponent)")
            return
        }
        let fixture = [UInt8](try Data(contentsOf: url))
        var reader = CompactReader(bytes: fixture)
        #expect(try reader.read(FundState.self) == rules)
        #expect(try reader.read(Projections.self) == views)
        #expect(reader.isAtEnd)
        #expect(bytes == fixture)
    }

    /// One set or dictionary, one byte string: members added in another order, to a table of
    /// another size (so iterated in another order), are written the same; the bytes read back
    /// whatever the order they were written in.
    @Test func setsAndDictionariesAreWrittenInAscendingOrder() throws {
        let names = (0..<200).map { PartyID("P-\($0 * 7919 % 1000)")! }
        var small = Set<PartyID>(), large = Set<PartyID>(minimumCapacity: 4096)
        for name in names { small.insert(name) }
        for name in names.reversed() { large.insert(name) }
        let setBytes = Self.encoded { $0.write(small) }
        #expect(Array(small) != Array(large), "the two sets iterate in different orders")
        #expect(setBytes == Self.encoded { $0.write(large) })
        #expect(setBytes == Self.encoded { $0.write(names.sorted()) }, "a set is written as its members sorted, after their count")

        var byName = [PartyID: Int](), bySize = [PartyID: Int](minimumCapacity: 4096)
        for (index, name) in names.enumerated() { byName[name] = index }
        for (index, name) in names.enumerated().reversed() { bySize[name] = index }
        #expect(Self.encoded { $0.write(byName) } == Self.encoded { $0.write(bySize) })

        var unsorted = CompactWriter()
        unsorted.unsigned(UInt64(names.count))
        for name in names { name.write(to: &unsorted) }
        #expect(try Self.read(Set<PartyID>.self, unsorted.bytes) == small)
    }
}
