import Logging
import OspreyCore
import OspreyRuntime
import OspreyTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// The scheduler on a manual clock: time moves only when a test advances it, so no test sleeps.
struct SchedulerHarness {
    static let epoch = 1_800_000_000.0  // a whole minute, UTC
    let clock = ManualClock()
    let store: MemoryJobRunStore

    init(history: [JobRunRecord] = []) {
        store = MemoryJobRunStore(history)
    }

    func scheduler(
        _ jobs: [JobSpec], settings: SchedulerSettings = .init(), heartbeats: HeartbeatRegistry? = nil,
        silence: Duration = .seconds(10), _ handler: @escaping JobHandler
    ) throws -> Scheduler<ManualClock> {
        try Scheduler(
            settings: settings, jobs: jobs, store: store, handlers: JobHandlers(["db.prune": handler]), clock: clock,
            wallClock: clock.wallClock(epoch: Self.epoch), heartbeats: heartbeats, allowedSilence: silence, seed: 42,
            logger: Logger(label: "test"))
    }

    /// Runs `scheduler` while `body` runs, then cancels it.
    func running<T: Sendable>(_ scheduler: Scheduler<ManualClock>, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    static func job(_ name: String, every seconds: Int64 = 30, retries: Int = 0, timeout: Duration = .seconds(300)) -> JobSpec {
        JobSpec(name: name, kind: "db.prune", timing: .every(.seconds(seconds)), timeout: timeout, retries: retries)
    }
}

@Suite struct SchedulerTests {
    let epoch = SchedulerHarness.epoch

    @Test func runsHappenAtTheirSlotsOnTheTestClockAndAreRecorded() async throws {
        let harness = SchedulerHarness()
        let scheduler = try harness.scheduler([SchedulerHarness.job("scan")]) { _ in }
        try await harness.running(scheduler) {
            try await eventually("the first run, due at start") { harness.store.finished("scan").count == 1 }
            harness.clock.advance(by: .seconds(29))
            harness.clock.advance(by: .seconds(1))
            try await eventually("the second run") { harness.store.finished("scan").count == 2 }
        }
        let runs = harness.store.finished("scan")
        #expect(runs.map(\.scheduledAt) == [Int64(epoch), Int64(epoch) + 30])
        #expect(runs.map(\.startedAt) == [epoch, epoch + 30], "started at its slot, not a tick early or late")
        #expect(runs.allSatisfy { $0.outcome == .ok && $0.error == nil && $0.trigger == .schedule && $0.attempt == 1 })
    }

    @Test func aRunPastItsTimeoutIsCancelledAndRecordedAsTimeout() async throws {
        let harness = SchedulerHarness()
        let clock = harness.clock
        let scheduler = try harness.scheduler([SchedulerHarness.job("hang", every: 3600, timeout: .seconds(20))]) { _ in
            try await clock.sleep(for: .seconds(3600))  // cancellable, like real work
        }
        try await harness.running(scheduler) {
            try await eventually("the run started") { harness.store.all.count == 1 }
            harness.clock.advance(by: .seconds(19))
            try await eventually("19 s in, still running") { harness.store.all.first?.outcome == nil }
            harness.clock.advance(by: .seconds(1))
            try await eventually("the timeout") { harness.store.finished("hang").count == 1 }
        }
        let run = try #require(harness.store.finished("hang").first)
        #expect(run.outcome == .timeout)
        #expect(run.error == "cancelled after the 20s timeout")
        #expect(run.finishedAt == epoch + 20)
    }

    @Test func failedAttemptsAreRetriedWithinTheBackoffBounds() async throws {
        let harness = SchedulerHarness()
        let attempts = Mutex(0)
        let scheduler = try harness.scheduler([SchedulerHarness.job("flaky", every: 3600, retries: 3)]) { _ in
            let attempt = attempts.withLock { $0 += 1; return $0 }
            if attempt < 3 { throw TestFailure(message: "upstream said 503 (attempt \(attempt))") }
        }
        try await harness.running(scheduler) {
            try await eventually("attempt 1 failed") { harness.store.finished("flaky").count == 1 }
            harness.clock.advance(by: .seconds(1))  // the first retry waits at most 1 s
            try await eventually("attempt 2 failed") { harness.store.finished("flaky").count == 2 }
            harness.clock.advance(by: .seconds(2))  // the second at most 2 s
            try await eventually("attempt 3 succeeded") { harness.store.finished("flaky").count == 3 }
        }
        let runs = harness.store.finished("flaky")
        #expect(runs.map(\.attempt) == [1, 2, 3])
        #expect(runs.map(\.outcome) == [.error, .error, .ok])
        #expect(runs[0].error == "upstream said 503 (attempt 1)")
        #expect(Set(runs.map(\.scheduledAt)) == [Int64(epoch)], "retries belong to the same slot")
        #expect((runs[1].startedAt! - runs[0].finishedAt!) <= 1 && (runs[2].startedAt! - runs[1].finishedAt!) <= 2)
        #expect(await scheduler.statuses().first?.nextDue == epoch + 3600, "then back on schedule")
    }

