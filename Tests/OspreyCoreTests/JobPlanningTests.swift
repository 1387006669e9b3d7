import OspreyCore
import Testing

@Suite struct JobTimelineTests {
    let sixHours = JobSpec(name: "backup", kind: "db.backup", timing: .every(.seconds(6 * 3600)))
    let hour: Int64 = 3600

    @Test func aRestartDoesNotMakeALongIntervalJobFireAgain() {
        // Last run at t=0; restart at t=1h: still due at 6h, not now.
        #expect(JobTimeline.firstDue(sixHours, lastScheduled: 0, now: hour) == 6 * hour)
    }

    @Test func aRunMissedWhileDownRunsOnceOrIsSkipped() {
        // Last run at t=0, down until t=13h (two runs missed).
        #expect(JobTimeline.firstDue(sixHours, lastScheduled: 0, now: 13 * hour) == 13 * hour, "once: now, a single time")
        var skip = sixHours
        skip.catchUp = .skip
        #expect(JobTimeline.firstDue(skip, lastScheduled: 0, now: 13 * hour) == 18 * hour, "skip: the next regular slot")
    }

    @Test func aJobThatNeverRanIsDueNowOrAtItsNextCronTime() throws {
        #expect(JobTimeline.firstDue(sixHours, lastScheduled: nil, now: 500) == 500)
        let nightly = JobSpec(name: "prune", kind: "db.prune", timing: .cron(try CronSchedule("0 3 * * *")))
        #expect(JobTimeline.firstDue(nightly, lastScheduled: nil, now: 0) == 3 * hour)
        #expect(JobTimeline.firstDue(nightly, lastScheduled: nil, now: 3 * hour) == 3 * hour, "due this very minute")
    }

    @Test func cadenceIsAnchoredToScheduledTimesAndSkipsWholeMissedPeriods() throws {
        let every30 = JobSpec(name: "scan", kind: "db.prune", timing: .every(.seconds(30)))
        #expect(JobTimeline.nextDue(every30, after: 1000, now: 1012) == 1030, "a slow run does not shift the cadence")
        #expect(JobTimeline.nextDue(every30, after: 1000, now: 1095) == 1120, "overrun periods are skipped, not queued")
        let nightly = JobSpec(name: "prune", kind: "db.prune", timing: .cron(try CronSchedule("0 3 * * *")))
        #expect(JobTimeline.nextDue(nightly, after: 3 * hour, now: 3 * hour + 5) == 27 * hour)
        // Cron with catch-up: missed 03:00 while down → once now; skip → tomorrow 03:00.
        #expect(JobTimeline.firstDue(nightly, lastScheduled: 3 * hour, now: 28 * hour) == 28 * hour)
        var skip = nightly
        skip.catchUp = .skip
        #expect(JobTimeline.firstDue(skip, lastScheduled: 3 * hour, now: 28 * hour) == 51 * hour)
    }
}

@Suite struct RunQueueTests {
    @Test func highestPriorityFirstAndFirstInFirstOutWithin() {
        var queue = RunQueue<String>(capacity: 10)
        for (run, priority) in [("n1", JobPriority.normal), ("l1", .low), ("h1", .high), ("n2", .normal), ("h2", .high)] {
            #expect(queue.push(run, priority: priority) == nil)
        }
        #expect(queue.ordered == ["h1", "h2", "n1", "n2", "l1"])
        #expect((0..<5).compactMap { _ in queue.pop() } == ["h1", "h2", "n1", "n2", "l1"])
        #expect(queue.pop() == nil && queue.isEmpty)
    }

    @Test func aFullQueueShedsLowPriorityWorkAndNeverBlocksHigh() {
        var queue = RunQueue<String>(capacity: 3)
        _ = queue.push("l1", priority: .low)
        _ = queue.push("l2", priority: .low)
        _ = queue.push("n1", priority: .normal)
        #expect(queue.push("l3", priority: .low) == "l3", "a low run arriving at a full queue is dropped")
        #expect(queue.push("h1", priority: .high) == "l2", "a high run evicts the newest low run")
        #expect(queue.push("h2", priority: .high) == "l1")
        #expect(queue.push("h3", priority: .high) == "n1", "then normal runs")
        #expect(queue.push("h4", priority: .high) == "h4", "only when nothing lower is queued is a high run dropped")
        #expect(queue.ordered == ["h1", "h2", "h3"])
        #expect(queue.count == 3)
    }
}
