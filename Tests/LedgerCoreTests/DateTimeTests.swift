import Testing
@testable import LedgerCore

@Suite struct CalendarDateTests {
    @Test(arguments: ["2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "1970-01-01", "2026-11-28"])
    func validDatesRoundTrip(text: String) throws {
        let date = try #require(CalendarDate(text))
        #expect(date.description == text)
        #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch) == date)
    }

    @Test(arguments: ["2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "0000-01-01",
                      "2024-1-01", "2024-01-1", "24-01-01", "2024/01/01", "2024-01-01 ", "+024-01-01", "２０２４-01-01", ""])
    func invalidDatesAreRejected(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func daysSinceEpochMatchesKnownDays() throws {
        #expect(try #require(CalendarDate("1970-01-01")).daysSinceEpoch == 0)
        #expect(try #require(CalendarDate("2000-03-01")).daysSinceEpoch == 11_017)
        #expect(try #require(CalendarDate("1969-12-31")).daysSinceEpoch == -1)
    }

    @Test func everyDayOfFourHundredYearsRoundTrips() throws {
        let start = try #require(CalendarDate("1900-01-01")).daysSinceEpoch
        var previous: CalendarDate?
        for day in start..<(start + 146_097) {
            let date = try #require(CalendarDate(daysSinceEpoch: day))
            #expect(date.daysSinceEpoch == day)
            if let previous { #expect(previous < date) }
            previous = date
        }
    }
}

@Suite struct TimestampTests {
    @Test func parsesAndPrintsTheFixedWidthForm() throws {
        let text = "2026-11-28T03:16:41.123456Z"
        let instant = try #require(Timestamp(text))
        #expect(instant.description == text)
        #expect(instant.date == CalendarDate("2026-11-28"))
    }

    @Test(arguments: ["2026-11-28T03:16:41Z", "2026-11-28T03:16:41.12345Z", "2026-11-28T24:00:00.000000Z",
                      "2026-11-28T03:60:00.000000Z", "2026-11-28T03:16:60.000000Z", "2026-11-28t03:16:41.123456Z",
                      "2026-11-28T03:16:41.123456+01:00", "2026-02-30T00:00:00.000000Z"])
    func rejectsOtherForms(text: String) {
        #expect(Timestamp(text) == nil)
    }

    @Test func textOrderIsTimeOrder() throws {
        let earlier = try #require(Timestamp("2026-01-01T00:00:00.000001Z"))
        let later = try #require(Timestamp("2026-01-01T00:00:00.000002Z"))
        #expect(earlier < later)
        #expect(earlier.description < later.description)
        let beforeEpoch = try #require(Timestamp(microsecondsSinceEpoch: -1))
        #expect(beforeEpoch.description == "1969-12-31T23:59:59.999999Z")
    }
}
