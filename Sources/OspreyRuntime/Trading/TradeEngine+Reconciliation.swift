import Logging
import Metrics
import OspreyCore

extension TradeEngine {
    public struct ReconcileSummary: Sendable, Equatable {
        public var checked = 0
        public var stillUnknown = 0
        public var adopted = 0
    }

    /// Settles every pending, unknown or open order with the exchange, imports their fills, and adopts
    /// orders carrying this ledger's prefix that the ledger does not hold.
    @discardableResult
    public func reconcile() async throws -> ReconcileSummary {
        var summary = ReconcileSummary()
        for order in try ledger.unsettled(exchange: exchange.name) {
            let settled = try await resolve(order)
            summary.checked += 1
            if settled.status.isUnresolved { summary.stillUnknown += 1 }
        }
        // Listing every open order weighs 80 on Binance: the adoption scan runs at start and then once a minute.
        if let ids, wallClock() - lastAdoptionScan >= 60 {
            lastAdoptionScan = wallClock()
            do {
                for order in try await exchange.openOrders() where ids.sequence(of: order.clientOrderId) != nil {
                    guard try ledger.order(clientOrderId: order.clientOrderId) == nil else { continue }
                    let adopted = try await ledger.adopt(order, exchange: exchange.name, at: wallClock())
                    summary.adopted += 1
                    logger.critical("an exchange order with Osprey's prefix was missing from the ledger: adopted", metadata: metadata(adopted))
                    _ = try await importFills(adopted)
                }
            } catch {
                logger.warning("open orders could not be listed for adoption", metadata: ["error": "\(error)"])
            }
        }
        metrics.unknown.record(Double(summary.stillUnknown))
        await refreshValuation()
        return summary
    }
}
