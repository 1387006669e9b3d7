import OspreyCore
import Testing

@Suite struct SchedulerBookTests {
    static let t0 = 1_800_000_000.0

    static func job(_ name: String, every seconds: Int64 = 30, priority: JobPriority = .normal, retries: Int = 0, concurrency: Int = 1) -> JobSpec {
        JobSpec(name: name, kind: "db.prune", timing: .every(.seconds(seconds)), priority: priority, retries: retries, maxConcurrency: concurrency)
    }

    static func started(_ actions: [SchedulerBook.Action]) -> [String] {
        actions.compactMap { if case .start(let run, _) = $0 { run.job } else { nil } }
    }

    static func runs(_ actions: [SchedulerBook.Action]) -> [PlannedRun] {
        actions.compactMap { if case .start(let run, _) = $0 { run } else { nil } }
    }

    @Test func anIntervalJobStartsAtOnceThenKeepsItsCadence() {
        var book = SchedulerBook(settings: .init(), jobs: [Self.job("scan")], lastScheduled: [:], now: Self.t0, seed: 1)
        let first = Self.runs(book.tick(now: Self.t0))
        #expect(first.map(\.scheduledAt) == [Int64(Self.t0)])
        _ = book.finished(first[0], outcome: .ok, now: Self.t0 + 12)
        #expect(book.tick(now: Self.t0 + 29.9).isEmpty, "not due before 30 s")
        #expect(book.nextFire(of: "scan") == Self.t0 + 30, "anchored to the slot, not to the 12 s run's end")
        #expect(Self.runs(book.tick(now: Self.t0 + 30)).map(\.scheduledAt) == [Int64(Self.t0) + 30])
    }

    @Test func jitterOnlyDelaysAndStaysWithinItsBound() {
        var spec = Self.job("scan")
        spec.jitter = .seconds(2)
        for seed in UInt64(1)...50 {
            let book = SchedulerBook(settings: .init(), jobs: [spec], lastScheduled: ["scan": Int64(Self.t0)], now: Self.t0 + 1, seed: seed)
            let fire = book.nextFire(of: "scan")!
            #expect(fire >= Self.t0 + 30 && fire < Self.t0 + 32)
        }
    }

    @Test func aRunStillInFlightMakesTheNextSlotASkippedRun() {
        var book = SchedulerBook(settings: .init(), jobs: [Self.job("slow")], lastScheduled: [:], now: Self.t0, seed: 1)
        let first = Self.runs(book.tick(now: Self.t0))
        let next = book.tick(now: Self.t0 + 30)
        guard case .skip(let skipped, let reason)? = next.first else {
            Issue.record("expected a skip, got \(next)")
            return
        }
        #expect(skipped.scheduledAt == Int64(Self.t0) + 30 && reason.contains("still in progress"))
        _ = book.finished(first[0], outcome: .ok, now: Self.t0 + 45)
        #expect(Self.started(book.tick(now: Self.t0 + 60)) == ["slow"])
    }

    @Test func maxConcurrencyAllowsThatManyOverlappingRuns() {
        var book = SchedulerBook(settings: .init(), jobs: [Self.job("fan", concurrency: 2)], lastScheduled: [:], now: Self.t0, seed: 1)
        #expect(Self.started(book.tick(now: Self.t0)) == ["fan"])
        #expect(Self.started(book.tick(now: Self.t0 + 30)) == ["fan"])
        #expect(book.runningRuns(of: "fan") == 2)
        #expect(book.tick(now: Self.t0 + 60).contains { if case .skip = $0 { true } else { false } })
    }

    @Test func theWorkerLimitQueuesRunsUntilOneFinishes() {
        let jobs = [Self.job("a"), Self.job("b"), Self.job("c")]
        var book = SchedulerBook(settings: .init(workers: 2, queueSize: 8), jobs: jobs, lastScheduled: [:], now: Self.t0, seed: 1)
        let first = Self.runs(book.tick(now: Self.t0))
        #expect(first.count == 2 && book.queueDepth == 1 && book.runningCount == 2)
        let (_, actions) = book.finished(first[0], outcome: .ok, now: Self.t0 + 1)
        #expect(Self.started(actions).count == 1 && book.queueDepth == 0)
    }

    @Test func aFullQueueDropsLowPriorityRunsAndHighOnesGoFirst() {
        let jobs = [Self.job("blocker", priority: .normal), Self.job("low-1", priority: .low), Self.job("low-2", priority: .low), Self.job("urgent", priority: .high)]
        var book = SchedulerBook(settings: .init(workers: 1, queueSize: 2), jobs: [jobs[0]], lastScheduled: [:], now: Self.t0, seed: 1)
        let blocker = Self.runs(book.tick(now: Self.t0))
        #expect(blocker.map(\.job) == ["blocker"])
        // The other jobs arrive by reload while the only worker is busy.
        #expect(book.apply(settings: book.settings, jobs: Array(jobs[0...2]), now: Self.t0 + 1).isEmpty)
        #expect(book.tick(now: Self.t0 + 1).isEmpty, "two low runs fill the queue")
        let arrival = book.apply(settings: book.settings, jobs: jobs, now: Self.t0 + 2) + book.tick(now: Self.t0 + 2)
        let dropped = arrival.compactMap { if case .drop(let run) = $0 { run.job } else { nil } }
        #expect(dropped == ["low-2"], "the newest low run is shed; the high one is queued")
        let (_, next) = book.finished(blocker[0], outcome: .ok, now: Self.t0 + 3)
        #expect(Self.started(next) == ["urgent"], "the high-priority run starts before the low one queued earlier")
    }

