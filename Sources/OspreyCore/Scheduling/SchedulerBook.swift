/// The scheduler's bookkeeping as a pure state machine: timers, the priority queue, in-flight counts, retries
/// and the worker limit. Events in (`tick`, `finished`, `runNow`, `apply`), actions out; the runtime performs
/// the actions (start a run, record a skip) and owns clocks, tasks and storage. Times are Unix seconds.
public struct SchedulerBook: Sendable {
    public enum Action: Sendable, Equatable {
        /// Start this run with this spec now.
        case start(PlannedRun, JobSpec)
        /// The run did not start: the job's previous run is still in flight (or it was removed). Recorded.
        case skip(PlannedRun, reason: String)
        /// The queue was full and this lower-priority run was shed. Recorded and counted.
        case drop(PlannedRun)
    }

    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownJob(String)
        case busy(String, maxConcurrency: Int)
        case queueFull(String)
        case shuttingDown

        public var description: String {
            switch self {
            case .unknownJob(let job): "no job named \"\(job)\" is configured"
            case .busy(let job, let limit): "job \"\(job)\" is already queued or running (max_concurrency = \(limit))"
            case .queueFull(let job): "the run queue is full of higher-priority runs; job \"\(job)\" was not queued"
            case .shuttingDown: "the daemon is shutting down"
            }
        }
    }

    /// Backoff between attempts of a failed run: full jitter, 1 s doubling up to 5 min.
    public static let retryBackoff = Backoff(base: .seconds(1), cap: .seconds(300))

    public private(set) var settings: SchedulerSettings
    public private(set) var jobs: [String: JobSpec] = [:]
    private var timers: [String: PlannedRun] = [:]
    private var retries: [PlannedRun] = []
    private var queue: RunQueue<PlannedRun>
    /// Queued, running and retry-waiting runs per job: the no-overlap rule counts all three.
    private var inFlight: [String: Int] = [:]
    private var running: [UInt64: PlannedRun] = [:]
    private var lastScheduled: [String: Int64]
    private var nextTicket: UInt64 = 1
    private var random: SplitMix64

    /// `lastScheduled` comes from the run history, so a restart keeps every job's cadence.
    public init(settings: SchedulerSettings, jobs: [JobSpec], lastScheduled: [String: Int64], now: Double, seed: UInt64) {
        self.settings = settings
        self.lastScheduled = lastScheduled
        queue = RunQueue(capacity: settings.queueSize)
        random = SplitMix64(seed: seed)
        for spec in jobs {
            self.jobs[spec.name] = spec
            arm(spec, now: now)
        }
    }

    // MARK: Events

    /// Fires every timer and retry due at `now`, then starts what the workers allow.
    public mutating func tick(now: Double) -> [Action] {
        var actions: [Action] = []
        fired = []
        for timer in timers.values.filter({ $0.fireAt <= now }).sorted(by: Self.firingOrder) {
            guard let spec = jobs[timer.job] else { continue }
            fired.append(timer.job)
            lastScheduled[timer.job] = timer.scheduledAt
            timers[timer.job] = JobTimeline.nextDue(spec, after: timer.scheduledAt, now: Int64(now.rounded(.down)))
                .map { plan(spec, slot: $0) }
            actions += enqueue(timer, spec: spec)
        }
        let due = retries.filter { $0.fireAt <= now }.sorted(by: Self.firingOrder)
        retries.removeAll { $0.fireAt <= now }
        for retry in due {
            inFlight[retry.job, default: 1] -= 1  // enqueue counts it again
            if let spec = jobs[retry.job] { actions += enqueue(retry, spec: spec, checkOverlap: false) }
        }
        return actions + dispatch()
    }

    /// A run ended. A failed or timed-out attempt with retries left comes back after a backoff; the returned
    /// retry is nil when this was the run's last attempt.
    public mutating func finished(_ run: PlannedRun, outcome: JobOutcome, now: Double) -> (retry: PlannedRun?, actions: [Action]) {
        guard running.removeValue(forKey: run.ticket) != nil else {
            preconditionFailure("finished(\(run.job) #\(run.ticket)) for a run that is not running")
        }
        var retry: PlannedRun?
        if outcome == .error || outcome == .timeout, let spec = jobs[run.job], run.attempt <= spec.retries {
            let delay = Self.retryBackoff.delay(retry: run.attempt, fraction: random.fraction())
            retry = run.retry(at: now + delay.seconds)
            retries.append(retry!)
        } else {
            release(run.job)
        }
        return (retry, dispatch())
    }

    /// `osprey jobs run NAME`: queue a run now, outside the schedule (the schedule is not shifted).
    public mutating func runNow(_ job: String, now: Double) -> Result<(PlannedRun, [Action]), Refusal> {
        guard let spec = jobs[job] else { return .failure(.unknownJob(job)) }
        guard inFlight[job, default: 0] < spec.maxConcurrency else { return .failure(.busy(job, maxConcurrency: spec.maxConcurrency)) }
        let run = PlannedRun(ticket: takeTicket(), job: job, scheduledAt: Int64(now.rounded(.down)), fireAt: now, attempt: 1, trigger: .manual)
        let actions = enqueue(run, spec: spec)
        if actions.contains(.drop(run)) { return .failure(.queueFull(job)) }
        return .success((run, actions + dispatch()))
    }

    /// A reload: new, changed and removed jobs take effect; running runs finish; a job whose timing did not
    /// change keeps its armed time.
    public mutating func apply(settings newSettings: SchedulerSettings, jobs newJobs: [JobSpec], now: Double) -> [Action] {
        var actions: [Action] = []
        if newSettings.queueSize != settings.queueSize {
            var resized = RunQueue<PlannedRun>(capacity: newSettings.queueSize)
            for run in queue.ordered {
                guard let dropped = resized.push(run, priority: jobs[run.job]?.priority ?? .low) else { continue }
                release(dropped.job)
                actions.append(.drop(dropped))
            }
            queue = resized
        }
        settings = newSettings
        let incoming = Dictionary(newJobs.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        for name in jobs.keys where incoming[name] == nil {
            jobs[name] = nil
            timers[name] = nil
            for retry in retries where retry.job == name { release(retry.job) }
            retries.removeAll { $0.job == name }
        }
        for spec in newJobs {
            let old = jobs[spec.name]
            jobs[spec.name] = spec
            if old.map({ !Self.sameTiming($0, spec) }) ?? true {
                timers[spec.name] = nil
                arm(spec, now: now)
            }
        }
        return actions + dispatch()
    }

    // MARK: Queries

    /// The earliest time something becomes due; the scheduler sleeps until then.
    public var nextWake: Double? {
        // Read on every turn of the scheduler's loop: no intermediate arrays.
        let timer = timers.values.lazy.map(\.fireAt).min()
        let retry = retries.lazy.map(\.fireAt).min()
        guard let timer, let retry else { return timer ?? retry }
        return min(timer, retry)
    }

    /// Jobs whose timer fired (and was re-armed) in the last `tick`.
    public private(set) var fired: [String] = []

    public var queueDepth: Int { queue.count }
    public var runningCount: Int { running.count }

    /// When the job next fires (its timer or a pending retry), nil if disabled or removed.
    public func nextFire(of job: String) -> Double? {
        ([timers[job]?.fireAt] + retries.filter { $0.job == job }.map(\.fireAt)).compactMap { $0 }.min()
    }

    public func runningRuns(of job: String) -> Int {
        running.values.count { $0.job == job }
    }

    public func queuedRuns(of job: String) -> Int {
        queue.ordered.count { $0.job == job }
    }

    // MARK: Internals

    private mutating func arm(_ spec: JobSpec, now: Double) {
        guard spec.enabled else { return }
        timers[spec.name] = JobTimeline.firstDue(spec, lastScheduled: lastScheduled[spec.name], now: Int64(now.rounded(.down)))
            .map { plan(spec, slot: $0, notBefore: now) }
    }

    /// A run is never due before the moment it was planned (a job due "now" at start is not late by the
    /// fraction of a second its whole-second slot lies in the past).
    private mutating func plan(_ spec: JobSpec, slot: Int64, notBefore: Double = 0) -> PlannedRun {
        let jitter = spec.jitter > .zero ? spec.jitter.seconds * random.fraction() : 0
        let fireAt = max(Double(slot) + jitter, notBefore)
        return PlannedRun(ticket: takeTicket(), job: spec.name, scheduledAt: slot, fireAt: fireAt, attempt: 1, trigger: .schedule)
    }

    private mutating func enqueue(_ run: PlannedRun, spec: JobSpec, checkOverlap: Bool = true) -> [Action] {
        if checkOverlap && inFlight[run.job, default: 0] >= spec.maxConcurrency {
            return [.skip(run, reason: "the previous run is still in progress")]
        }
        inFlight[run.job, default: 0] += 1
        guard let dropped = queue.push(run, priority: spec.priority) else { return [] }
        release(dropped.job)
        return [.drop(dropped)]
    }

    private mutating func dispatch() -> [Action] {
        var actions: [Action] = []
        while running.count < settings.workers, let run = queue.pop() {
            guard let spec = jobs[run.job] else {
                release(run.job)
                actions.append(.skip(run, reason: "the job was removed from the configuration"))
                continue
            }
            running[run.ticket] = run
            actions.append(.start(run, spec))
        }
        return actions
    }

    private mutating func release(_ job: String) {
        let left = inFlight[job, default: 0] - 1
        inFlight[job] = left > 0 ? left : nil
    }

    private mutating func takeTicket() -> UInt64 {
        defer { nextTicket += 1 }
        return nextTicket
    }

    private static func sameTiming(_ a: JobSpec, _ b: JobSpec) -> Bool {
        a.timing == b.timing && a.jitter == b.jitter && a.enabled == b.enabled && a.catchUp == b.catchUp
    }

    private static func firingOrder(_ a: PlannedRun, _ b: PlannedRun) -> Bool {
        (a.fireAt, a.ticket) < (b.fireAt, b.ticket)
    }
}

extension Duration {
    /// Seconds as a Double, for wall-clock arithmetic.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    /// Whole nanoseconds, for metric timers.
    public var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

extension SchedulerBook.Refusal: CodedError {
    public var code: String {
        switch self {
        case .unknownJob: "unknown_job"
        case .busy: "busy"
        case .queueFull: "queue_full"
        case .shuttingDown: "shutting_down"
        }
    }
}
