/// A spot exchange as the trade engine uses it. Adapters classify every reply into the order lifecycle's
/// events; they never retry an order themselves.
public protocol Exchange: Sendable {
    /// `paper` or `binance`: the ledger keeps each exchange's orders apart.
    var name: String { get }
    /// Milliseconds a signed request stays acceptable after its timestamp.
    var receiveWindow: Int64 { get }
    /// The exchange's clock, in milliseconds (local clock plus the measured offset, measured again when old).
    func now() async -> Int64
    /// Exchange clock minus local clock in seconds, once measured; nil for a simulated exchange.
    var clockOffset: Double? { get }
    func rules(symbol: String) async throws -> SymbolRules
    /// Sends the order; `timestamp` is the one its deadline was computed from. The reply as an event:
    /// `.reported`, `.refused`, `.noAnswer` or `.duplicate`.
    func place(_ request: OrderRequest, timestamp: Int64) async -> OrderEvent
    /// The order by client order id; nil when the exchange has no such order. Throws when it cannot tell.
    func query(symbol: String, clientOrderId: String) async throws -> ExchangeOrder?
    func cancel(symbol: String, clientOrderId: String) async -> OrderEvent
    func openOrders() async throws -> [ExchangeOrder]
    /// Executions of one order.
    func trades(symbol: String, orderId: Int64, clientOrderId: String) async throws -> [Fill]
    /// Free balance per asset.
    func balances() async throws -> [String: Decimal]
    /// True when this exchange writes its books into `ledger`'s own database (paper trading). Its write for
    /// an order then lands in the same write-ahead log after the intent's, and SQLite recovers a log only
    /// as an unbroken, checksummed prefix: no crash or power loss can keep the exchange's order and lose
    /// the intent, so the intent needs no fsync of its own — the exchange's durable commit covers both.
    func keepsBooks(with ledger: any TradeLedger) -> Bool
    /// Why an order for `symbol` cannot be filled now, checked before anything is written (paper trading
    /// needs a price); nil when it can be sent. A remote exchange answers for itself (its `rules`).
    func unmarketable(_ symbol: String) async -> String?
}

extension Exchange {
    /// A remote exchange: the intent must be on disk before the request leaves.
    public func keepsBooks(with ledger: any TradeLedger) -> Bool { false }
    public func unmarketable(_ symbol: String) async -> String? { nil }
}

/// An exchange call that could not be completed; never contains a key or a signature.
public struct ExchangeError: CodedError, Sendable {
    public enum Code: String, Sendable {
        /// The exchange does not list the symbol.
        case unknownSymbol = "unknown_symbol"
        /// No usable answer: a transport failure, an HTTP or exchange error, a hold.
        case noAnswer = "no_answer"
        /// An answer of the wrong shape.
        case malformed
        /// An order that is not this ledger's.
        case foreignOrder = "foreign_order"
    }

    public let reason: Code
    public let description: String
    public var code: String { reason.rawValue }

    public init(_ reason: Code, _ description: String) {
        (self.reason, self.description) = (reason, description)
    }
}
