import Foundation
import LedgerCore
import LedgerJSON
@testable import LedgerStorage

/// A clock the test moves by hand.
final class ManualClock: Clock, @unchecked Sendable {
    var instant: Timestamp
    init(_ text: String = "2026-03-01T10:00:00.000000Z") { instant = Timestamp(text)! }
    func now() -> Timestamp { instant }
    func advance(seconds: Int64) {
        instant = Timestamp(microsecondsSinceEpoch: instant.microsecondsSinceEpoch + seconds * 1_000_000)!
    }
}

enum StorageFixture {
    static let genesis = Genesis(origin: "storage.test/fund", currency: "EUR", minorUnits: 2, name: "Storage test")

    static func newLedger(clock: Clock = ManualClock()) throws -> LedgerPaths {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-storage-\(UUID().uuidString)")
        let paths = LedgerPaths(directory: base.path)
        _ = try LedgerCreation.create(paths: paths, genesis: genesis, actor: "OP-1", clock: clock)
        return paths
    }

    static func note(_ number: Int, key: String? = nil, amount: Int64? = nil) -> RecordDraft {
        RecordDraft(type: "note.recorded", effective: CalendarDate("2026-03-01"), actor: "OP-1", idempotencyKey: key,
                    payload: JSONObject([("amount", .integer(amount ?? Int64(number))), ("text", .string("note \(number)"))]))
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func verify(_ paths: LedgerPaths) throws -> LogVerification.Report {
        try LogVerification.run(path: paths.log)
    }

    static func appendRaw(_ bytes: [UInt8], to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    static func tornFiles(_ paths: LedgerPaths) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: paths.torn)) ?? []).sorted()
    }
}
