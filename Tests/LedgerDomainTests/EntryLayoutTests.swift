@testable import LedgerDomain
import Testing

/// The values a rebuild holds by the hundred thousand are laid out without holes: Swift stores
/// a struct's fields in the order they are declared, so a one-byte field between two 8-byte
/// ones costs 8. A field added in the wrong place fails here rather than in a bench.
@Suite struct EntryLayoutTests {
    @Test func aStatementLineTakes72Bytes() {
        // 800,000 lines in the bench's fund: 88 bytes each before its fields were ordered.
        #expect(MemoryLayout<StatementLine>.stride == 72)
    }

    @Test func anEntryOfTheContributionsTableTakes72Bytes() {
        // The projections' contributions (a reference, then its view): 80 bytes before.
        #expect(MemoryLayout<DenseMap<ExternalReference, ContributionView>.Entry>.stride == 72)
    }

    @Test func anEntryOfTheReferencesTableTakes48Bytes() {
        // The rules' references (a reference, then who used it and the contribution it names):
        // 72 bytes with the fund's identifier and two totals, before `ContributionEntry` named
        // its fund by number and kept one total.
        #expect(MemoryLayout<DenseMap<ExternalReference, ReferenceUse>.Entry>.stride == 48)
    }
}
