/// A run the scheduler knows about: armed on a timer, waiting for a retry, queued or running.
public struct PlannedRun: Sendable, Hashable {
    /// Unique per run; every attempt of the run keeps it (an `osprey jobs run` waits on it).
    public let ticket: UInt64
    public let job: String
    /// The slot the run belongs to (Unix seconds, before jitter).
    public let scheduledAt: Int64
    /// When it may start (Unix seconds): the slot plus jitter, or a retry's backoff.
    public let fireAt: Double
    public let attempt: Int
    public let trigger: RunTrigger

    public init(ticket: UInt64, job: String, scheduledAt: Int64, fireAt: Double, attempt: Int, trigger: RunTrigger) {
        self.ticket = ticket
        self.job = job
        self.scheduledAt = scheduledAt
        self.fireAt = fireAt
        self.attempt = attempt
        self.trigger = trigger
    }

    func retry(at fireAt: Double) -> PlannedRun {
        PlannedRun(ticket: ticket, job: job, scheduledAt: scheduledAt, fireAt: fireAt, attempt: attempt + 1, trigger: trigger)
    }
}
