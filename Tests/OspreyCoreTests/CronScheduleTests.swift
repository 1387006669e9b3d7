import OspreyCore
import Testing

@Suite struct CronScheduleTests {
    /// 2026-11-22T03:00:00Z, a Sunday.
    static let sundayMorning: Int64 = 1_795_316_400

    func after(_ expression: String, _ start: Int64 = sundayMorning, count: Int = 1) throws -> [String] {
        let schedule = try CronSchedule(expression)
        var times: [String] = []
        var cursor = start
        for _ in 0..<count {
            guard let next = schedule.next(after: cursor) else { break }
            times.append(UTCDateTime(unixSeconds: next).rfc3339())
            cursor = next
        }
        return times
    }

    @Test func stepsListsAndRanges() throws {
        #expect(try after("*/5 * * * *", count: 3) == ["2026-11-22T03:05:00Z", "2026-11-22T03:10:00Z", "2026-11-22T03:15:00Z"])
        #expect(try after("0,30 9-10 * * *", count: 5) == [
            "2026-11-22T09:00:00Z", "2026-11-22T09:30:00Z", "2026-11-22T10:00:00Z", "2026-11-22T10:30:00Z", "2026-11-23T09:00:00Z",
        ])
        #expect(try after("10-40/15 * * * *", count: 3) == ["2026-11-22T03:10:00Z", "2026-11-22T03:25:00Z", "2026-11-22T03:40:00Z"])
        #expect(try after("5/20 * * * *", count: 3) == ["2026-11-22T03:05:00Z", "2026-11-22T03:25:00Z", "2026-11-22T03:45:00Z"])
        #expect(try after("0 0 * * *") == ["2026-11-23T00:00:00Z"])
    }

    @Test func namesAndSundayAsSeven() throws {
        #expect(try after("0 9 * * mon-fri", count: 2) == ["2026-11-23T09:00:00Z", "2026-11-24T09:00:00Z"])
        #expect(try after("0 9 * * SAT,sun", count: 2) == ["2026-11-22T09:00:00Z", "2026-11-28T09:00:00Z"])
        #expect(try after("0 12 * * 7") == ["2026-11-22T12:00:00Z"])
        #expect(try after("0 0 1 jan-mar *", count: 2) == ["2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"])
    }

    @Test func dayOfMonthOrDayOfWeekWhenBothAreRestricted() throws {
        // The 1st of the month or any Monday (Vixie cron's OR rule).
        #expect(try after("0 0 1 * mon", count: 3) == ["2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z"])
        // With day-of-week unrestricted, only the day of month counts.
        #expect(try after("0 0 1 * *") == ["2026-12-01T00:00:00Z"])
        // A '*/2' field counts as unrestricted: every other day of the month and Fridays must both hold.
        #expect(try after("0 0 */2 * fri") == ["2026-11-27T00:00:00Z"])
    }

    @Test func leapDaysAndImpossibleDates() throws {
        #expect(try after("0 0 29 feb *") == ["2028-02-29T00:00:00Z"])
        #expect(try CronSchedule("0 0 30 feb *").next(after: Self.sundayMorning) == nil)
        #expect(try after("59 23 31 12 *") == ["2026-12-31T23:59:00Z"])
    }

    @Test func matchesAgreesWithNext() throws {
        let schedule = try CronSchedule("*/7 1-5 * * tue,thu")
        var cursor = Self.sundayMorning
        for _ in 0..<50 {
            let next = try #require(schedule.next(after: cursor))
            #expect(schedule.matches(next))
            for minute in stride(from: (cursor / 60 + 1) * 60, to: next, by: 60) {
                #expect(!schedule.matches(minute), "skipped a matching minute")
            }
            cursor = next
        }
    }

    @Test(arguments: [
        ("* * * *", "5 fields"), ("60 * * * *", "minute '60' is not in 0-59"), ("* 24 * * *", "hour '24'"),
        ("* * 0 * *", "day-of-month '0'"), ("* * * 13 *", "month '13'"), ("* * * * 8", "day-of-week '8'"),
        ("*/0 * * * *", "positive number"), ("5-1 * * * *", "runs backwards"), ("* * * foo *", "or a name (jan…dec)"),
        ("1-2-3 * * * *", "one '-'"), ("*/2/3 * * * *", "more than one '/'"),
    ])
    func invalidExpressionsSayWhy(expression: String, message: String) {
        do {
            _ = try CronSchedule(expression)
            Issue.record("accepted \(expression)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }
}

@Suite struct BackoffTests {
    @Test func ceilingsDoubleUpToTheCap() {
        let backoff = Backoff(base: .seconds(1), cap: .seconds(30))
        #expect((1...7).map { backoff.ceiling(retry: $0) } == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
    }

    @Test func fullJitterStaysWithinBoundsAndSpreads() {
        let backoff = Backoff(base: .milliseconds(100), cap: .seconds(10))
        var generator = SystemRandomNumberGenerator()
        for retry in 1...8 {
            let delays = (0..<500).map { _ in backoff.delay(retry: retry, using: &generator) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= backoff.ceiling(retry: retry) })
            #expect(Set(delays).count > 400, "jittered, not constant")
            #expect(delays.contains { $0 < backoff.ceiling(retry: retry) / 4 } && delays.contains { $0 > backoff.ceiling(retry: retry) * 3 / 4 })
        }
        #expect(backoff.delay(retry: 3, fraction: 0) == .zero)
        #expect(backoff.delay(retry: 3, fraction: 0.5) == .milliseconds(200))
    }
}
