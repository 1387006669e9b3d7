import OspreyCore
import Synchronization

/// The running configuration, swapped atomically by a reload. A component reads `current` when it is built,
/// then follows its own part through `watch`: typed, applied by a `SettingsFollower` on a task of its own,
/// in reload order, outside any lock.
public final class ConfigurationStore: Sendable {
    public typealias Subscriber = @Sendable (ConfigurationChange) -> Void

    private struct State {
        var loaded: LoadedConfiguration
        var subscribers: [Subscriber] = []
    }

    private let state: Mutex<State>

    public init(_ initial: LoadedConfiguration) {
        state = Mutex(State(loaded: initial))
    }

    public var current: DaemonConfiguration { state.withLock { $0.loaded.configuration } }
    public var files: [String] { state.withLock { $0.loaded.files } }

    /// Runs `hook` inside every reload, before READY=1 is sent: only for what must be in force by then (the
    /// log level, the check of every stored key). Everything else follows its settings with `watch`.
    public func onEveryReload(_ hook: @escaping Subscriber) {
        state.withLock { $0.subscribers.append(hook) }
    }

    /// The part of the configuration `slice` reads, each time a reload changes it, in order (not the value
    /// it has now: the component was built with that).
    public func watch<Slice: Equatable & Sendable>(_ slice: @escaping @Sendable (DaemonConfiguration) -> Slice) -> AsyncStream<Slice> {
        let (stream, continuation) = AsyncStream.makeStream(of: Slice.self)
        let last = Mutex(slice(current))
        onEveryReload { change in
            let next = slice(change.effective)
            let changed = last.withLock { last in
                defer { last = next }
                return last != next
            }
            if changed { continuation.yield(next) }
        }
        return stream
    }

    /// Swaps in the effective configuration and hands the change to every stream, in registration order.
    @discardableResult
    public func apply(_ loaded: LoadedConfiguration) -> ConfigurationChange {
        let (change, subscribers) = state.withLock { state in
            let change = ConfigurationChange(running: state.loaded.configuration, loaded: loaded.configuration)
            state.loaded = LoadedConfiguration(configuration: change.effective, files: loaded.files)
            return (change, state.subscribers)
        }
        for subscriber in subscribers { subscriber(change) }
        return change
    }
}
