import Foundation
import LedgerCrypto
import LedgerJSON
import Testing
@testable import LedgerCore

/// Builds small logs in memory and breaks them on purpose.
struct LogFixture {
    var lines: [[UInt8]] = []

    static let genesis = Genesis(origin: "test.example/ledger", currency: "EUR", minorUnits: 2, name: "Test fund")

    init(records: Int) {
        var previous: Record?
        for seq in 0..<records {
            let instant = Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000 + Int64(seq) * 1_000_000)!
            let draft = seq == 0
                ? RecordDraft(type: Record.genesisType, actor: "OP-1", payload: Self.genesis.payload)
                : RecordDraft(type: "note.recorded", actor: "OP-1", idempotencyKey: "K-\(seq)",
                              payload: JSONObject([("amount", .integer(Int64(seq) * 100)), ("text", .string("note \(seq)"))]))
            let (line, record) = RecordCodec.encode(draft: draft, seq: UInt64(seq), prev: previous?.hash ?? .zero,
                                                    recordedAt: instant, effective: instant.date, version: 1)
            lines.append(Array(line.dropLast()))
            previous = record
        }
    }

    /// Verifies the lines as a log (with an optional torn tail) and returns the first failure.
    func verify(tornTail: [UInt8] = []) -> VerifyFailure? {
        var verifier = ChainVerifier()
        var offset: UInt64 = 0
        for line in lines {
            let result = line.withUnsafeBytes { verifier.accept(line: $0, offset: offset) }
            if case .failure(let failure) = result { return failure }
            offset += UInt64(line.count + 1)
        }
        return verifier.finish(tornTailBytes: UInt64(tornTail.count), tornTailOffset: offset)
    }

    func object(_ index: Int) throws -> JSONObject {
        guard case .object(let object) = try CanonicalJSON.decode(lines[index], mode: .canonical) else {
            throw FixtureError.notAnObject
        }
        return object
    }

    /// Replaces a record by `object` with its hash recomputed (a forger who knows the hash rule).
    mutating func replaceRehashed(_ index: Int, with object: JSONObject) {
        var object = object
        object["hash"] = nil
        let hash = RecordHash.compute(canonicalWithoutHash: CanonicalJSON.encode(.object(object)), version: min(object["v"]?.integerValue ?? 1, 2))
        object["hash"] = .string(hash.hex)
        lines[index] = CanonicalJSON.encode(.object(object))
    }

    /// Replaces a record without touching its stored hash (a careless editor).
    mutating func replaceKeepingHash(_ index: Int, with object: JSONObject) {
        lines[index] = CanonicalJSON.encode(.object(object))
    }

    enum FixtureError: Error { case notAnObject }
}

@Suite struct ChainVerifierTests {
    @Test func anIntactLogVerifies() {
        let fixture = LogFixture(records: 20)
        #expect(fixture.verify() == nil)
    }

    @Test func theMerkleTreeCoversEveryRecord() {
        let fixture = LogFixture(records: 5)
        var verifier = ChainVerifier()
        for line in fixture.lines { _ = line.withUnsafeBytes { verifier.accept(line: $0, offset: 0) } }
        #expect(verifier.recordCount == 5)
        #expect(verifier.tree.size == 5)
        #expect(verifier.genesis == LogFixture.genesis)
    }

    @Test func anEmptyLogIsNotALedger() {
        let failure = LogFixture(records: 0).verify()
        #expect(failure?.kind == .genesisInvalid)
    }

    /// No complete line, only the start of one: still no genesis record, not a torn tail of
    /// an intact log (Specs/log-format.md, section 8).
    @Test func aLogOfOnlyUnterminatedBytesIsNotALedgerEither() {
        let failure = LogFixture(records: 0).verify(tornTail: Array("{\"actor\":\"OP".utf8))
        #expect(failure?.kind == .genesisInvalid)
        #expect(failure?.line == 1 && failure?.offset == 0)
    }

    /// The first record's prev must be 64 zeros: step 8, once the record is a genesis record (step 6).
    @Test func aGenesisWithAnotherPrevIsALinkMismatch() throws {
        var fixture = LogFixture(records: 3)
        var genesis = try fixture.object(0)
        genesis["prev"] = .string(String(repeating: "1", count: 64))
        fixture.replaceRehashed(0, with: genesis)
        let failure = fixture.verify()
        #expect(failure?.kind == .linkMismatch)
        #expect(failure?.seq == 0)
    }

