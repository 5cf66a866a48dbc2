import LedgerJSON
import Testing
@testable import LedgerDomain

/// E0, S, A1-A4 and I10: the record as a whole, operators and roles, periods.
@Suite struct AuthorityTests {
    @Test func theFirstRecordMustBeTheGenesis() {
        var fold = Fold()
        fold.refuse("E0.genesis", E.note("too early"))
        fold.accept(E.genesis())
        #expect(fold.state.genesis?.currency == "EUR")
        fold.refuse("E0.genesis", E.genesis())
    }

    @Test func aGenesisWithABadPayloadIsRefused() {
        var fold = Fold()
        fold.refuse("S.payload", E.genesis().with("minor_units", 7))
        fold.refuse("S.payload", E.genesis().with("extra", "x"))
    }

    @Test func unknownTypesAreRefused() {
        var fold = Fold.world()
        let message = fold.refuse("E0.unknown-type", Ev("contribution.made", [("x", 1)], actor: Op.treasurer))
        #expect(message.contains("contribution.made"))
    }

    @Test func theGenesisActorIsTheFoundingAdministrator() {
        var fold = Fold()
        fold.accept(E.genesis())
        #expect(fold.state.role(of: Op.admin) == .admin)
        fold.accept(E.op("OP-X", "clerk"))
        fold.refuse("A2.role-forbidden", E.op("OP-Y", "clerk").by("OP-X"))
    }

    @Test func onlyRegisteredActiveOperatorsAppend() {
        var fold = Fold.world()
        fold.refuse("A1.operator-unknown", E.note("hello").by("OP-NOBODY"))
        fold.accept(E.note("hello").by(Op.clerk))
        fold.accept(E.revoke(Op.clerk))
        let message = fold.refuse("A1.operator-unknown", E.note("hello").by(Op.clerk))
        #expect(message.contains("revoked"))
        fold.refuse("I0.unknown-reference", E.revoke(Op.clerk))
    }

    @Test func anAuditorAppendsNothing() {
        var fold = Fold.world()
        let message = fold.refuse("A2.role-forbidden", E.note("looks fine").by(Op.auditor))
        #expect(message.contains("auditor"))
        fold.refuse("A2.role-forbidden", E.party("P-99").by(Op.auditor))
        fold.refuse("A2.role-forbidden", E.contribution("X-1").by(Op.auditor))
    }

    @Test func rolesAreEnforcedPerEventType() {
        var fold = Fold.world()
        fold.refuse("A2.role-forbidden", E.op("OP-Z", "treasurer").by(Op.treasurer))
        fold.refuse("A2.role-forbidden", E.territory("FR-NOR", parent: "FR").by(Op.clerk))
        fold.refuse("A2.role-forbidden", E.contribution("X-2").by(Op.secretary))
        fold.accept(E.contribution("X-2").by(Op.clerk))
    }

    @Test func anOperatorIsRegisteredOnce() {
        var fold = Fold.world()
        fold.refuse("A3.operator-exists", E.op(Op.treasurer, "clerk"))
        fold.refuse("S.payload", E.op("OP-NEW", "superuser"))
        fold.accept(E.op("OP-NEW", "admin"))
    }

    /// A key of small order (here the identity point, and a point of order 8) lets anyone sign
    /// now and then: never an operator's key.
    @Test(arguments: ["AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "xxdqcD1N2E+6PAt2DRBnDyogU/osOczGTsf9d5KsA3o="])
    func aKeyOfSmallOrderIsNoOperatorsKey(_ key: String) {
        var fold = Fold.world()
        fold.refuse("S.payload", E.op("OP-NEW", "clerk").with("key", .string(key)))
        fold.refuse("S.payload", Ev("operator.key_rotated", [("key", .string(key)), ("operator", .string(Op.clerk))], actor: Op.admin))
    }

    @Test func anAdministratorDoesNotRevokeThemselves() {
        var fold = Fold.world()
        fold.refuse("A4.self-revoke", E.revoke(Op.admin))
        fold.accept(E.op("OP-ADMIN2", "admin"))
        fold.accept(E.revoke(Op.admin).by("OP-ADMIN2"))
    }

    @Test(arguments: [
        ("missing", E.note("x").with("text", nil)),
        ("unknown member", E.note("x").with("author", "Jean Dupont")),
        ("empty text", E.note("")),
        ("wrong type", E.note("x").with("text", 42)),
    ])
    func notePayloadsAreStrict(_ name: String, _ event: Ev) {
        var fold = Fold.world()
        fold.refuse("S.payload", event)
    }

    @Test func nothingIsEffectiveInsideAClosedPeriod() {
        var fold = Fold.world()
        fold.accept(E.contribution("D-2024-1"), on: "2024-12-30")
        fold.accept(E.close(through: "2024-12-31"), on: "2025-01-10")
        #expect(fold.state.closedThrough?.description == "2024-12-31")
        let message = fold.refuse("I10.closed-period", E.contribution("D-2024-2"), on: "2024-12-31")
        #expect(message.contains("2024-12-31"))
        fold.refuse("I10.closed-period", E.note("late"), on: "2024-01-01")
        fold.accept(E.contribution("D-2025-1"), on: "2025-01-01")
    }

    @Test func periodClosesMoveForwardAndAreDatedAfterTheirEnd() {
        var fold = Fold.world()
        fold.refuse("I10.close-order", E.close(through: "2024-12-31"), on: "2024-12-31")
        fold.accept(E.close(through: "2024-06-30"), on: "2024-07-05")
        fold.refuse("I10.close-order", E.close(through: "2024-06-30"), on: "2024-07-06")
        fold.refuse("I10.close-order", E.close(through: "2024-05-31"), on: "2024-07-06")
        fold.accept(E.close(through: "2024-07-31"), on: "2024-08-02")
    }
}
