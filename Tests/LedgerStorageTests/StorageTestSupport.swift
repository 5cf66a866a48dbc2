import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerJSON
import Testing
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

    static func note(_ number: Int, key: String? = nil, amount: Int64? = nil, text: String = "") -> RecordDraft {
        RecordDraft(type: "note.recorded", effective: CalendarDate("2026-03-01"), actor: "OP-1", idempotencyKey: key,
                    payload: JSONObject([("amount", .integer(amount ?? Int64(number))), ("text", .string("note \(number)\(text)"))]))
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

    /// `cache/snapshots`, where `StateSnapshots` keeps its files.
    static func snapshots(_ paths: LedgerPaths) -> String { paths.cache + "/" + LedgerPaths.Name.snapshots }

    static func tornFiles(_ paths: LedgerPaths) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: paths.torn)) ?? []).sorted()
    }
}

/// What someone who can write a ledger directory, but holds no operator key, plants in it: links
/// to files and directories outside it, FIFOs, hard links. A test checks that what they point at
/// is byte for byte what it was.
enum Planted {
    /// A new directory outside any ledger.
    static func outsideDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A file outside any ledger holding `text`: what a planted link points at.
    static func outsideFile(_ text: String = "a file the writer must never touch\n") throws -> String {
        let path = try outsideDirectory() + "/victim"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func link(_ path: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    static func hardLink(_ path: String, to target: String) throws {
        try FileManager.default.linkItem(atPath: target, toPath: path)
    }

    static func fifo(_ path: String) throws {
        guard mkfifo(path, 0o644) == 0 else { throw StorageError.system(operation: "mkfifo", path: path, errno: errno) }
    }

    static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The kind of the entry itself (lstat): S_IFREG, S_IFLNK, ...; nil when there is none.
    static func kind(_ path: String) -> mode_t? {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }

    static func permissions(_ path: String) -> mode_t {
        var status = stat()
        precondition(lstat(path, &status) == 0, "\(path) exists")
        return status.st_mode & 0o7777
    }

    static func names(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Runs `body`, which must refuse the entry at `path` with `code` (`StorageError.unsafeEntry`).
    static func expectRefusal(at path: String, code: Int32, sourceLocation: SourceLocation = #_sourceLocation,
                              _ body: () throws -> Void) {
        let found = refusal(#expect(throws: StorageError.self, sourceLocation: sourceLocation) { try body() })
        #expect(found?.path == path, sourceLocation: sourceLocation)
        #expect(found?.code == code, sourceLocation: sourceLocation)
    }

    /// The path and errno of a refusal (`StorageError.unsafeEntry`), or nil for any other error.
    static func refusal(_ error: (any Error)?) -> (path: String, code: Int32)? {
        guard case .system(let operation, let path, let code)? = error as? StorageError,
              operation.hasPrefix("refused ") else { return nil }
        return (path, code)
    }
}

extension LedgerWriter {
    /// An append whose idempotency keys are looked up by reading the whole log (the engine
    /// finds them in the fund's state instead), so that the writer's handling of retries is
    /// tested on its own.
    func appendKeyed(_ drafts: [RecordDraft], clock: any Clock) throws -> [AppendOutcome] {
        try append(drafts, clock: clock, existing: { key throws(AppendError) in
            do {
                return try self.records().first { $0.idempotencyKey == key }
            } catch {
                throw .storage(.damagedTail(path: self.paths.log, reason: "\(error)"))
            }
        })
    }

    /// Every record of the log from `offset` to the acknowledged end, in order (what a test
    /// folds; the engine folds through `LogDecoding`).
    func records(from offset: UInt64 = 0) throws -> [Record] {
        let log = try SystemFile(path: paths.log, flags: O_RDONLY)
        var records: [Record] = []
        var failure: Error?
        _ = try LogScanner.scan(file: log, from: offset) { line, lineOffset in
            guard lineOffset < logBytes else { return false }
            do { records.append(try RecordCodec.decode(line: line).record) } catch { failure = error; return false }
            return true
        }
        if let failure { throw failure }
        return records
    }
}
