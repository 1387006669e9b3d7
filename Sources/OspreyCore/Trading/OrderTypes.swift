public enum OrderSide: String, Sendable, Codable, CaseIterable {
    case buy = "BUY", sell = "SELL"
}

public enum OrderType: String, Sendable, Codable, CaseIterable {
    case market = "MARKET", limit = "LIMIT"
}

public enum TimeInForce: String, Sendable, Codable, CaseIterable {
    case gtc = "GTC", ioc = "IOC"
}

/// An order as the ledger knows it. `pending` and `unknown` are the two states where the exchange may or
/// may not hold the order: both are resolved by asking it (by client order id), never by sending again.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    /// The intent is durable; the request may not have left (a crash between commit and send).
    case pending
    /// The request left and no definite answer came back (timeout, dropped connection, 5xx, -1007, -2010).
    case unknown
    /// Accepted and resting (NEW or PARTIALLY_FILLED).
    case open
    case filled, canceled, rejected, expired
    /// The exchange never had it: absent when queried after the request's window closed.
    case notPlaced = "not_placed"

    public var isFinal: Bool {
        switch self {
        case .filled, .canceled, .rejected, .expired, .notPlaced: true
        case .pending, .unknown, .open: false
        }
    }

    /// Needs the exchange's word before anything else is done about it.
    public var isUnresolved: Bool { self == .pending || self == .unknown }

    /// The ledger status of an exchange status (`NEW`, `PARTIALLY_FILLED`, `FILLED`, `CANCELED`,
    /// `PENDING_CANCEL`, `REJECTED`, `EXPIRED`, `EXPIRED_IN_MATCH`); nil for anything else.
    public init?(exchange status: String) {
        switch status {
        case "NEW", "PARTIALLY_FILLED", "PENDING_NEW", "PENDING_CANCEL": self = .open
        case "FILLED": self = .filled
        case "CANCELED": self = .canceled
        case "REJECTED": self = .rejected
        case "EXPIRED", "EXPIRED_IN_MATCH": self = .expired
        default: return nil
        }
    }
}

/// What Osprey asks an exchange to do; amounts already rounded by the symbol's filters.
public struct OrderRequest: Sendable, Equatable, Codable {
    public var clientOrderId: String
    public var symbol: String
    public var side: OrderSide
    public var type: OrderType
    /// Base-asset quantity (LIMIT, and MARKET by quantity).
    public var quantity: Decimal?
    /// MARKET only: the quote amount to spend (buy) or receive (sell).
    public var quoteQuantity: Decimal?
    /// LIMIT only.
    public var price: Decimal?
    public var timeInForce: TimeInForce?

    public init(
        clientOrderId: String, symbol: String, side: OrderSide, type: OrderType, quantity: Decimal? = nil, quoteQuantity: Decimal? = nil,
        price: Decimal? = nil, timeInForce: TimeInForce? = nil
    ) {
        self.clientOrderId = clientOrderId
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.quoteQuantity = quoteQuantity
        self.price = price
        self.timeInForce = timeInForce
    }
}

/// The exchange's view of one order (a place, query or cancel reply).
public struct ExchangeOrder: Sendable, Equatable {
    public var symbol: String
    public var orderId: Int64
    public var clientOrderId: String
    public var side: OrderSide
    public var type: OrderType
    /// The exchange's status text (`NEW`, `FILLED`…).
    public var status: String
    public var quantity: Decimal
    public var price: Decimal
    public var executedQuantity: Decimal
    /// Quote amount traded so far (`cummulativeQuoteQty`).
    public var cumulativeQuote: Decimal
    /// Milliseconds.
    public var updateTime: Int64

    public init(
        symbol: String, orderId: Int64, clientOrderId: String, side: OrderSide, type: OrderType, status: String, quantity: Decimal,
        price: Decimal, executedQuantity: Decimal, cumulativeQuote: Decimal, updateTime: Int64
    ) {
        self.symbol = symbol
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.side = side
        self.type = type
        self.status = status
        self.quantity = quantity
        self.price = price
        self.executedQuantity = executedQuantity
        self.cumulativeQuote = cumulativeQuote
        self.updateTime = updateTime
    }
}

/// One trade (execution) of an order, as `myTrades` reports it; recorded once per (symbol, id).
public struct Fill: Sendable, Equatable, Codable {
    public var symbol: String
    /// The exchange's trade id.
    public var tradeId: Int64
    public var orderId: Int64
    public var clientOrderId: String
    public var side: OrderSide
    public var price: Decimal
    public var quantity: Decimal
    public var quoteQuantity: Decimal
    public var commission: Decimal
    public var commissionAsset: String
    /// Milliseconds.
    public var time: Int64

    public init(
        symbol: String, tradeId: Int64, orderId: Int64, clientOrderId: String, side: OrderSide, price: Decimal, quantity: Decimal,
        quoteQuantity: Decimal, commission: Decimal, commissionAsset: String, time: Int64
    ) {
        self.symbol = symbol
        self.tradeId = tradeId
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.side = side
        self.price = price
        self.quantity = quantity
        self.quoteQuantity = quoteQuantity
        self.commission = commission
        self.commissionAsset = commissionAsset
        self.time = time
    }
}
