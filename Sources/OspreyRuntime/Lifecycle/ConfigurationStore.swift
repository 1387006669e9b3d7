import OspreyCore
import Synchronization

/// The running configuration, swapped atomically by a reload. Components read `current` or subscribe to
/// changes; a subscriber applies its live keys and must not fail (validation happened before the swap).
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

    public func subscribe(_ subscriber: @escaping Subscriber) {
        state.withLock { $0.subscribers.append(subscriber) }
    }

    /// Swaps in the effective configuration and tells every subscriber, in registration order.
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
