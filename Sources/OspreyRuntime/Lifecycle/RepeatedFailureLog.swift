import Logging
import Synchronization

/// A failure that repeats every few hundred milliseconds (a WAL checkpoint on a full disk) is logged when it
/// starts, then at most once per `interval` with how often it happened meanwhile, and once when it clears:
/// the journal shows the problem without being flooded by it.
public final class RepeatedFailureLog: Sendable {
    private struct State {
        var failing = false
        var lastLogged: ContinuousClock.Instant?
        var unlogged = 0
        var total = 0
    }

    private let logger: Logger
    private let message: String
    private let interval: Duration
    private let state = Mutex(State())

    public init(_ message: String, logger: Logger, interval: Duration = .seconds(60)) {
        (self.message, self.logger, self.interval) = (message, logger, interval)
    }

    /// Records one attempt: `error` nil when it succeeded.
    public func record(_ error: (any Error)?, now: ContinuousClock.Instant = .now) {
        guard let error else {
            let cleared: Int? = state.withLock { state in
                guard state.failing else { return nil }
                defer { state = State() }
                return state.total
            }
            if let cleared { logger.notice("\(message): recovered", metadata: ["failures": "\(cleared)"]) }
            return
        }
        let repeated: Int? = state.withLock { state in
            state.failing = true
            state.total += 1
            if let last = state.lastLogged, last.duration(to: now) < interval {
                state.unlogged += 1
                return nil
            }
            defer { (state.lastLogged, state.unlogged) = (now, 0) }
            return state.unlogged
        }
        if let repeated {
            logger.warning("\(message)", metadata: ["error": "\(error)", "repeated": "\(repeated)"])
        }
    }
}
