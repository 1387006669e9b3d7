/// One line of `osprey jobs list`: a job's configuration, what it last did and what it does next.
public struct JobStatus: Sendable, Equatable, Codable {
    public var name: String
    public var kind: String
    /// `every 30s` or `cron */5 * * * *`.
    public var schedule: String
    public var priority: JobPriority
    public var enabled: Bool
    /// Unix seconds of the next start (timer or retry); nil when disabled.
    public var nextDue: Double?
    public var running: Int
    public var queued: Int
    public var lastRun: JobRunRecord?
    public var lastSuccess: Double?

    public init(
        name: String, kind: String, schedule: String, priority: JobPriority, enabled: Bool, nextDue: Double?,
        running: Int, queued: Int, lastRun: JobRunRecord?, lastSuccess: Double?
    ) {
        self.name = name
        self.kind = kind
        self.schedule = schedule
        self.priority = priority
        self.enabled = enabled
        self.nextDue = nextDue
        self.running = running
        self.queued = queued
        self.lastRun = lastRun
        self.lastSuccess = lastSuccess
    }
}

extension JobTiming: CustomStringConvertible {
    public var description: String {
        switch self {
        case .every(let interval): "every \(DurationText.format(interval))"
        case .cron(let cron): "cron \(cron.description)"
        }
    }
}
