import Testing
@testable import LedgerDomain

/// A project's status (Specs/reports.md §4.2): the first that applies, from its figures.
@Suite struct ProjectStatusTests {
    static func figures(approved: Int64 = 0, committed: Int64 = 0, disbursed: Int64 = 0) -> ProjectFigures {
        var figures = ProjectFigures()
        figures.approved = approved
        figures.committed = committed
        figures.disbursed = disbursed
        return figures
    }

    @Test(arguments: [
        (figures(), 0, ProjectStatus.applied),
        (figures(approved: 500), 0, .approved),
        (figures(approved: 500, committed: 500), 1, .committed),
        (figures(approved: 500, committed: 500, disbursed: 200), 1, .disbursing),
        (figures(approved: 500, committed: 500, disbursed: 500), 1, .completed),
        // A commitment cancelled after a payment keeps what was paid: nothing remains.
        (figures(approved: 500, committed: 200, disbursed: 200), 1, .completed),
        // Cancelled before any payment: committed back to 0, but a commitment was made.
        (figures(approved: 500), 1, .cancelled),
        // A second commitment in force after one was cancelled.
        (figures(approved: 900, committed: 400), 2, .committed),
    ])
    func theFirstStatusThatApplies(figures: ProjectFigures, made: Int, expected: ProjectStatus) {
        #expect(ProjectStatus.of(figures, commitmentsMade: made) == expected)
    }
}
