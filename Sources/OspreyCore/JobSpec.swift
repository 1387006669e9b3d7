/// How urgently a job's runs are dispatched when workers are scarce; low-priority runs are the ones dropped
/// when the queue is full.
public enum JobPriority: String, Sendable, CaseIterable, Comparable {
    case high, normal, low

    public static func < (lhs: JobPriority, rhs: JobPriority) -> Bool {
        allCases.firstIndex(of: lhs)! > allCases.firstIndex(of: rhs)!
    }
}

/// What to do with runs missed while the daemon was down.
public enum CatchUp: String, Sendable, CaseIterable {
    /// Run once at start if at least one run was missed.
    case once
    /// Wait for the next regular time.
    case skip
}

public enum JobTiming: Sendable, Equatable {
    case every(Duration)
    case cron(CronSchedule)
}

/// One `[[job]]` from the configuration, validated.
public struct JobSpec: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var timing: JobTiming
    public var jitter: Duration
    public var timeout: Duration
    public var priority: JobPriority
    public var retries: Int
    public var enabled: Bool
    public var maxConcurrency: Int
    public var catchUp: CatchUp
    public var args: [String: String]

    public init(
        name: String, kind: String, timing: JobTiming, jitter: Duration = .zero, timeout: Duration = .seconds(300),
        priority: JobPriority = .normal, retries: Int = 0, enabled: Bool = true, maxConcurrency: Int = 1,
        catchUp: CatchUp = .once, args: [String: String] = [:]
    ) {
        self.name = name
        self.kind = kind
        self.timing = timing
        self.jitter = jitter
        self.timeout = timeout
        self.priority = priority
        self.retries = retries
        self.enabled = enabled
        self.maxConcurrency = maxConcurrency
        self.catchUp = catchUp
        self.args = args
    }

    /// `[a-z0-9-]`, 1 to 64 characters: the `job` label of every job metric.
    public static func nameProblem(_ name: String) -> String? {
        let valid = !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return valid ? nil : "a job name is 1 to 64 characters of a-z, 0-9 and '-'"
    }
}

/// The job kinds subsystems provide. A `[[job]]` naming any other kind is a configuration error.
public enum JobKinds {
    public static let known = ["db.backup", "db.prune"]
}

/// `[scheduler]`: the shared worker pool and queue.
public struct SchedulerSettings: Sendable, Equatable {
    /// Runs executing at once, across all jobs.
    public var workers: Int
    /// Runs waiting for a worker; when full, low-priority runs are dropped (and counted).
    public var queueSize: Int

    public init(workers: Int = 4, queueSize: Int = 256) {
        self.workers = workers
        self.queueSize = queueSize
    }
}
