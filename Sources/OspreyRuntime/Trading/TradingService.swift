import Logging
import OspreyCore
import ServiceLifecycle

/// Brings the trade engine up (rebuild from fills, reconcile with the exchange) and keeps retrying with
/// backoff while the exchange cannot be reached: until then `/readyz` shows `trading` degraded and orders
/// are refused. Afterwards it exports positions, P&L and balances every `interval`.
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

    public func run() async throws {
        health.set("trading", ComponentHealth(status: .degraded, detail: "reconciling with the exchange", required: false))
        var retry = Duration.seconds(1)
        while !Task.isShuttingDownGracefully {
            var wait = interval
            if await engine.isReady {
                await engine.refreshValuation()
            } else {
                do {
                    let summary = try await engine.start()
                    let flags = await engine.tradingFlags
                    let detail = flags.killSwitch.map { "kill switch active: \($0)" } ?? (flags.paused ? "paused" : "reconciled \(summary.checked) orders")
                    health.set("trading", ComponentHealth(status: flags.killSwitch == nil ? .up : .degraded, detail: detail, required: false))
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
