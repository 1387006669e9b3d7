import Logging
import OspreyCore

/// What a job kind's handler gets for one attempt. The handler must honour task cancellation: a run past its
/// timeout, or one running when the daemon stops, is cancelled.
public struct JobContext: Sendable {
    public let job: String
    public let runID: Int64
    public let attempt: Int
    /// The slot (Unix seconds) this run belongs to.
    public let scheduledAt: Int64
    /// When it was due to start, after jitter or backoff (Unix seconds).
    public let dueAt: Double
    public let args: [String: String]
    /// Carries `job` and `run_id` metadata.
    public let logger: Logger
}

public typealias JobHandler = @Sendable (JobContext) async throws -> Void

/// The job kinds this build can run, by kind name (`db.backup`, `scan`, …), registered by the subsystems.
public struct JobHandlers: Sendable {
    private var handlers: [String: JobHandler]

    public init(_ handlers: [String: JobHandler] = [:]) {
        self.handlers = handlers
    }

    public subscript(kind: String) -> JobHandler? {
        get { handlers[kind] }
        set { handlers[kind] = newValue }
    }
}
