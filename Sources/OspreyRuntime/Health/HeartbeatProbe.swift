import Logging
import OspreyCore
import ServiceLifecycle

/// Proves a component is alive by running its probe on an interval and beating after each return.
/// A probe that fails still beats (the component answers; its health says it is down); a probe that
/// hangs stops beating, which is what the watchdog acts on.
public struct HeartbeatProbe<C: Clock>: Service, CustomStringConvertible where C.Duration == Duration {
    public var description: String { "heartbeat(\(component))" }
    public let component: String
    private let interval: Duration
    private let allowedSilence: Duration
    private let heartbeats: HeartbeatRegistry
    private let health: HealthRegistry
    private let probe: @Sendable () async throws -> Void
    private let clock: C

    public init(
        component: String, interval: Duration, allowedSilence: Duration,
        heartbeats: HeartbeatRegistry, health: HealthRegistry, clock: C,
        probe: @escaping @Sendable () async throws -> Void
    ) {
        self.component = component
        self.interval = interval
        self.allowedSilence = allowedSilence
        self.heartbeats = heartbeats
        self.health = health
        self.clock = clock
        self.probe = probe
    }

    public func run() async throws {
        heartbeats.register(component, allowedSilence: allowedSilence)
        defer { heartbeats.unregister(component) }
        while !Task.isShuttingDownGracefully {
            do {
                try await probe()
                health.set(component, ComponentHealth(status: .up, detail: "responding"))
            } catch {
                health.set(component, ComponentHealth(status: .down, detail: "\(error)"))
            }
            heartbeats.beat(component)
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
