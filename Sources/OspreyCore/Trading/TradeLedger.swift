/// An order Osprey is about to send, before it has a ledger id.
public struct NewIntent: Sendable, Equatable {
    public var exchange: String
    /// What will be sent; its `clientOrderId` is left empty: the ledger makes it from the intent's id.
    public var request: OrderRequest
    public var reason: String
    public var createdAt: Double
    /// Exchange milliseconds: the request's timestamp plus its receive window.
    public var deadline: Int64

    public init(
        exchange: String, symbol: String, side: OrderSide, type: OrderType, quantity: Decimal? = nil, quoteQuantity: Decimal? = nil,
        price: Decimal? = nil, timeInForce: TimeInForce? = nil, reason: String, createdAt: Double, deadline: Int64
    ) {
        self.exchange = exchange
        request = OrderRequest(
            clientOrderId: "", symbol: symbol, side: side, type: type, quantity: quantity, quoteQuantity: quoteQuantity, price: price,
            timeInForce: timeInForce)
        self.reason = reason
        self.createdAt = createdAt
        self.deadline = deadline
    }
}

/// Trading switches that survive restarts.
public struct TradingFlags: Sendable, Equatable, Codable {
    /// `osprey trading pause`: no new entries until `resume`.
    public var paused: Bool
    /// Why the kill switch tripped; nil when it is not active. Cleared only by `osprey trading resume`.
    public var killSwitch: String?

    public init(paused: Bool = false, killSwitch: String? = nil) {
        self.paused = paused
        self.killSwitch = killSwitch
    }
}

/// Where orders and fills are kept (SQLite in the daemon). Every write that changes what Osprey believes
/// about money is durable (`synchronous=FULL`) before the call returns.
public protocol TradeLedger: Sendable {
    /// The durable store the ledger writes to (one write-ahead log): an exchange that keeps its books in the
    /// same store can tell, and spare the intent its own fsync.
    var store: ObjectIdentifier { get }
    /// This ledger's client order id scheme (its tag is made once, at first use).
    func clientOrderIDs() throws -> ClientOrderID
    /// Commits the intent and returns it with its id and client order id; only then may its request leave.
    /// `fsync` false only for an exchange that keeps its books in this ledger's database
    /// (`Exchange.keepsBooks(with:)`): the commit is ordered before the exchange's, which is durable.
    func record(_ intent: NewIntent, fsync: Bool) async throws -> LedgerOrder
    func save(_ order: LedgerOrder) async throws
    /// An exchange order carrying this ledger's prefix that the ledger does not hold (a database restored
    /// from an older backup): recorded under its own sequence number.
    func adopt(_ order: ExchangeOrder, exchange: String, at now: Double) async throws -> LedgerOrder
    /// Records fills not yet recorded; returns those that were new.
    func record(fills: [Fill], exchange: String) async throws -> [Fill]
    /// Orders of `exchange` that are pending, unknown or open, oldest first.
    func unsettled(exchange: String) throws -> [LedgerOrder]
    /// Newest first.
    func orders(unsettledOnly: Bool, limit: Int) throws -> [LedgerOrder]
    func order(clientOrderId: String) throws -> LedgerOrder?
    /// Every fill of `exchange`, oldest first: positions are rebuilt from them.
    func fills(exchange: String) throws -> [Fill]
    func flags() throws -> TradingFlags
    func setFlags(_ flags: TradingFlags) async throws
}

extension TradeLedger {
    /// Commits the intent durably (`synchronous=FULL`).
    public func record(_ intent: NewIntent) async throws -> LedgerOrder { try await record(intent, fsync: true) }
}
