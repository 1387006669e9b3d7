import OspreyCore

/// `POST /v1/trade/buy` and `/v1/trade/sell` bodies: amounts as decimal strings. With `price`, a LIMIT order
/// of `quantity` (`time_in_force` GTC by default, or IOC).
public struct TradeRequestPayload: Codable, Sendable {
    public let symbol: String
    public var quote: Decimal?
    public var quantity: Decimal?
    public var all: Bool?
    public var price: Decimal?
    public var timeInForce: String?

    public init(symbol: String, quote: Decimal? = nil, quantity: Decimal? = nil, all: Bool? = nil, price: Decimal? = nil, timeInForce: String? = nil) {
        (self.symbol, self.quote, self.quantity, self.all, self.price, self.timeInForce) = (symbol, quote, quantity, all, price, timeInForce)
    }
}

/// `POST /v1/trade/cancel`.
public struct CancelRequestPayload: Codable, Sendable {
    public let clientOrderId: String

    public init(clientOrderId: String) {
        self.clientOrderId = clientOrderId
    }
}
