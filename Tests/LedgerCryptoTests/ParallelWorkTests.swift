import Testing
@testable import LedgerCrypto

@Suite struct ParallelWorkTests {
    @Test(arguments: [1, 2, 3, 8])
    func everyPartRunsOnce(parts: Int) {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: parts)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        nonisolated(unsafe) let shared = counts
        ParallelWork.run(parts: parts) { part in shared[part] += 1 }
        #expect(Array(counts) == Array(repeating: 1, count: parts))
    }
}
