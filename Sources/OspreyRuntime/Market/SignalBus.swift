import OspreyCore
import Synchronization

/// Publishes signals in process to whoever listens (the trade engine, notifiers). Each subscriber has its
/// own bounded buffer: a slow one loses its oldest signals, never blocks the scanner.
public final class SignalBus: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Signal>.Continuation]>([:])
    private let nextID = Mutex(0)

    public init() {}

    public func subscribe(buffer: Int = 1000) -> AsyncStream<Signal> {
        let (stream, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(buffer))
        let id = nextID.withLock { id in
            id += 1
            return id
        }
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { $0[id] = nil } }
        return stream
    }

    public func publish(_ signals: [Signal]) {
        guard !signals.isEmpty else { return }
        for continuation in subscribers.withLock({ Array($0.values) }) {
            for signal in signals { continuation.yield(signal) }
        }
    }
}
