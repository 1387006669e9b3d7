import Logging
import Metrics
import OspreyCore
import ServiceLifecycle
import Synchronization

/// Runs the configured `[[job]]`s: a `Service` that sleeps until the next due time on its clock, then
/// queues, records and starts runs as `SchedulerBook` decides. Generic over the clock so tests drive time.
///
/// Wall time (Unix seconds, for cron and the run history) comes from `wallClock`; sleeping uses `clock`. The
/// loop wakes at least every second, which bounds the effect of a wall-clock step and feeds the watchdog: a
/// wedged scheduler stops beating, and systemd restarts the daemon.
public actor Scheduler<C: Clock>: Service where C.Duration == Duration {
    static var component: String { "scheduler" }

    let store: any JobRunStore
    let handlers: JobHandlers
    let clock: C
    let wallClock: @Sendable () -> Double
    let logger: Logger
    let metrics = JobMetrics()
    private let heartbeats: HeartbeatRegistry?
    private let allowedSilence: Duration
    private let wakeup = Wakeup()
    private let pending = Mutex<(settings: SchedulerSettings, jobs: [JobSpec])?>(nil)

    private var book: SchedulerBook
    private var summaries: [String: JobRunSummary]
    /// Actions decided outside the loop (a manual run, a finished run), performed by the loop.
    private var deferred: [SchedulerBook.Action] = []
    private var waiters: [UInt64: [CheckedContinuation<Result<JobRunRecord, SchedulerBook.Refusal>, Never>]] = [:]

    /// Reads the run history (closing runs a crash left open) so every job keeps its cadence across restarts.
    public init(
        settings: SchedulerSettings, jobs: [JobSpec], store: any JobRunStore, handlers: JobHandlers,
        clock: C, wallClock: @escaping @Sendable () -> Double, heartbeats: HeartbeatRegistry? = nil,
        allowedSilence: Duration = .seconds(10), seed: UInt64 = .random(in: .min ... .max), logger: Logger
    ) throws {
        let now = wallClock()
        let interrupted = try store.closeInterrupted(at: now, reason: "interrupted: the daemon stopped during this run")
        if interrupted > 0 {
            logger.warning("runs interrupted by the previous daemon's end were recorded as errors", metadata: ["runs": "\(interrupted)"])
        }
        summaries = try store.summaries()
        book = SchedulerBook(
            settings: settings, jobs: jobs, lastScheduled: summaries.compactMapValues(\.lastScheduled), now: now, seed: seed)
        self.store = store
        self.handlers = handlers
        self.clock = clock
        self.wallClock = wallClock
        self.heartbeats = heartbeats
        self.allowedSilence = allowedSilence
        self.logger = logger
        for spec in jobs {
            Self.publish(metrics, spec.name, nextFire: book.nextFire(of: spec.name), lastSuccess: summaries[spec.name]?.lastSuccess)
        }
    }

    public func run() async throws {
        heartbeats?.register(Self.component, allowedSilence: allowedSilence)
        defer { heartbeats?.unregister(Self.component) }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                while !wakeup.stopped && !Task.isCancelled {
                    if let change = pending.withLock({ $0.take() }) { applyNow(change.settings, change.jobs) }
                    let actions = deferred + book.tick(now: wallClock())
                    deferred = []
                    for job in book.fired { publish(job) }
                    for action in actions { perform(action, in: &group) }
                    metrics.queueDepth.record(book.queueDepth)
                    heartbeats?.beat(Self.component)
                    await sleep(untilWall: book.nextWake)
                }
                group.cancelAll()
            }
            for (_, continuations) in waiters { continuations.forEach { $0.resume(returning: .failure(.shuttingDown)) } }
            waiters = [:]
        } onGracefulShutdown: { [wakeup] in
            wakeup.stop()
        }
    }

    /// A reload's new job list and settings; applied by the loop, latest wins.
    public nonisolated func apply(settings: SchedulerSettings, jobs: [JobSpec]) {
        pending.withLock { $0 = (settings, jobs) }
        wakeup.signal()
    }

    /// `osprey jobs run NAME`: queues a run now and returns its last attempt's record when it ends.
    public func runNow(_ job: String) async -> Result<JobRunRecord, SchedulerBook.Refusal> {
        guard !wakeup.stopped else { return .failure(.shuttingDown) }
        switch book.runNow(job, now: wallClock()) {
        case .failure(let refusal):
            return .failure(refusal)
        case .success(let (run, actions)):
            deferred += actions
            wakeup.signal()
            return await withCheckedContinuation { waiters[run.ticket, default: []].append($0) }
        }
    }

    /// Every configured job with its last run and next due time, sorted by name.
    public func statuses() -> [JobStatus] {
        book.jobs.values.sorted { $0.name < $1.name }.map { spec in
            JobStatus(
                name: spec.name, kind: spec.kind, schedule: spec.timing.description, priority: spec.priority,
                enabled: spec.enabled, nextDue: book.nextFire(of: spec.name), running: book.runningRuns(of: spec.name),
                queued: book.queuedRuns(of: spec.name), lastRun: summaries[spec.name]?.lastRun,
                lastSuccess: summaries[spec.name]?.lastSuccess)
        }
    }

    public func history(_ job: String, limit: Int) throws -> [JobRunRecord] {
        try store.history(job: job, limit: limit)
    }

    public func isConfigured(_ job: String) -> Bool {
        book.jobs[job] != nil
    }

    // MARK: Loop

    private func applyNow(_ settings: SchedulerSettings, _ jobs: [JobSpec]) {
        let before = Set(book.jobs.keys)
        deferred += book.apply(settings: settings, jobs: jobs, now: wallClock())
        let after = Set(book.jobs.keys)
        metrics.retain(after)
        for name in after { publish(name) }
        logger.info("job list applied", metadata: [
            "jobs": "\(after.count)", "added": "\(after.subtracting(before).sorted().joined(separator: ","))",
            "removed": "\(before.subtracting(after).sorted().joined(separator: ","))",
        ])
    }

    private func perform(_ action: SchedulerBook.Action, in group: inout DiscardingTaskGroup) {
        switch action {
        case .start(let run, let spec):
            metrics[run.job].running.increment()
            group.addTask { await self.execute(run, spec: spec) }
        case .skip(let run, let reason):
            group.addTask { await self.recordSkip(run, reason: reason, dropped: false) }
        case .drop(let run):
            group.addTask { await self.recordSkip(run, reason: "dropped: the run queue is full of higher-priority runs", dropped: true) }
        }
    }

    private nonisolated func recordSkip(_ run: PlannedRun, reason: String, dropped: Bool) async {
        let now = wallClock()
        var record = JobRunRecord(
            id: 0, job: run.job, scheduledAt: run.scheduledAt, trigger: run.trigger, attempt: run.attempt,
            startedAt: nil, finishedAt: now, outcome: .skipped, error: reason)
        do {
            record.id = try await store.skipped(job: run.job, scheduledAt: run.scheduledAt, trigger: run.trigger, at: now, reason: reason)
        } catch {
            logger.error("cannot record a skipped run", metadata: ["job": "\(run.job)", "error": "\(error)"])
        }
        let handles = metrics[run.job]
        handles.runs[.skipped]?.increment()
        if dropped { handles.dropped.increment() }
        logger.warning("job run skipped", metadata: [
            "job": "\(run.job)", "run_id": "\(record.id)", "outcome": "skipped", "reason": "\(reason)",
        ])
        await skipRecorded(run, record: record)
    }

    private func skipRecorded(_ run: PlannedRun, record: JobRunRecord) {
        summaries[run.job, default: JobRunSummary()].lastRun = record
        resumeWaiters(run.ticket, with: record)
    }

    /// Called by a finished run: books it, maybe arms a retry, and lets the loop start what is next.
    func completed(_ run: PlannedRun, record: JobRunRecord) {
        // The backoff counts from the run's end, not from when this actor got to it.
        let (retry, actions) = book.finished(run, outcome: record.outcome ?? .error, now: record.finishedAt ?? wallClock())
        deferred += actions
        var summary = summaries[run.job, default: JobRunSummary()]
        summary.lastRun = record
        if record.outcome == .ok, let finished = record.finishedAt { summary.lastSuccess = finished }
        if run.trigger == .schedule { summary.lastScheduled = run.scheduledAt }
        summaries[run.job] = summary
        if book.jobs[run.job] == nil { metrics.retain(Set(book.jobs.keys)) } else { publish(run.job) }
        if retry == nil { resumeWaiters(run.ticket, with: record) }
        wakeup.signal()
    }

    private func resumeWaiters(_ ticket: UInt64, with record: JobRunRecord) {
        waiters.removeValue(forKey: ticket)?.forEach { $0.resume(returning: .success(record)) }
    }

    /// Updates the job's gauges that depend on the book.
    private func publish(_ job: String) {
        Self.publish(metrics, job, nextFire: book.nextFire(of: job), lastSuccess: summaries[job]?.lastSuccess)
    }

    private static func publish(_ metrics: JobMetrics, _ job: String, nextFire: Double?, lastSuccess: Double?) {
        metrics[job].nextRun.record(nextFire ?? 0)
        if let lastSuccess { metrics.recordSuccess(job, at: lastSuccess) }
    }

    /// Sleeps until the wall time `deadline` (or at most a second), or until woken.
    private func sleep(untilWall deadline: Double?) async {
        let delay = min(max((deadline ?? .infinity) - wallClock(), 0), 1)
        guard delay > 0 else { return }
        let instant = clock.now.advanced(by: .nanoseconds(Int64(delay * 1e9)))
        await withTaskGroup(of: Void.self) { [clock, wakeup] race in
            race.addTask { try? await clock.sleep(until: instant, tolerance: nil) }
            race.addTask { await wakeup.wait() }
            await race.next()
            race.cancelAll()
        }
    }
}
