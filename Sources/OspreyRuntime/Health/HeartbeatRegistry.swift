import OspreyCore
import Synchronization

/// The shared, thread-safe `HeartbeatBook` on the continuous clock: components beat, the watchdog reads.
public final class HeartbeatRegistry: Sendable {
    private let book = Mutex(HeartbeatBook<ContinuousClock.Instant>())
    private let clock = ContinuousClock()

    public init() {}

    public func register(_ component: String, allowedSilence: Duration) {
        let now = clock.now
        book.withLock { $0.register(component, allowedSilence: allowedSilence, now: now) }
    }

    public func unregister(_ component: String) {
        book.withLock { $0.unregister(component) }
    }

    public func beat(_ component: String) {
        let now = clock.now
        book.withLock { $0.beat(component, at: now) }
    }

    /// Components whose heartbeat is overdue, sorted; empty (without allocating) when all are current.
    public func stalled() -> [String] {
        let now = clock.now
        guard book.withLock({ $0.anyStalled(at: now) }) else { return [] }
        return book.withLock { $0.stalled(at: now) }
    }

    /// The registered components, sorted.
    public var components: [String] { book.withLock { $0.components } }

}