    @Test func aTornTailIsReportedApart() {
        let failure = LogFixture(records: 3).verify(tornTail: Array("{\"actor\":\"OP".utf8))
        #expect(failure?.kind == .tornTail)
        #expect(failure?.seq == 3)
    }

    @Test func garbageIsMalformed() {
        var fixture = LogFixture(records: 4)
        fixture.lines[2] = Array("{\"actor\":".utf8)
        let failure = fixture.verify()
        #expect(failure?.kind == .malformed)
        #expect(failure?.line == 3)
        #expect(failure?.seq == 2)
        #expect(failure?.offset == UInt64(fixture.lines[0].count + fixture.lines[1].count + 2))
    }

    @Test func invalidUTF8IsMalformed() {
        var fixture = LogFixture(records: 3)
        fixture.lines[1][fixture.lines[1].count - 20] = 0xFF
        #expect(fixture.verify()?.kind == .malformed)
    }

    @Test func extraWhitespaceIsNonCanonical() {
        var fixture = LogFixture(records: 3)
        fixture.lines[1].insert(0x20, at: 1)
        #expect(fixture.verify()?.kind == .nonCanonical)
    }

    @Test func aLaterVersionIsUnsupported() throws {
        var fixture = LogFixture(records: 3)
        var object = try fixture.object(2)
        object["v"] = .integer(3)
        fixture.replaceRehashed(2, with: object)
        #expect(fixture.verify()?.kind == .unsupportedVersion)
    }