    @Test func failedRunsRetryWithBoundedBackoffThenGiveUp() throws {
        var book = SchedulerBook(settings: .init(), jobs: [Self.job("flaky", every: 3600, retries: 2)], lastScheduled: [:], now: Self.t0, seed: 7)
        let first = Self.runs(book.tick(now: Self.t0))[0]
        let (retry1, _) = book.finished(first, outcome: .error, now: Self.t0 + 5)
        let r1 = try #require(retry1)
        #expect(r1.attempt == 2 && r1.scheduledAt == first.scheduledAt && r1.ticket == first.ticket)
        #expect(r1.fireAt >= Self.t0 + 5 && r1.fireAt <= Self.t0 + 6, "first retry within [0, 1 s]")
        let second = Self.runs(book.tick(now: r1.fireAt))[0]
        let (retry2, _) = book.finished(second, outcome: .timeout, now: Self.t0 + 10)
        let r2 = try #require(retry2, "a timeout is retried too")
        #expect(r2.attempt == 3 && r2.fireAt >= Self.t0 + 10 && r2.fireAt <= Self.t0 + 12, "second retry within [0, 2 s]")
        let third = Self.runs(book.tick(now: r2.fireAt))[0]
        #expect(book.finished(third, outcome: .error, now: Self.t0 + 20).retry == nil, "retries = 2 means three attempts")
        #expect(book.nextFire(of: "flaky") == Self.t0 + 3600, "back on its schedule")
    }

    @Test func aPendingRetryCountsAsInFlight() throws {
        var book = SchedulerBook(settings: .init(), jobs: [Self.job("flaky", every: 30, retries: 3)], lastScheduled: [:], now: Self.t0, seed: 3)
        let first = Self.runs(book.tick(now: Self.t0))[0]
        let retry = try #require(book.finished(first, outcome: .error, now: Self.t0 + 29.99).retry)
        let slot = book.tick(now: Self.t0 + 30)
        #expect(slot.contains { if case .skip(let run, _) = $0 { run.scheduledAt == Int64(Self.t0) + 30 } else { false } },
                "the 30 s slot is skipped while the retry waits")
        #expect(Self.runs(slot + book.tick(now: retry.fireAt)).map(\.attempt) == [2])
    }

    @Test func aReloadKeepsUntouchedJobsTimingAndAppliesTheRest() {
        let jobs = [Self.job("keep", every: 600), Self.job("change", every: 600), Self.job("remove", every: 600)]
        var book = SchedulerBook(settings: .init(), jobs: jobs, lastScheduled: ["keep": Int64(Self.t0) - 100, "change": Int64(Self.t0) - 100], now: Self.t0, seed: 1)
        _ = book.tick(now: Self.t0)  // "remove" never ran: due now
        let keepBefore = book.nextFire(of: "keep")
        var changed = jobs[1]
        changed.timing = .every(.seconds(60))
        var tuned = jobs[0]
        tuned.timeout = .seconds(5)  // not a timing change
        _ = book.apply(settings: .init(), jobs: [tuned, changed, Self.job("new", every: 60)], now: Self.t0 + 10)
        #expect(book.nextFire(of: "keep") == keepBefore, "untouched timing keeps its armed time")
        #expect(book.jobs["keep"]?.timeout == .seconds(5))
        #expect(book.nextFire(of: "change") == Self.t0 + 10, "60 s after a run 110 s ago: missed, so once now")
        #expect(book.nextFire(of: "remove") == nil && book.jobs["remove"] == nil)
        #expect(book.nextFire(of: "new") == Self.t0 + 10)
        #expect(book.runningRuns(of: "remove") == 1, "a removed job's running run finishes")
    }

    @Test func manualRunsRespectOverlapAndDoNotShiftTheSchedule() {
        var book = SchedulerBook(settings: .init(), jobs: [Self.job("backup", every: 21600)], lastScheduled: ["backup": Int64(Self.t0)], now: Self.t0 + 60, seed: 1)
        guard case .success(let (run, actions)) = book.runNow("backup", now: Self.t0 + 60) else {
            Issue.record("manual run refused")
            return
        }
        #expect(run.trigger == .manual && Self.started(actions) == ["backup"])
        #expect(book.runNow("backup", now: Self.t0 + 61).failureValue == .busy("backup", maxConcurrency: 1))
        #expect(book.runNow("nope", now: Self.t0 + 61).failureValue == .unknownJob("nope"))
        _ = book.finished(run, outcome: .ok, now: Self.t0 + 70)
        #expect(book.nextFire(of: "backup") == Self.t0 + 21600, "still due 6 h after its last scheduled run")
    }

    @Test func disabledJobsHaveNoTimerButCanBeRunByHand() {
        var spec = Self.job("off")
        spec.enabled = false
        var book = SchedulerBook(settings: .init(), jobs: [spec], lastScheduled: [:], now: Self.t0, seed: 1)
        #expect(book.nextFire(of: "off") == nil && book.tick(now: Self.t0 + 3600).isEmpty)
        #expect(book.runNow("off", now: Self.t0 + 3600).failureValue == nil)
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let failure) = self { failure } else { nil }
    }
}
