import LedgerJSON
import Testing
@testable import LedgerDomain

/// I6 (votes, proxies, recusals, tallies) and I7 (declared interests).
@Suite struct BallotTests {
    static let motion = E.fundProject("PRJ-1", fund: "citizens", amount: eur(30_000))

    static func opened(_ body: String = "AG") -> Fold {
        var fold = Fold.world()
        fold.accept(E.ballot("B-1", body: body, motion: motion))
        return fold
    }

    @Test func aBallotNeedsAKnownBodyWithMembers() {
        var fold = Fold.world()
        fold.refuse("I0.unknown-reference", E.ballot("B-1", body: "CA", motion: Self.motion))
        fold.accept(E.body("CA", kind: "board"))
        fold.refuse("I6.electorate", E.ballot("B-1", body: "CA", motion: Self.motion))
        fold.accept(E.ballot("B-1", motion: Self.motion))
        fold.refuse("I0.duplicate-id", E.ballot("B-1", motion: Self.motion))
    }

    @Test(arguments: [
        ["kind": "fund_project", "project": "PRJ-1", "fund": "citizens"],
        ["kind": "fund_project", "project": "PRJ-1", "fund": "citizens", "amount": 5, "text": "x"],
        ["kind": "referendum"],
        ["kind": "resolution"],
        "fund PRJ-1",
    ] as [JSONValue])
    func motionsAreStrict(_ motion: JSONValue) {
        var fold = Fold.world()
        fold.refuse("S.payload", E.ballot("B-1", motion: motion))
    }

    @Test func aResolutionMovesNoMoney() {
        var fold = Fold.world()
        fold.decide("D-R", ballot: "B-R", motion: ["kind": "resolution", "text": "Adopter le règlement intérieur"])
        fold.refuse("I4.decision-motion", E.commitment("C-1", decision: "D-R", tranches: [1_000]))
    }

    @Test func onlyTheFrozenElectorateVotes() {
        var fold = Self.opened("CT-IDF")
        fold.refuse("I6.electorate", E.vote("B-1", "P-5"))
        fold.accept(E.member("CT-IDF", "P-5"))
        let message = fold.refuse("I6.electorate", E.vote("B-1", "P-5"))
        #expect(message.contains("frozen"))
        fold.accept(E.vote("B-1", "P-1"))
        fold.accept(E.removeMember("CT-IDF", "P-2"))
        fold.accept(E.vote("B-1", "P-2"))
        fold.refuse("I0.unknown-reference", E.vote("B-404", "P-1"))
        fold.refuse("S.payload", E.vote("B-1", "P-3", "maybe"))
    }

    @Test func aVoterVotesOnceAndNotAfterTheClose() {
        var fold = Self.opened()
        fold.accept(E.vote("B-1", "P-1", "for"))
        fold.refuse("I6.one-vote", E.vote("B-1", "P-1", "against"))
        fold.accept(E.closeBallot("B-1"))
        fold.refuse("I6.ballot-closed", E.vote("B-1", "P-2"))
        fold.refuse("I6.ballot-closed", E.closeBallot("B-1"))
        fold.refuse("I6.ballot-closed", E.proxy("B-1", from: "P-2", to: "P-3"))
        fold.refuse("I6.ballot-closed", E.recusal("B-1", "P-2"))
    }

    @Test func proxiesFollowTheStatutes() {
        var fold = Self.opened()  // AG: at most 1 proxy per holder
        fold.refuse("I6.proxy-rules", E.proxy("B-1", from: "P-1", to: "P-1"))
        fold.accept(E.proxy("B-1", from: "P-1", to: "P-3"))
        let message = fold.refuse("I6.proxy-limit", E.proxy("B-1", from: "P-2", to: "P-3"))
        #expect(message.contains("allow 1"))
        fold.refuse("I6.proxy-rules", E.proxy("B-1", from: "P-1", to: "P-4"))
        fold.refuse("I6.proxy-rules", E.proxy("B-1", from: "P-3", to: "P-4"))
        fold.refuse("I6.proxy-rules", E.proxy("B-1", from: "P-4", to: "P-1"))
        fold.accept(E.vote("B-1", "P-5"))
        fold.refuse("I6.proxy-rules", E.proxy("B-1", from: "P-5", to: "P-6"))
        fold.refuse("I6.electorate", E.proxy("B-1", from: "P-2", to: "ORG-1"))
        fold.accept(E.proxy("B-1", from: "P-2", to: "P-4"))
    }

