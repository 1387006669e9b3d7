import Logging
import OspreyCore
import ServiceLifecycle

/// Brings the trade engine up (rebuild from fills, reconcile with the exchange) and keeps retrying with
/// backoff while the exchange cannot be reached: `/readyz` shows `trading` degraded after a failed attempt,
/// and orders are refused until reconciliation has finished. Afterwards it exports positions, P&L and balances every `interval`.
public struct TradingService: Service, CustomStringConvertible {
    public var description: String { "trading" }
    let engine: TradeEngine
    let health: HealthRegistry
    let interval: Duration
    let logger: Logger

    public init(engine: TradeEngine, health: HealthRegistry, interval: Duration = .seconds(10), logger: Logger) {
        self.engine = engine
        self.health = health
        self.interval = interval
        self.logger = logger
    }

    /// Degraded while the kill switch is active or the exchange clock is more than 500 ms off.
    func readiness() async -> ComponentHealth {
        let flags = await engine.tradingFlags
        if let reason = flags.killSwitch { return ComponentHealth(status: .degraded, detail: "kill switch active: \(reason)", required: false) }
        if let offset = await engine.clockOffset(), abs(offset) > 0.5 {
            return ComponentHealth(status: .degraded, detail: "the exchange clock is \(Int(offset * 1000)) ms off", required: false)
        }
        return ComponentHealth(status: .up, detail: flags.paused ? "paused" : "trading on \(engine.exchangeName)", required: false)
    }

    public func run() async throws {
        var retry = Duration.seconds(1)
        while !Task.isShuttingDownGracefully {
            var wait = interval
            if await engine.isReady {
                await engine.refreshValuation()
                health.set("trading", await readiness())
            } else {
                do {
                    try await engine.start()
                    health.set("trading", await readiness())
                } catch {
                    health.set("trading", ComponentHealth(status: .degraded, detail: "cannot reconcile yet: \(error)", required: false))
                    logger.warning("trading start-up reconciliation failed; retrying", metadata: ["error": "\(error)", "retry_in": "\(retry)"])
                    wait = retry
                    retry = min(retry * 2, .seconds(60))
                }
            }
            do {
                try await cancelWhenGracefulShutdown { [wait] in try await Task.sleep(for: wait) }
            } catch {
                return
            }
        }
    }
}
