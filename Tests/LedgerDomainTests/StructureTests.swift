import LedgerJSON
import Testing
@testable import LedgerDomain

/// Parties, interests, territories (I13), funds, bodies and members (I0, I6.body-rules, I6.membership).
@Suite struct StructureTests {
    @Test func partiesArePseudonymousAndUnique() {
        var fold = Fold.world()
        fold.accept(E.party("P-0042"))
        fold.refuse("I0.duplicate-id", E.party("P-0042"))
        fold.refuse("S.payload", E.party("jean.dupont@example.org"))
        fold.refuse("S.payload", E.party("Jean Dupont"))
        fold.refuse("S.payload", E.party("P-0043").with("name", "Jean Dupont"))
        fold.refuse("S.payload", E.party("P-0043", "alien"))
    }

    /// The look-alike index's keys are rows of a saved base (Specs/reports.md, section 6): their
    /// text is pinned here, computed by an independent FNV-1a over the skeleton (in Python,
    /// each key's 64 bits written as a 4-bit then ten 6-bit base64url characters).
    @Test func lookAlikeKeysAreTheFamilyAndTheSkeletonsHash() {
        #expect(LookAlikeIndex.key("P-0042", .parties).text == "1-Lcdyw4XaOS_")
        #expect(LookAlikeIndex.key("OP-TRESORIERE", .operators).text == "0-OUv_v77Vnk6")
        #expect(LookAlikeIndex.key("PRJ-lille-01", .projects).text == "5-ITWHwJFze4J")
        #expect(LookAlikeIndex.key("prj-L1LLE-01", .projects).text == "5-ITWHwJFze4J")
        #expect(LookAlikeIndex.sameSkeleton("OP-TRES0RIERE", "op-tresoriere"))
        #expect(!LookAlikeIndex.sameSkeleton("OP-TRESORIERE", "OP-TRESORIER"))
        #expect(!LookAlikeIndex.sameSkeleton("P-0042", "P-0043"))
    }

    @Test func interestsNameKnownPartiesAndProjects() {
        var fold = Fold.world()
        fold.accept(E.interest("P-1", "PRJ-1"))
        fold.refuse("I0.duplicate-id", E.interest("P-1", "PRJ-1"))
        fold.refuse("I0.unknown-reference", E.interest("P-1", "PRJ-404"))
        fold.refuse("I0.unknown-reference", E.interest("P-404", "PRJ-1"))
    }

    @Test func territoriesFormATreeOfUniqueCodes() {
        var fold = Fold.world()
        fold.refuse("I0.duplicate-id", E.territory("FR-IDF", parent: "FR"))
        // A parent must exist before its children: a cycle cannot be written.
        fold.refuse("I0.unknown-reference", E.territory("FR-X", parent: "FR-Y"))
        fold.refuse("I0.unknown-reference", E.territory("FR-SELF", parent: "FR-SELF"))
        var parent = "FR-75"  // level 3
        for level in 4...8 {
            fold.accept(E.territory("L\(level)", parent: parent))
            parent = "L\(level)"
        }
        fold.refuse("I13.territory-depth", E.territory("L9", parent: parent))
    }

    @Test func fundsHaveCoherentEarmarkingRules() {
        var fold = Fold.world()
        fold.refuse("I0.duplicate-id", E.fund("citizens", pool: "citizens", accepts: ["donation"], uses: ["grant"]))
        fold.refuse("I0.unknown-reference", E.fund("f2", pool: "public", accepts: ["subsidy"], uses: ["grant"], territory: "XX"))
        fold.refuse("S.payload", E.fund("f2", pool: "public", accepts: [], uses: ["grant"]))
        fold.refuse("S.payload", E.fund("f2", pool: "public", accepts: ["subsidy", "subsidy"], uses: ["grant"]))
        fold.refuse("S.payload", E.fund("f2", pool: "public", accepts: ["gift"], uses: ["grant"]))
        fold.refuse("S.payload", E.fund("f2", pool: "banks", accepts: ["subsidy"], uses: ["grant"]))
        fold.accept(E.fund("f2", pool: "public", accepts: ["subsidy"], uses: ["grant"], territory: "FR-BRE"))
    }

    @Test func onlyTerritorialCommitteesHaveATerritory() {
        var fold = Fold.world()
        fold.refuse("I13.territory-scope", E.body("CT-X", kind: "territorial_committee"))
        fold.refuse("I13.territory-scope", E.body("CA", kind: "board", territory: "FR"))
        fold.refuse("I0.unknown-reference", E.body("CT-X", kind: "territorial_committee", territory: "FR-NOPE"))
        fold.accept(E.body("CA", kind: "board"))
        fold.refuse("I0.duplicate-id", E.body("CA", kind: "board"))
    }

    @Test(arguments: [
        ("I6.body-rules", E.rules(quorum: (3, 2))),
        ("I6.body-rules", E.rules(proxiesMax: 21)),
        ("S.payload", E.rules(quorum: (1, 0))),
        ("S.payload", E.rules(majority: "relative")),
        ("S.payload", E.rules(abstentions: "against")),
        ("S.payload", E.rules(proxiesMax: -1)),
        ("M1.amount-positive", E.rules(amountMax: 0)),
    ])
    func bodyStatutesAreCoherent(_ rule: String, _ rules: JSONValue) {
        var fold = Fold.world()
        fold.refuse(rule, E.body("CA", kind: "board", rules: rules))
    }

    @Test func membersAreAddedOnceAndRemovedIfMembers() {
        var fold = Fold.world()
        fold.refuse("I6.membership", E.member("AG", "P-1"))
        fold.refuse("I6.membership", E.removeMember("CT-IDF", "P-6"))
        fold.refuse("I0.unknown-reference", E.member("AG", "P-404"))
        fold.refuse("I0.unknown-reference", E.member("CA-404", "P-1"))
        fold.accept(E.removeMember("AG", "P-6"))
        fold.accept(E.member("AG", "P-6"))
    }

    @Test func projectsNameKnownOrganisationsAndTerritories() {
        var fold = Fold.world()
        fold.refuse("I0.duplicate-id", E.project("PRJ-1"))
        fold.refuse("I0.unknown-reference", E.project("PRJ-9", organisation: "ORG-404"))
        fold.refuse("I0.unknown-reference", E.project("PRJ-9", territory: "FR-404"))
        fold.refuse("M1.amount-positive", E.project("PRJ-9", amount: 0))
        fold.refuse("S.payload", E.project("PRJ-9", instrument: "gift"))
        fold.accept(E.project("PRJ-9", instrument: "investment"))
    }
}
