import LedgerCore
import Testing
@testable import LedgerDomain

/// The interned blocks of the compact encoding (Compact.swift): each recurring text is written
/// once, outside a block nothing changes, and a block's table is checked as strictly as the
/// texts it replaces.
@Suite struct CompactInterningTests {
    /// A state whose identifiers recur: a full history's rules and projections.
    static let states: (FundState, Projections) = {
        let records = ProjectionPropertyTests.history(4)
        var rules = FundState()
        for record in records { try! rules.apply(record) }
        return (rules, ProjectionPropertyTests.fold(records))
    }()

    static func encoded(_ body: (inout CompactWriter) -> Void) -> [UInt8] {
        var writer = CompactWriter()
        body(&writer)
        return writer.bytes
    }

    static func occurrences(of text: String, in bytes: [UInt8]) -> Int {
        let needle = Array(text.utf8)
        return (0...(bytes.count - needle.count)).filter { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }.count
    }

    @Test func aBlockWritesEachTextOnceAndReadsBack() throws {
        let (rules, views) = Self.states
        let member = try #require(rules.bodies.values.lazy.flatMap(\.members).first)   // also a party: cited twice at least
        let bytes = Self.encoded { $0.write(rules) }
        #expect(Self.occurrences(of: member.text, in: bytes) == 1)
        var reader = CompactReader(bytes: bytes)
        #expect(try reader.read(FundState.self) == rules && reader.isAtEnd)
        var viewsReader = CompactReader(bytes: Self.encoded { $0.write(views) })
        #expect(try viewsReader.read(Projections.self) == views && viewsReader.isAtEnd)
    }

    /// The bulk tables are written outside any block: their bytes must not change.
    @Test func outsideABlockTextsAreWrittenAsStrings() throws {
        let party = try #require(PartyID("P-0042"))
        #expect(Self.encoded { $0.write(party) } == Self.encoded { $0.string("P-0042") })
        #expect(Self.encoded { $0.write(Choice.for) } == Self.encoded { $0.string("for") })
        var reader = CompactReader(bytes: Self.encoded { $0.string("P-0042") })
        #expect(try reader.read(PartyID.self) == party)
    }

    /// A block whose table holds `texts` and whose body is `body`.
    static func block(texts: [String], body: [UInt64]) -> [UInt8] {
        encoded { writer in
            writer.write(texts)
            for number in body { writer.unsigned(number) }
        }
    }

    static func readParty(_ bytes: [UInt8]) throws(CompactError) -> PartyID {
        var reader = CompactReader(bytes: bytes)
        let outer = try reader.enterInternedBlock()
        let party: PartyID = try reader.read()
        reader.leaveInternedBlock(restoring: outer)
        return party
    }

    @Test func aBlockIsCheckedAsStrictlyAsPlainTexts() throws {
        #expect(try Self.readParty(Self.block(texts: ["P-1", "P-2"], body: [1])) == PartyID("P-2"))
        // A text that is not an identifier, cited as one.
        #expect(throws: CompactError.invalid("party identifier")) { try Self.readParty(Self.block(texts: ["a b"], body: [0])) }
        // An index beyond the table.
        #expect(throws: CompactError.invalid("interned text")) { try Self.readParty(Self.block(texts: ["P-1"], body: [1])) }
        // A word that is not of the vocabulary.
        var reader = CompactReader(bytes: Self.block(texts: ["maybe"], body: [0]))
        _ = try reader.enterInternedBlock()
        #expect(throws: CompactError.invalid("Choice")) { try reader.read(Choice.self) }
    }

    /// A block inside a block has its own table; the outer one is back after it.
    @Test func blocksNest() throws {
        let parties = try ["P-1", "P-2", "P-3"].map { try #require(PartyID($0)) }
        let bytes = Self.encoded { writer in
            writer.writeInternedBlock { writer in
                writer.write(parties[0])
                writer.writeInternedBlock { $0.write(parties[1]) }
                writer.write(parties[2])
            }
        }
        var reader = CompactReader(bytes: bytes)
        let outside = try reader.enterInternedBlock()
        #expect(try reader.read(PartyID.self) == parties[0])
        let outer = try reader.enterInternedBlock()
        #expect(try reader.read(PartyID.self) == parties[1])
        reader.leaveInternedBlock(restoring: outer)
        #expect(try reader.read(PartyID.self) == parties[2])
        reader.leaveInternedBlock(restoring: outside)
        #expect(reader.isAtEnd)
    }
}
