import Logging
import Metrics
import OspreyCore
import ServiceLifecycle

/// Sends WATCHDOG=1 every half watchdog interval, but only while every registered component's heartbeat
/// is current. When one stalls the pings stop, so systemd kills and restarts a wedged daemon.
public struct WatchdogService<C: Clock>: Service, CustomStringConvertible where C.Duration == Duration {
    public var description: String { "watchdog" }
    private let notifier: any ServiceNotifier
    private let heartbeats: HeartbeatRegistry
    private let logger: Logger
    private let clock: C

    public init(notifier: any ServiceNotifier, heartbeats: HeartbeatRegistry, logger: Logger, clock: C) {
        self.notifier = notifier
        self.heartbeats = heartbeats
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        guard let interval = notifier.watchdogInterval else {
            try? await gracefulShutdown()  // no watchdog requested: nothing to do until shutdown
            return
        }
        let pings = Counter(label: MetricCatalog.watchdogPings.name)
        let stalledGauge = Gauge(label: MetricCatalog.watchdogStalled.name)
        var reported: [String] = []
        while !Task.isShuttingDownGracefully {
            let stalled = heartbeats.stalled()
            stalledGauge.record(stalled.count)
            if stalled.isEmpty {
                notifier.watchdogPing()
                pings.increment()
                if !reported.isEmpty { logger.notice("all components responding again; watchdog pings resumed") }
            } else if stalled != reported {
                logger.critical("components stopped responding; withholding watchdog pings so systemd restarts osprey",
                                metadata: ["components": "\(stalled.joined(separator: ","))"])
            }
            reported = stalled
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval / 2) }
            } catch {
                return
            }
        }
    }
}
