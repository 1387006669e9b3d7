/// How a run ended. `skipped` runs never started: the previous run was still going, or the queue was full.
public enum JobOutcome: String, Sendable, CaseIterable, Codable {
    case ok, error, timeout, skipped
}

/// Why a run exists: its schedule, or an operator's `osprey jobs run`.
public enum RunTrigger: String, Sendable, Codable {
    case schedule, manual
}

/// One recorded attempt of a job, as `osprey jobs history` shows it. Times are Unix seconds (UTC).
public struct JobRunRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var job: String
    /// The slot this run belongs to (the due time before jitter); retries share it.
    public var scheduledAt: Int64
    public var trigger: RunTrigger
    public var attempt: Int
    public var startedAt: Double?
    public var finishedAt: Double?
    /// nil while the run is in progress.
    public var outcome: JobOutcome?
    public var error: String?

    public init(
        id: Int64, job: String, scheduledAt: Int64, trigger: RunTrigger, attempt: Int,
        startedAt: Double?, finishedAt: Double?, outcome: JobOutcome?, error: String?
    ) {
        self.id = id
        self.job = job
        self.scheduledAt = scheduledAt
        self.trigger = trigger
        self.attempt = attempt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.error = error
    }
}

/// What the scheduler needs to know about a job after a restart.
public struct JobRunSummary: Sendable, Equatable {
    /// The slot of the last scheduled (not manual) run, whatever its outcome: the anchor of the next due time.
    public var lastScheduled: Int64?
    /// When the last successful run finished.
    public var lastSuccess: Double?
    /// The last finished run, for `osprey jobs list`.
    public var lastRun: JobRunRecord?

    public init(lastScheduled: Int64? = nil, lastSuccess: Double? = nil, lastRun: JobRunRecord? = nil) {
        self.lastScheduled = lastScheduled
        self.lastSuccess = lastSuccess
        self.lastRun = lastRun
    }
}

/// Where runs are recorded (SQLite in the daemon). The per-run writes are async so that a store can batch
/// them (group commit) without blocking a thread; the rest are short reads at start-up or on request.
public protocol JobRunStore: Sendable {
    /// Records the start of an attempt and returns its run id, once the record is committed.
    func begin(job: String, scheduledAt: Int64, trigger: RunTrigger, attempt: Int, startedAt: Double) async throws -> Int64
    func finish(runID: Int64, finishedAt: Double, outcome: JobOutcome, error: String?) async throws
    /// Records a run that never started.
    func skipped(job: String, scheduledAt: Int64, trigger: RunTrigger, at: Double, reason: String) async throws -> Int64
    /// Closes runs left in progress by a daemon that stopped without finishing them; returns how many.
    func closeInterrupted(at: Double, reason: String) throws -> Int
    func summaries() throws -> [String: JobRunSummary]
    /// The newest runs of `job`, newest first.
    func history(job: String, limit: Int) throws -> [JobRunRecord]
}
