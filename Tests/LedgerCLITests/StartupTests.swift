import Foundation
import Testing

/// What every command pays before it starts: the `ledger` binary needs no Foundation library.
/// Loading and linking Foundation and ICU cost each command about 4 ms, more than a note's
/// append on an empty ledger spends on its own work (Specs/reports.md, section 8).
@Suite struct StartupTests {
    @Test func theBinaryNeedsNoFoundationLibrary() throws {
        let bytes = try Data(contentsOf: LedgerProcess.binary)
        // The libraries a binary needs are named in its dynamic string table.
        #expect(bytes.count > 1_000_000)
        for library in ["libc.so.6", "libswiftCore.so"] {
            #expect(bytes.range(of: Data(library.utf8)) != nil, "\(library) is named, as the check expects")
        }
        for library in ["libFoundation.so", "libFoundationEssentials.so", "lib_FoundationICU.so"] {
            #expect(bytes.range(of: Data(library.utf8)) == nil, "the ledger binary links \(library)")
        }
    }
}
