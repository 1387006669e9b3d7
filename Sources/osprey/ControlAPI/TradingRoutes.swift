import OspreyControlClient
import OspreyCore
import OspreyHTTP
import OspreyRuntime

/// What `GET /v1/trading` (and pause/resume) return.
struct TradingStatusPayload: Codable {
    let mode: String
    let exchange: String
    let ready: Bool
    let paused: Bool
    let killSwitch: String?
    let realizedPnlQuote: Decimal
    let openPositions: Int
    let unsettledOrders: Int
}

/// One ledger order as `osprey orders` shows it.
struct OrderView: Codable {
    let id: Int64
    let clientOrderId: String
    let symbol: String
    let side: String
    let type: String
    let status: String
    let quantity: Decimal?
    let quoteQuantity: Decimal?
    let price: Decimal?
    let executedQuantity: Decimal
    let cumulativeQuote: Decimal
    let averagePrice: Decimal?
    let reason: String
    let createdAt: Double
    let updatedAt: Double
    let detail: String

    init(_ order: LedgerOrder) {
        (id, clientOrderId, symbol) = (order.id, order.request.clientOrderId, order.request.symbol)
        (side, type, status) = (order.request.side.rawValue, order.request.type.rawValue, order.status.rawValue)
        (quantity, quoteQuantity, price) = (order.request.quantity, order.request.quoteQuantity, order.request.price)
        (executedQuantity, cumulativeQuote, averagePrice) = (order.executedQuantity, order.cumulativeQuote, order.averagePrice)
        (reason, createdAt, updatedAt, detail) = (order.reason, order.createdAt, order.updatedAt, order.detail)
    }
}

struct OrderListPayload: Codable {
    let orders: [OrderView]
}

struct PositionView: Codable {
    let symbol: String
    let quantity: Decimal
    let costQuote: Decimal
    let averagePrice: Decimal?
    let price: Decimal?
    let unrealizedPnlQuote: Decimal?
    let openedAt: Double
}

struct PositionListPayload: Codable {
    let positions: [PositionView]
}

/// `/v1/trading`, `/v1/orders`, `/v1/positions` and `/v1/trade/*`: manual trading goes through the same
/// risk gates, ledger and reconciliation as strategy orders.
struct TradingRoutes {
    let engine: TradeEngine
    let ledger: any TradeLedger
    let mode: TradingSettings.Mode
    let price: @Sendable (String) async -> Decimal?

    var routes: [ControlRoute] {
        [
            ControlRoute(.get, "/v1/trading") { _ in await status() },
            ControlRoute(.post, "/v1/trading/pause") { _ in
                do { _ = try await engine.pause() } catch { return failure(500, "cannot pause: \(error)") }
                return await status()
            },
            ControlRoute(.post, "/v1/trading/resume") { _ in
                do { _ = try await engine.resume() } catch { return failure(500, "cannot resume: \(error)") }
                return await status()
            },
            ControlRoute(.get, "/v1/orders") { request in
                guard let limit = MarketRoutes.limit(request.query["limit"]) else { return failure(400, "limit must be an integer from 1 to 10000") }
                do {
                    let orders = try ledger.orders(unsettledOnly: request.query["open"] == "true", limit: limit)
                    return (200, ControlCodec.encode(OrderListPayload(orders: orders.map(OrderView.init))))
                } catch {
                    return failure(500, "cannot read the ledger: \(error)")
                }
            },
            ControlRoute(.get, "/v1/positions") { _ in
                var views: [PositionView] = []
                for position in await engine.positions() {
                    let last = await price(position.symbol)
                    views.append(PositionView(
                        symbol: position.symbol, quantity: position.quantity, costQuote: position.cost, averagePrice: position.averagePrice,
                        price: last, unrealizedPnlQuote: last.map { position.unrealized(at: $0) }, openedAt: position.openedAt))
                }
                return (200, ControlCodec.encode(PositionListPayload(positions: views)))
            },
            ControlRoute(.post, "/v1/trade/buy") { request in
                guard let body = ControlCodec.decode(TradeRequestPayload.self, from: request.body) else {
                    return failure(400, #"expected {"symbol": "BTCUSDT", "quote": "25"} or {"symbol": "BTCUSDT", "quantity": "0.001", "price": "50000"}"#)
                }
                if let limit = limitOrder(body, side: .buy) { return await limit() }
                guard let quote = body.quote else { return failure(400, "a market buy needs quote, the amount to spend") }
                return await trade { try await engine.buy(symbol: body.symbol, quote: quote, reason: "manual") }
            },
            ControlRoute(.post, "/v1/trade/sell") { request in
                guard let body = ControlCodec.decode(TradeRequestPayload.self, from: request.body) else {
                    return failure(400, #"expected {"symbol": "BTCUSDT", "quantity": "0.5"} or {"symbol": "BTCUSDT", "all": true}"#)
                }
                if let limit = limitOrder(body, side: .sell) { return await limit() }
                guard (body.quantity != nil) != (body.all == true) else { return failure(400, "a market sell needs either quantity or all") }
                return await trade { try await engine.sell(symbol: body.symbol, quantity: body.quantity, reason: "manual") }
            },
            ControlRoute(.post, "/v1/trade/cancel") { request in
                guard let body = ControlCodec.decode(CancelRequestPayload.self, from: request.body) else {
                    return failure(400, #"expected {"client_order_id": "osp…"}"#)
                }
                return await trade { try await engine.cancel(clientOrderId: body.clientOrderId) }
            },
        ]
    }

    /// A LIMIT order when the body has a price; nil for a market order.
    private func limitOrder(_ body: TradeRequestPayload, side: OrderSide) -> (() async -> (status: Int, json: String))? {
        guard let price = body.price else { return nil }
        guard let quantity = body.quantity else { return { failure(400, "a limit order needs quantity") } }
        guard let timeInForce = TimeInForce(rawValue: body.timeInForce ?? "GTC") else { return { failure(400, "time_in_force is GTC or IOC") } }
        return {
            await trade {
                try await engine.limit(symbol: body.symbol, side: side, quantity: quantity, price: price, timeInForce: timeInForce, reason: "manual")
            }
        }
    }

    private func trade(_ body: () async throws -> LedgerOrder) async -> (status: Int, json: String) {
        do {
            return (200, ControlCodec.encode(OrderView(try await body())))
        } catch let refusal as TradeRefusal {
            return failure(422, refusal.description)
        } catch {
            return failure(500, "the order could not be recorded: \(error)")
        }
    }

    private func status() async -> (status: Int, json: String) {
        let flags = await engine.tradingFlags
        let unsettled = (try? ledger.orders(unsettledOnly: true, limit: 10_000).count) ?? 0
        return (200, ControlCodec.encode(TradingStatusPayload(
            mode: mode.rawValue, exchange: engine.exchangeName, ready: await engine.isReady, paused: flags.paused, killSwitch: flags.killSwitch,
            realizedPnlQuote: await engine.realized, openPositions: await engine.positions().count, unsettledOrders: unsettled)))
    }

    private func failure(_ status: Int, _ message: String) -> (status: Int, json: String) {
        (status, ControlCodec.encode(ErrorPayload(error: message)))
    }
}
