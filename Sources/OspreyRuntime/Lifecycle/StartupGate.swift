import Synchronization

/// Sends READY=1 once every listener named at creation has reported itself bound.
public final class StartupGate: Sendable {
    private let remaining: Mutex<Set<String>>
    private let onReady: @Sendable () -> Void

    public init(waitingFor parts: Set<String>, onReady: @escaping @Sendable () -> Void) {
        remaining = Mutex(parts)
        self.onReady = onReady
    }

    public func partReady(_ part: String) {
        let fire = remaining.withLock { remaining in
            remaining.remove(part) != nil && remaining.isEmpty
        }
        if fire { onReady() }
    }
}

