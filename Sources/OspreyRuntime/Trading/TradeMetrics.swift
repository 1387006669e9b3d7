import Metrics
import OspreyCore

/// The trade engine's series (names and help in `MetricCatalog`).
struct TradeMetrics: Sendable {
    let exchange: String
    let ack: Timer
    let fills: Counter
    let realized = Gauge(label: MetricCatalog.realizedPnL.name)
    let unrealized = Gauge(label: MetricCatalog.unrealizedPnL.name)
    let killSwitch = Gauge(label: MetricCatalog.killSwitchActive.name)
    let unknown = Gauge(label: MetricCatalog.ordersUnknown.name)
    let up = Gauge(label: MetricCatalog.exchangeUp.name)

    init(exchange: String) {
        self.exchange = exchange
        ack = Timer(label: MetricCatalog.orderAck.name, dimensions: [("exchange", exchange)])
        fills = Counter(label: MetricCatalog.fills.name, dimensions: [("exchange", exchange)])
    }

    func order(_ order: LedgerOrder) {
        Counter(label: MetricCatalog.orders.name, dimensions: [
            ("exchange", exchange), ("side", order.request.side.rawValue), ("type", order.request.type.rawValue), ("status", order.status.rawValue),
        ]).increment()
    }

    func position(_ symbol: String, _ value: Decimal) {
        Gauge(label: MetricCatalog.positionQuote.name, dimensions: [("symbol", symbol)]).record(Double(value.description) ?? 0)
    }

    func removePosition(_ symbol: String) {
        Gauge(label: MetricCatalog.positionQuote.name, dimensions: [("symbol", symbol)]).destroy()
    }

    func balance(_ asset: String, _ free: Decimal) {
        Gauge(label: MetricCatalog.balance.name, dimensions: [("asset", asset)]).record(Double(free.description) ?? 0)
    }
}
