import Testing
@testable import LedgerStorage

@Suite struct SnapshotCoderTests {
    struct Identifier: Hashable, Codable { let raw: String }
    enum Status: Codable, Equatable { case open, closed(at: Int64, by: String?), pending([Int]) }
    struct Entry: Codable, Equatable {
        var amount: Int64
        var note: String?
        var flags: [Bool]
        var status: Status
        var nested: [String: [UInt64]]
    }
    struct State: Codable, Equatable {
        var count: UInt64 = 0
        var byID: [Identifier: Entry] = [:]
        var names: [String: Int] = [:]
        var empty: [Entry] = []
        var optionalEntry: Entry?
        var set: Set<String> = []
    }

    static func sample() -> State {
        var state = State()
        state.count = .max
        state.byID[Identifier(raw: "P-1")] = Entry(amount: -5, note: nil, flags: [true, false], status: .open, nested: [:])
        state.byID[Identifier(raw: "P-2")] = Entry(amount: .min, note: "réunion", flags: [],
                                                   status: .closed(at: 12, by: nil), nested: ["a": [1, 2], "b": []])
        state.byID[Identifier(raw: "P-3")] = Entry(amount: 0, note: "", flags: [], status: .pending([3, -4]), nested: [:])
        state.names = ["x": 1, "": -1]
        state.set = ["s", "t"]
        return state
    }

    @Test func roundTrips() throws {
        let state = Self.sample()
        let bytes = try SnapshotCoder.encode(state)
        #expect(try SnapshotCoder.decode(State.self, from: bytes) == state)
        #expect(try SnapshotCoder.decode(State.self, from: SnapshotCoder.encode(State())) == State())
    }

    @Test func everyTruncationAndManyCorruptionsFailCleanly() throws {
        let bytes = try SnapshotCoder.encode(Self.sample())
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self) { try SnapshotCoder.decode(State.self, from: Array(bytes[0..<length])) }
        }
        var generator = SeededGenerator(seed: 7)
        var rejected = 0
        for _ in 0..<2_000 {
            var damaged = bytes
            damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            if (try? SnapshotCoder.decode(State.self, from: damaged)) == nil { rejected += 1 }
        }
        #expect(rejected > 0)
    }

    @Test func anotherLayoutDoesNotDecode() throws {
        struct Other: Codable { var count: UInt64; var renamed: [String: Int] }
        let bytes = try SnapshotCoder.encode(Self.sample())
        #expect(throws: (any Error).self) { try SnapshotCoder.decode(Other.self, from: bytes) }
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
