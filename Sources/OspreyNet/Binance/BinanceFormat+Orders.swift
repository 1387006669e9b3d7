import OspreyCore

/// Binance spot's signed replies: an order (`POST/GET/DELETE /api/v3/order`, `openOrders`), trades
/// (`myTrades`), balances (`account`) and the server time.
extension BinanceFormat {
    public static func order(_ item: JSON) throws(MarketShapeError) -> ExchangeOrder {
        guard let symbol = item["symbol"]?.string, let orderId = item["orderId"]?.integer, let client = item["clientOrderId"]?.string,
              let side = item["side"]?.string.flatMap(OrderSide.init(rawValue:)), let type = item["type"]?.string.flatMap(OrderType.init(rawValue:)),
              let status = item["status"]?.string, let quantity = item["origQty"]?.decimal, let price = item["price"]?.decimal,
              let executed = item["executedQty"]?.decimal, let quote = item["cummulativeQuoteQty"]?.decimal
        else { throw MarketShapeError(description: "an order reply lacks symbol, orderId, clientOrderId, side, type, status or amounts") }
        let time = item["updateTime"]?.integer ?? item["workingTime"]?.integer ?? item["transactTime"]?.integer ?? item["time"]?.integer ?? 0
        return ExchangeOrder(
            symbol: symbol, orderId: orderId, clientOrderId: client, side: side, type: type, status: status, quantity: quantity, price: price,
            executedQuantity: executed, cumulativeQuote: quote, updateTime: time)
    }

    public static func orders(_ document: JSON) throws(MarketShapeError) -> [ExchangeOrder] {
        guard let list = document.array else { throw MarketShapeError(description: "expected an array of orders") }
        var orders: [ExchangeOrder] = []
        for item in list { orders.append(try order(item)) }
        return orders
    }

    /// `myTrades` rows; `clientOrderId` is the ledger's (the reply does not carry it).
    public static func trades(_ document: JSON, clientOrderId: String) throws(MarketShapeError) -> [Fill] {
        guard let list = document.array else { throw MarketShapeError(description: "expected an array of trades") }
        var fills: [Fill] = []
        for item in list {
            guard let symbol = item["symbol"]?.string, let id = item["id"]?.integer, let orderId = item["orderId"]?.integer,
                  let price = item["price"]?.decimal, let quantity = item["qty"]?.decimal, let quote = item["quoteQty"]?.decimal,
                  let commission = item["commission"]?.decimal, let asset = item["commissionAsset"]?.string, let time = item["time"]?.integer,
                  let buyer = item["isBuyer"]?.boolean
            else { throw MarketShapeError(description: "trade \(fills.count) lacks id, orderId, price, qty, quoteQty, commission or time") }
            fills.append(Fill(
                symbol: symbol, tradeId: id, orderId: orderId, clientOrderId: clientOrderId, side: buyer ? .buy : .sell, price: price,
                quantity: quantity, quoteQuantity: quote, commission: commission, commissionAsset: asset, time: time))
        }
        return fills
    }

    /// `account` → free balance per asset (zero balances left out).
    public static func balances(_ document: JSON) throws(MarketShapeError) -> [String: Decimal] {
        guard let list = document["balances"]?.array else { throw MarketShapeError(description: "expected an account with \"balances\"") }
        var balances: [String: Decimal] = [:]
        for item in list {
            guard let asset = item["asset"]?.string, let free = item["free"]?.decimal else {
                throw MarketShapeError(description: "balance \(balances.count) lacks asset or free")
            }
            if !free.isZero { balances[asset] = free }
        }
        return balances
    }

    public static func serverTime(_ document: JSON) throws(MarketShapeError) -> Int64 {
        guard let time = document["serverTime"]?.integer else { throw MarketShapeError(description: "expected {\"serverTime\": milliseconds}") }
        return time
    }

    /// Binance's error code, if the body is `{"code": -2010, "msg": …}`.
    public static func errorCode(_ document: JSON) -> Int64? {
        document["code"]?.integer
    }
}