    @Test func aVersion2RecordMayFollowVersion1ButNotPrecedeIt() throws {
        var fixture = LogFixture(records: 4)
        var object = try fixture.object(2)
        object["v"] = .integer(2)
        fixture.replaceRehashed(2, with: object)
        // Record 3 still links to the old record 2: relink it, as version 1, after a version-2 one.
        var next = try fixture.object(3)
        next["prev"] = .string(try #require(fixture.object(2)["hash"]?.stringValue))
        fixture.replaceRehashed(3, with: next)
        let failure = try #require(fixture.verify())
        #expect(failure.kind == .schemaViolation && failure.seq == 3 && failure.message.contains("never decreases"), "\(failure)")
    }

    @Test func aVersion2RecordHashesWithItsOwnPrefixAndWithoutItsSignature() throws {
        let draft = RecordDraft(type: "note.recorded", actor: "OP-1", payload: JSONObject([("text", .string("x"))]))
        let instant = Timestamp("2026-01-01T00:00:00.000000Z")!
        let (v1, record1) = RecordCodec.encode(draft: draft, seq: 1, prev: .zero, recordedAt: instant, effective: instant.date, version: 1)
        let (_, record2) = RecordCodec.encode(draft: draft, seq: 1, prev: .zero, recordedAt: instant, effective: instant.date, version: 2)
        #expect(record1.hash != record2.hash)
        let signed = record2.signed([UInt8](repeating: 7, count: 64))
        let line = RecordCodec.line(of: signed)
        let read = try RecordCodec.decodeChecked(line: Array(line.dropLast()))
        #expect(read == signed && read.hash == record2.hash)
        #expect(String(decoding: line, as: UTF8.self).contains(#","seq":1,"sig":""#))
        // A signature in a version-1 record is not allowed.
        var object = try #require(try CanonicalJSON.decode(Array(v1.dropLast()), mode: .canonical).objectValue)
        object["sig"] = .string(String(repeating: "A", count: 86) + "==")
        #expect(throws: RecordCodec.LineProblem.self) { try RecordCodec.decodeChecked(line: CanonicalJSON.encode(.object(object))) }
    }

    @Test(arguments: ["extra", "seq", "actor", "effective", "recorded_at", "type", "payload", "prev", "idem"])
    func schemaViolations(member: String) throws {
        var fixture = LogFixture(records: 3)
        var object = try fixture.object(1)
        switch member {
        case "extra": object["zzz"] = .null
        case "seq": object["seq"] = .string("1")
        case "actor": object["actor"] = .string("OP 1")
        case "effective": object["effective"] = .string("2026-02-30")
        case "recorded_at": object["recorded_at"] = .string("2026-01-01T00:00:00Z")
        case "type": object["type"] = .string("Note")
        case "payload": object["payload"] = .array([])
        case "prev": object["prev"] = .string(String(repeating: "A", count: 64))
        default: object["idem"] = .string("has space")
        }
        fixture.replaceRehashed(1, with: object)
        let failure = fixture.verify()
        #expect(failure?.kind == .schemaViolation, "\(member): \(String(describing: failure))")
        #expect(failure?.seq == 1)
    }

    @Test func aDeletedLineIsASequenceGap() {
        var fixture = LogFixture(records: 5)
        fixture.lines.remove(at: 2)
        let failure = fixture.verify()
        #expect(failure?.kind == .sequenceGap)
        #expect(failure?.line == 3)
    }

    @Test func swappedLinesAreCaught() {
        var fixture = LogFixture(records: 5)
        fixture.lines.swapAt(2, 3)
        #expect(fixture.verify()?.kind == .sequenceGap)
    }

    @Test func theFirstRecordMustBeAGenesis() throws {
        var fixture = LogFixture(records: 3)
        var object = try fixture.object(0)
        object["type"] = .string("note.recorded")
        fixture.replaceRehashed(0, with: object)
        #expect(fixture.verify()?.kind == .genesisInvalid)
    }

    @Test func aSecondGenesisIsInvalid() throws {
        var fixture = LogFixture(records: 3)
        var object = try fixture.object(1)
        object["type"] = .string(Record.genesisType)
        fixture.replaceRehashed(1, with: object)
        #expect(fixture.verify()?.kind == .genesisInvalid)
    }

    @Test(arguments: ["currency", "minor_units", "origin", "name", "extra"])
    func aBadGenesisPayloadIsInvalid(field: String) throws {
        var fixture = LogFixture(records: 2)
        var object = try fixture.object(0)
        guard case .object(var payload)? = object["payload"] else { Issue.record("no payload"); return }
        switch field {
        case "currency": payload["currency"] = .string("eur")
        case "minor_units": payload["minor_units"] = .integer(5)
        case "origin": payload["origin"] = .string("has space")
        case "name": payload["name"] = .string("")
        default: payload["extra"] = .integer(1)
        }
        object["payload"] = .object(payload)
        fixture.replaceRehashed(0, with: object)
        #expect(fixture.verify()?.kind == .genesisInvalid)
    }

    @Test func anEditedPayloadIsAHashMismatch() throws {
        var fixture = LogFixture(records: 4)
        var object = try fixture.object(2)
        object["payload"] = .object(JSONObject([("amount", .integer(999_999)), ("text", .string("note 2"))]))
        fixture.replaceKeepingHash(2, with: object)
        let failure = fixture.verify()
        #expect(failure?.kind == .hashMismatch)
        #expect(failure?.seq == 2)
    }

    @Test func aRehashedEditBreaksTheNextLink() throws {
        var fixture = LogFixture(records: 4)
        var object = try fixture.object(2)
        object["payload"] = .object(JSONObject([("amount", .integer(1)), ("text", .string("note 2"))]))
        fixture.replaceRehashed(2, with: object)
        let failure = fixture.verify()
        #expect(failure?.kind == .linkMismatch)
        #expect(failure?.seq == 3)
    }

    @Test func recordedTimeMustNotGoBackwards() throws {
        var fixture = LogFixture(records: 3)
        var object = try fixture.object(2)
        object["recorded_at"] = .string("2020-01-01T00:00:00.000000Z")
        fixture.replaceRehashed(2, with: object)
        #expect(fixture.verify()?.kind == .timeRegression)
    }

    @Test func encodedRecordsReadBackIdentically() throws {
        let fixture = LogFixture(records: 3)
        let record = try RecordCodec.decodeChecked(line: fixture.lines[2])
        #expect(record.seq == 2)
        #expect(record.idempotencyKey == "K-2")
        #expect(record.payload["amount"] == .integer(200))
    }

    @Test func theHashIsTheDomainSeparatedHashOfTheLineWithoutItsHashMember() throws {
        let fixture = LogFixture(records: 2)
        let line = String(decoding: fixture.lines[1], as: UTF8.self)
        let record = try RecordCodec.decodeChecked(line: fixture.lines[1])
        let withoutHash = line.replacingOccurrences(of: "\"hash\":\"\(record.hash.hex)\",", with: "")
        #expect(withoutHash.utf8.count == line.utf8.count - 74)
        #expect(SHA256.hash(Array("ledger.record.v1\n".utf8) + Array(withoutHash.utf8)) == record.hash)
    }
}

/// The readings Specs/log-format.md section 8 settles, each on one line of a small log: which
/// kind, and which seq (the line's own only once it passed step 4).
@Suite struct SettledReadingTests {
    static func failure(editing line: Int, _ edit: (inout [UInt8]) -> Void) -> VerifyFailure? {
        var fixture = LogFixture(records: 4)
        edit(&fixture.lines[line])
        return fixture.verify()
    }