    @Test func aManualRunIsQueuedAtOnceAndItsOutcomeReturned() async throws {
        let harness = SchedulerHarness(history: [
            JobRunRecord(id: 1, job: "backup", scheduledAt: Int64(SchedulerHarness.epoch) - 60, trigger: .schedule, attempt: 1,
                         startedAt: SchedulerHarness.epoch - 60, finishedAt: SchedulerHarness.epoch - 59, outcome: .ok, error: nil),
        ])
        let scheduler = try harness.scheduler([SchedulerHarness.job("backup", every: 21600)]) { _ in }
        let record = try await harness.running(scheduler) {
            try await scheduler.runNow("backup").get()
        }
        #expect(record.outcome == .ok && record.trigger == .manual && record.startedAt == epoch)
        #expect(await scheduler.runNow("nope").failureValue == .unknownJob("nope"))
        #expect(await scheduler.statuses().first?.nextDue == epoch - 60 + 21600, "a manual run does not shift the schedule")
    }

    @Test func aReloadAddsRemovesAndKeepsJobs() async throws {
        let harness = SchedulerHarness()
        let scheduler = try harness.scheduler([SchedulerHarness.job("keep", every: 60), SchedulerHarness.job("drop", every: 60)]) { _ in }
        try await harness.running(scheduler) {
            try await eventually("both ran") { harness.store.all.filter { $0.outcome == .ok }.count == 2 }
            harness.clock.advance(by: .seconds(10))
            scheduler.apply(settings: .init(), jobs: [SchedulerHarness.job("keep", every: 60), SchedulerHarness.job("add", every: 60)])
            try await eventually("the added job ran") { harness.store.finished("add").count == 1 }
        }
        let statuses = await scheduler.statuses()
        #expect(statuses.map(\.name) == ["add", "keep"])
        #expect(statuses.first { $0.name == "keep" }?.nextDue == epoch + 60, "untouched: same due time")
        #expect(harness.store.finished("add").first?.startedAt == epoch + 10)
    }

    @Test func afterARestartALongJobKeepsItsDueTimeAndInterruptedRunsAreClosed() async throws {
        let sixHours: Int64 = 21600
        let harness = SchedulerHarness(history: [
            JobRunRecord(id: 1, job: "backup", scheduledAt: Int64(SchedulerHarness.epoch) - 3600, trigger: .schedule, attempt: 1,
                         startedAt: SchedulerHarness.epoch - 3600, finishedAt: SchedulerHarness.epoch - 3590, outcome: .ok, error: nil),
            JobRunRecord(id: 2, job: "missed", scheduledAt: Int64(SchedulerHarness.epoch) - 7 * 3600, trigger: .schedule, attempt: 1,
                         startedAt: SchedulerHarness.epoch - 7 * 3600, finishedAt: nil, outcome: nil, error: nil),
        ])
        let scheduler = try harness.scheduler([SchedulerHarness.job("backup", every: sixHours), SchedulerHarness.job("missed", every: sixHours)]) { _ in }
        let interrupted = try #require(harness.store.all.first { $0.id == 2 })
        #expect(interrupted.outcome == .error && interrupted.error?.contains("interrupted") == true)
        try await harness.running(scheduler) {
            try await eventually("the missed run caught up once") { harness.store.finished("missed").count == 2 }
        }
        let statuses = await scheduler.statuses()
        #expect(statuses.first { $0.name == "backup" }?.nextDue == epoch - 3600 + Double(sixHours), "not re-fired by the restart")
        #expect(harness.store.finished("backup").count == 1)
        #expect(statuses.first { $0.name == "missed" }?.nextDue == epoch + Double(sixHours))
    }

    @Test func gracefulShutdownCancelsARunningRunAndRecordsWhy() async throws {
        let harness = SchedulerHarness()
        let clock = harness.clock
        let scheduler = try harness.scheduler([SchedulerHarness.job("long", every: 3600)]) { _ in
            try await clock.sleep(for: .seconds(600))
        }
        let group = ServiceGroup(services: [scheduler], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually("the run started") { harness.store.all.count == 1 }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let run = try #require(harness.store.all.first)
        #expect(run.outcome == .error && run.error == "cancelled: the daemon is shutting down")
        #expect(await scheduler.runNow("long").failureValue == .shuttingDown)
    }

    @Test func aLoopThatStopsTurningStopsItsHeartbeat() async throws {
        let harness = SchedulerHarness()
        let heartbeats = HeartbeatRegistry()
        let scheduler = try harness.scheduler([SchedulerHarness.job("scan", every: 3600)], heartbeats: heartbeats, silence: .milliseconds(50)) { _ in }
        try await harness.running(scheduler) {
            try await eventually("registered") { heartbeats.components.contains("scheduler") }
            // The manual clock is frozen, so the loop never wakes: exactly what a wedged loop looks like.
            try await eventually("stalled") { heartbeats.stalled() == ["scheduler"] }
            harness.clock.advance(by: .seconds(1))
            try await eventually("beating again once the loop turns") { heartbeats.stalled().isEmpty }
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let failure) = self { failure } else { nil }
    }
}