    @Test func recusedMembersTakeNoPart() {
        var fold = Self.opened()
        fold.accept(E.recusal("B-1", "P-5"))
        fold.refuse("I6.recusal", E.recusal("B-1", "P-5"))
        fold.refuse("I6.recused", E.vote("B-1", "P-5"))
        fold.refuse("I6.recused", E.proxy("B-1", from: "P-5", to: "P-1"))
        fold.refuse("I6.recused", E.proxy("B-1", from: "P-1", to: "P-5"))
        fold.accept(E.vote("B-1", "P-1"))
        fold.refuse("I6.recusal", E.recusal("B-1", "P-1"))
        fold.accept(E.proxy("B-1", from: "P-2", to: "P-3"))
        fold.refuse("I6.recusal", E.recusal("B-1", "P-2"))
        fold.refuse("I6.recusal", E.recusal("B-1", "P-3"))
        fold.refuse("I6.electorate", E.recusal("B-1", "ORG-1"))
    }

    @Test func aMemberWithADeclaredInterestMustBeRecused() {
        var fold = Fold.world()
        fold.accept(E.interest("P-2", "PRJ-1"))
        fold.accept(E.ballot("B-1", motion: Self.motion))
        let message = fold.refuse("I7.interest", E.vote("B-1", "P-2"))
        #expect(message.contains("PRJ-1"))
        fold.refuse("I7.interest", E.proxy("B-1", from: "P-2", to: "P-1"))
        fold.refuse("I7.interest", E.proxy("B-1", from: "P-1", to: "P-2"))
        fold.accept(E.recusal("B-1", "P-2"))
        fold.refuse("I6.recused", E.vote("B-1", "P-2"))
        // The interest concerns PRJ-1 only.
        fold.accept(E.ballot("B-2", motion: E.fundProject("PRJ-2", fund: "citizens", amount: eur(5_000))))
        fold.accept(E.vote("B-2", "P-2"))
    }

    /// AG: 6 members, quorum 1/2, simple majority. P-4 gives a proxy to P-1, P-5 is recused.
    @Test func theRecordedTallyMustBeTheVotes() throws {
        var fold = Self.opened()
        fold.accept(E.proxy("B-1", from: "P-4", to: "P-1"))
        fold.accept(E.recusal("B-1", "P-5"))
        fold.accept(E.vote("B-1", "P-1", "for"))
        fold.accept(E.vote("B-1", "P-2", "against"))
        fold.accept(E.vote("B-1", "P-3", "blank"))
        fold.refuse("I6.ballot-open", Self.decision(for: 2, against: 1, blank: 1, byProxy: 1, adopted: true))
        fold.accept(E.closeBallot("B-1"))
        fold.refuse("I6.tally", Self.decision(for: 3, against: 1, blank: 1, byProxy: 1, adopted: true))
        fold.refuse("I6.tally", Self.decision(for: 2, against: 1, blank: 1, byProxy: 0, adopted: true))
        let message = fold.refuse("I6.tally", Self.decision(for: 2, against: 1, blank: 1, byProxy: 1, adopted: false))
        #expect(message.contains("for 2, against 1, abstain 0, blank 1 (electorate 6, recused 1, by proxy 1), quorum met, adopted"))
        fold.refuse("S.payload", Self.decision(for: 2, against: 1, blank: 1, byProxy: 1, adopted: true).with("minutes", "not-a-hash"))
        fold.accept(Self.decision(for: 2, against: 1, blank: 1, byProxy: 1, adopted: true)
            .with("minutes", .string(String(repeating: "ab", count: 32))))
        fold.refuse("I6.ballot-open", Self.decision(for: 2, against: 1, blank: 1, byProxy: 1, adopted: true).with("decision", "D-2"))
        fold.refuse("I0.duplicate-id", Self.decision(for: 2, against: 1, blank: 1, byProxy: 1, adopted: true))
    }

    static func decision(for votesFor: Int64, against: Int64, blank: Int64, byProxy: Int64, adopted: Bool) -> Ev {
        let tally: JSONValue = ["abstain": 0, "against": .integer(against), "blank": .integer(blank), "by_proxy": .integer(byProxy),
                                "electorate": 6, "for": .integer(votesFor), "recused": 1]
        return Ev("decision.recorded", [("adopted", .bool(adopted)), ("ballot", "B-1"), ("decision", "D-1"),
                                        ("quorum_met", true), ("tally", tally)], actor: Op.secretary)
    }

    @Test func aBallotThatFailsItsQuorumDecidesNothing() {
        var fold = Self.opened()
        fold.accept(E.vote("B-1", "P-1", "for"))
        fold.accept(E.vote("B-1", "P-2", "for"))
        fold.accept(E.closeBallot("B-1"))
        let outcome = fold.outcome("B-1")
        #expect(outcome.tally.participants == 2 && !outcome.quorumMet && !outcome.adopted)
        fold.accept(E.decision("D-1", ballot: "B-1", outcome))
        let message = fold.refuse("I4.decision-adopted", E.commitment("C-1", decision: "D-1", tranches: [30_000]))
        #expect(message.contains("not adopted"))
    }

    @Test func anUnknownBallotHasNoDecision() {
        var fold = Fold.world()
        fold.refuse("I0.unknown-reference", E.decision("D-1", ballot: "B-404", BallotOutcome(tally: Tally(), quorumMet: false, adopted: false)))
    }
}