    static func replacing(_ old: String, with new: String, in line: inout [UInt8]) {
        let text = String(decoding: line, as: UTF8.self)
        precondition(text.contains(old), "the fixture's line holds \(old)")
        line = Array(text.replacingOccurrences(of: old, with: new).utf8)
    }

    /// Lines that are not JSON of the subset, by what breaks them.
    static func broken(_ what: String, _ line: inout [UInt8]) {
        switch what {
        case "a byte order mark": line.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
        case "a leading zero": replacing("\"seq\":2", with: "\"seq\":02", in: &line)
        case "a lone surrogate escape": replacing("note 2", with: "note \\ud800", in: &line)
        case "a payload key outside the pattern": replacing("\"text\"", with: "\"Text\"", in: &line)
        default: replacing("\"actor\"", with: "\"Actor\"", in: &line)
        }
    }

    @Test(arguments: ["a byte order mark", "a leading zero", "a lone surrogate escape", "a payload key outside the pattern",
                      "an envelope key outside the pattern"])
    func notJSONOfTheSubsetIsMalformed(_ what: String) {
        let failure = Self.failure(editing: 2) { Self.broken(what, &$0) }
        #expect(failure?.kind == .malformed, "\(what): \(String(describing: failure))")
        #expect(failure?.seq == 2)
    }

    @Test func aTrailingCarriageReturnIsNonCanonical() {
        #expect(Self.failure(editing: 2) { $0.append(0x0D) }?.kind == .nonCanonical)
    }

    @Test func aVersionThatIsNoIntegerIsASchemaViolation() {
        #expect(Self.failure(editing: 2) { Self.replacing("\"v\":1", with: "\"v\":\"1\"", in: &$0) }?.kind == .schemaViolation)
        #expect(Self.failure(editing: 2) { Self.replacing(",\"v\":1", with: "", in: &$0) }?.kind == .schemaViolation)
        #expect(Self.failure(editing: 2) { Self.replacing("\"v\":1", with: "\"v\":0", in: &$0) }?.kind == .unsupportedVersion)
    }

    /// A line that fails before step 4 is reported at the expected seq, whatever its own says.
    @Test func theSeqReportedIsTheLinesOwnOnlyAfterStep4() {
        let schema = Self.failure(editing: 2) { Self.replacing("\"seq\":2", with: "\"seq\":30,\"seqq\":1", in: &$0) }
        #expect(schema?.kind == .schemaViolation && schema?.seq == 2)
        let gap = Self.failure(editing: 2) { Self.replacing("\"seq\":2", with: "\"seq\":30", in: &$0) }
        #expect(gap?.kind == .sequenceGap && gap?.seq == 30)
    }

    @Test(arguments: ["2024-02-30T10:00:00.000000Z", "2024-03-26T24:00:00.000000Z", "2024-06-30T23:59:60.000000Z"])
    func aRecordedAtThatIsNoRealInstantIsASchemaViolation(_ text: String) throws {
        var fixture = LogFixture(records: 4)
        var record = try fixture.object(3)
        record["recorded_at"] = .string(text)
        fixture.replaceRehashed(3, with: record)
        #expect(fixture.verify()?.kind == .schemaViolation)
    }
}
