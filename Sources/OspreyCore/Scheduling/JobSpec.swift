/// How urgently a job's runs are dispatched when workers are scarce; low-priority runs are the ones dropped
/// when the queue is full.
public enum JobPriority: String, Sendable, CaseIterable, Comparable, Codable {
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

    /// `[a-z0-9-]`, 1 to 64 characters: the `job` label of every job metric (and the rule of signal names).
    public static func nameProblem(_ name: String, noun: String = "job") -> String? {
        let valid = !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return valid ? nil : "a \(noun) name is 1 to 64 characters of a-z, 0-9 and '-'"
    }
}

/// A kind of job a subsystem provides, with the `args` it accepts. Arguments are validated with the rest of
/// the configuration, so a handler reads them without failing.
public struct JobKind: Sendable {
    public enum Argument: Sendable {
        case integer(ClosedRange<Int64>, default: Int64)
        case duration(minimum: Duration, default: Duration)
        /// The name of a configured `[sources.<name>]` (checked against the sources), required.
        case source
        /// The name of a configured `[[strategy]]`, required.
        case strategy
    }

    public let name: String
    public let arguments: [String: Argument]

    public init(_ name: String, arguments: [String: Argument] = [:]) {
        self.name = name
        self.arguments = arguments
    }

    /// Why `text` is not a valid value of argument `key`, or nil if it is (or `key` is unknown).
    public func problem(_ key: String, _ text: String) -> String? {
        switch arguments[key] {
        case .integer(let range, _)?:
            guard let value = Int64(text), range.contains(value) else {
                return "\(key) must be an integer from \(range.lowerBound) to \(range.upperBound), got \(text)"
            }
        case .duration(let minimum, _)?:
            guard let value = DurationText.parse(text), value >= minimum else {
                return "\(key) must be a duration of at least \(DurationText.format(minimum)) like \"30d\" and at most 36500d, got \"\(text)\""
            }
        case .source?, .strategy?, nil:
            return nil
        }
        return nil
    }

    /// The integer argument `key` from validated `args`, or its default.
    public func integer(_ key: String, in args: [String: String]) -> Int64 {
        guard case .integer(_, let fallback)? = arguments[key] else { preconditionFailure("\(name) has no integer argument \(key)") }
        return args[key].flatMap { Int64($0) } ?? fallback
    }

    /// The duration argument `key` from validated `args`, or its default.
    public func duration(_ key: String, in args: [String: String]) -> Duration {
        guard case .duration(_, let fallback)? = arguments[key] else { preconditionFailure("\(name) has no duration argument \(key)") }
        return args[key].flatMap(DurationText.parse) ?? fallback
    }
}

/// The job kinds subsystems provide. A `[[job]]` naming any other kind is a configuration error.
public enum JobKinds {
    /// Online copy of the database into `<state_dir>/backups/`, verified, keeping the newest `keep`.
    public static let backup = JobKind("db.backup", arguments: ["keep": .integer(1...1000, default: 7)])
    /// Deletes run history (and later other time series) older than `older_than`.
    public static let prune = JobKind("db.prune", arguments: ["older_than": .duration(minimum: .seconds(3600), default: .seconds(30 * 86400))])

    /// One pass over a market source: fetch, merge into the tracked set, persist, evaluate signals.
    public static let scan = JobKind("scan", arguments: ["source": .source])

    /// Settles every pending, unknown or open order with the exchange and imports fills.
    public static let reconcile = JobKind("orders.reconcile", arguments: [:])

    /// Runs one `[[strategy]]`: exits of its positions, then (kline strategies) entries on closed candles.
    public static let evaluate = JobKind("strategy.evaluate", arguments: ["strategy": .strategy])

    public static let all: [JobKind] = [backup, prune, scan, reconcile, evaluate]
    public static var known: [String] { all.map(\.name) }

    public static func named(_ name: String) -> JobKind? {
        all.first { $0.name == name }
    }
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
