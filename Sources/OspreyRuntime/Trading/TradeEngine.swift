import Logging
import Metrics
import OspreyCore

/// The trade engine: every order goes through the filters and the risk gates, is committed to the ledger,
/// and only then is sent; the exchange's reply moves it through `OrderLifecycle`. A reply that says
/// nothing definite leaves the order `unknown` until a query by client order id settles it: an intent is
/// never sent twice. Fills are recorded before the order's new state, so a crash between the two is
/// repaired by the next reconciliation, and positions and P&L are rebuilt from fills alone.
public actor TradeEngine {
    let exchange: any Exchange
    let ledger: any TradeLedger
    private(set) var settings: TradingSettings
    let price: @Sendable (String) async -> Decimal?
    let wallClock: @Sendable () -> Double
    let logger: Logger
    var portfolio = Portfolio()
    var flags = TradingFlags()
    var ids: ClientOrderID?
    var rules: [String: SymbolRules] = [:]
    var lastEntry: [String: Double] = [:]
    var lastAdoptionScan = -Double.infinity
    var balanceCache: (at: Double, balances: [String: Decimal])?
    /// Who opened each symbol's position: the reason of its latest buy that executed (`strategy:<name>`, `manual`).
    private var owners: [String: String] = [:]
    /// Orders whose cancel request is on its way: a second cancel waits for the first one's answer.
    private var cancelling: Set<String> = []
    var ready = false
    let metrics: TradeMetrics
    /// False for the paper exchange on the ledger's database: its durable commit also covers the intent.
    let intentNeedsFsync: Bool

    public init(
        exchange: any Exchange, ledger: any TradeLedger, settings: TradingSettings, wallClock: @escaping @Sendable () -> Double, logger: Logger,
        price: @escaping @Sendable (String) async -> Decimal?
    ) {
        self.exchange = exchange
        self.ledger = ledger
        self.settings = settings
        self.wallClock = wallClock
        self.logger = logger
        self.price = price
        metrics = TradeMetrics(exchange: exchange.name)
        intentNeedsFsync = !exchange.keepsBooks(with: ledger)
    }

    public var isReady: Bool { ready }

    /// The exchange clock's offset in seconds (measured again when it is a minute old).
    public func clockOffset() async -> Double? {
        _ = await exchange.now()
        return exchange.clockOffset
    }
    public nonisolated var exchangeName: String { exchange.name }
    public var tradingFlags: TradingFlags { flags }

    /// Risk limits and the quote asset are live; the exchange and its mode need a restart.
    public func apply(_ settings: TradingSettings) {
        self.settings = settings
    }

    /// Rebuilds the books from the ledger's fills and reconciles every unsettled order with the exchange
    /// before any new order may be placed.
    @discardableResult
    public func start() async throws -> ReconcileSummary {
        ids = try ledger.clientOrderIDs()
        flags = try ledger.flags()
        portfolio = Portfolio()
        for fill in try ledger.fills(exchange: exchange.name) { await book(fill) }
        owners = [:]
        for order in try ledger.orders(unsettledOnly: false, limit: 10_000).reversed()
        where order.request.side == .buy && !order.executedQuantity.isZero {
            owners[order.request.symbol] = order.reason
        }
        metrics.killSwitch.record(flags.killSwitch == nil ? 0 : 1)
        let summary = try await reconcile()
        ready = true
        logger.notice("trading ready", metadata: [
            "exchange": "\(exchange.name)", "positions": "\(portfolio.openPositions.count)", "reconciled": "\(summary.checked)",
        ])
        return summary
    }

    // MARK: Orders

    /// A MARKET buy spending `quote` of the quote asset: an entry, so the risk gates apply.
    public func buy(symbol: String, quote amount: Decimal, reason: String) async throws -> LedgerOrder {
        try requireReady()
        let symbolRules = try await marketRules(symbol)
        let spend: Decimal
        do {
            try symbolRules.checkTradable(.market)
            spend = try symbolRules.orderQuoteQuantity(amount)
            try symbolRules.checkNotional(spend, type: .market)
        } catch {
            throw TradeRefusal(.filter, "\(error)")
        }
        let previous = try await checkEntry(symbol, quote: spend, rules: symbolRules)
        return try await keepingCooldown(symbol, unless: previous) {
            try await send(symbol: symbol, side: .buy, quantity: nil, quote: spend, reason: reason)
        }
    }

    /// A MARKET sell of `quantity` (nil: the whole position). Exits are never gated by risk limits.
    public func sell(symbol: String, quantity: Decimal?, reason: String) async throws -> LedgerOrder {
        try requireReady()
        let symbolRules = try await marketRules(symbol)
        guard let held = quantity ?? portfolio.positions[symbol].flatMap({ $0.isOpen ? $0.quantity : nil }) else {
            throw TradeRefusal(.holding, "no open \(symbol) position to sell")
        }
        let amount: Decimal
        do {
            try symbolRules.checkTradable(.market)
            amount = try symbolRules.orderQuantity(held, type: .market)
        } catch {
            throw TradeRefusal(.filter, "\(error)")
        }
        if let last = await price(symbol), let notional = amount.multiplied(by: last) {
            do throws(FilterViolation) {
                try symbolRules.checkNotional(notional, type: .market)
            } catch {
                throw TradeRefusal(quantity != nil ? .filter : .holding, quantity != nil ? "\(error)" : """
                    \(symbol): the whole position, \(amount) \(symbolRules.baseAsset) worth \(notional.rounded(scale: 8, .down)) \(symbolRules.quoteAsset), \
                    is below the exchange's minimum order (\(error)); it cannot be sold on its own: buy more, then sell it all
                    """)
            }
        }
        try await checkHolding(amount, of: symbolRules)
        return try await send(symbol: symbol, side: .sell, quantity: amount, quote: nil, reason: reason)
    }

    /// A LIMIT order: the price goes onto the tick (a buy down, a sell up), the quantity onto the step; a
    /// buy is an entry and passes the risk gates at quantity × price.
    public func limit(symbol: String, side: OrderSide, quantity: Decimal, price: Decimal, timeInForce: TimeInForce, reason: String) async throws -> LedgerOrder {
        try requireReady()
        let symbolRules = try await marketRules(symbol)
        let (amount, limit): (Decimal, Decimal)
        do {
            try symbolRules.checkTradable(.limit)
            (amount, limit) = (try symbolRules.orderQuantity(quantity, type: .limit), try symbolRules.orderPrice(price, side: side))
            try symbolRules.checkNotional(amount.multiplied(by: limit) ?? .zero, type: .limit)
        } catch {
            throw TradeRefusal(.filter, "\(error)")
        }
        guard side == .buy else {
            try await checkHolding(amount, of: symbolRules)
            return try await send(symbol: symbol, side: side, type: .limit, quantity: amount, quote: nil, price: limit, timeInForce: timeInForce, reason: reason)
        }
        let previous = try await checkEntry(symbol, quote: amount.multiplied(by: limit) ?? .zero, rules: symbolRules)
        return try await keepingCooldown(symbol, unless: previous) {
            try await send(symbol: symbol, side: side, type: .limit, quantity: amount, quote: nil, price: limit, timeInForce: timeInForce, reason: reason)
        }
    }

    /// Cancels an open order by its client order id; the exchange's answer settles it.
    public func cancel(clientOrderId: String) async throws -> LedgerOrder {
        try requireReady()
        guard let order = try ledger.order(clientOrderId: clientOrderId) else { throw TradeRefusal(.order, "no order \(clientOrderId) in the ledger") }
        guard !order.status.isFinal else { throw TradeRefusal(.order, "\(clientOrderId) is already \(order.status.rawValue)") }
        guard cancelling.insert(clientOrderId).inserted else { throw TradeRefusal(.order, "a cancel of \(clientOrderId) is already on its way") }
        defer { cancelling.remove(clientOrderId) }
        let event = await exchange.cancel(symbol: order.request.symbol, clientOrderId: clientOrderId)
        if case .refused(let reason) = event {
            _ = try await resolve(order)
            throw TradeRefusal(.exchange, "the exchange refused the cancel: \(reason)")
        }
        return try await advance(order, event, followQueries: true)
    }

    private func send(
        symbol: String, side: OrderSide, type: OrderType = .market, quantity: Decimal?, quote: Decimal?, price: Decimal? = nil,
        timeInForce: TimeInForce? = nil, reason: String
    ) async throws -> LedgerOrder {
        let timestamp = await exchange.now()
        let intent = NewIntent(
            exchange: exchange.name, symbol: symbol, side: side, type: type, quantity: quantity, quoteQuantity: quote, price: price,
            timeInForce: timeInForce, reason: reason, createdAt: wallClock(), deadline: timestamp + exchange.receiveWindow)
        let order = try await ledger.record(intent, fsync: intentNeedsFsync)
        transitioned(order)
        let started = ContinuousClock.now
        let event = await exchange.place(order.request, timestamp: timestamp)
        metrics.ack.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        return try await advance(order, event, followQueries: true)
    }

    /// Applies one event: fills first (durable), then the order's new state; queries once if told to.
    private func advance(_ order: LedgerOrder, _ event: OrderEvent, followQueries: Bool) async throws -> LedgerOrder {
        let transition = OrderLifecycle.apply(event, to: order, at: wallClock())
        if let anomaly = transition.anomaly {
            logger.error("order anomaly", metadata: metadata(transition.order).merging(["anomaly": "\(anomaly)"]) { $1 })
        }
        var next = transition.order
        if transition.actions.contains(.importFills) {
            guard try await importFills(next) else { return order }  // fills incomplete: the old state stays for reconciliation
        }
        if transition.changed {
            try await ledger.save(next)
            transitioned(next)
        }
        if followQueries && transition.actions.contains(.query) {
            next = try await resolve(next)
        }
        return next
    }

    /// Asks the exchange about one order by its client order id.
    func resolve(_ order: LedgerOrder) async throws -> LedgerOrder {
        let found: ExchangeOrder?
        do {
            found = try await exchange.query(symbol: order.request.symbol, clientOrderId: order.request.clientOrderId)
            metrics.up.record(1)
        } catch {
            metrics.up.record(0)
            logger.warning("order query failed", metadata: metadata(order).merging(["error": "\(error)", "error.kind": "\(errorCode(error))"]) { $1 })
            return order
        }
        if let found { return try await advance(order, .reported(found), followQueries: false) }
        let windowClosed = await exchange.now() > order.deadline
        return try await advance(order, .absent(windowClosed: windowClosed), followQueries: false)
    }

    /// Records the order's fills; false if they do not yet add up to what the exchange says executed.
    func importFills(_ order: LedgerOrder) async throws -> Bool {
        guard let orderId = order.exchangeOrderId else { return false }
        let fills: [Fill]
        do {
            fills = try await exchange.trades(symbol: order.request.symbol, orderId: orderId, clientOrderId: order.request.clientOrderId)
        } catch {
            logger.warning("fills could not be read", metadata: metadata(order).merging(["error": "\(error)", "error.kind": "\(errorCode(error))"]) { $1 })
            return false
        }
        for fill in try await ledger.record(fills: fills, exchange: exchange.name) {
            await book(fill)
            if fill.side == .buy { owners[fill.symbol] = order.reason }
            if let symbolRules = rules[fill.symbol] { adjustCachedBalances(fill, symbolRules) }
            metrics.fills.increment()
            logger.info("fill recorded", metadata: metadata(order).merging([
                "trade_id": "\(fill.tradeId)", "price": "\(fill.price)", "quantity": "\(fill.quantity)",
            ]) { $1 })
        }
        await exportBooks()
        let total = fills.reduce(Decimal.zero) { $0.adding($1.quantity) ?? $0 }
        return total >= order.executedQuantity
    }

    /// Applies a fill to the books and trips the kill switch if the day's realized loss reached the limit.
    func book(_ fill: Fill) async {
        guard let symbolRules = try? await rulesFor(fill.symbol) else {
            logger.error("a fill of a symbol without rules is not in the positions", metadata: ["symbol": "\(fill.symbol)"])
            return
        }
        portfolio.apply(fill, base: symbolRules.baseAsset, quote: symbolRules.quoteAsset)
        guard ready, flags.killSwitch == nil, RiskGate.tripsKillSwitch(realizedToday: portfolio.realized(onDayOf: wallClock()), limits: settings.risk) else { return }
        let reason = "realized loss today \(portfolio.realized(onDayOf: wallClock())) reached [risk].daily_loss_limit_quote \(settings.risk.dailyLossLimitQuote)"
        await setFlags(TradingFlags(paused: flags.paused, killSwitch: reason))
        logger.error("kill switch tripped: no new entries until `osprey trading resume`", metadata: ["reason": "\(reason)"])
    }

    // MARK: Switches and views

    public func pause() async throws -> TradingFlags {
        await setFlags(TradingFlags(paused: true, killSwitch: flags.killSwitch))
        return flags
    }

    /// Clears both the pause and the kill switch.
    public func resume() async throws -> TradingFlags {
        if let reason = flags.killSwitch { logger.notice("kill switch cleared by an operator", metadata: ["reason": "\(reason)"]) }
        await setFlags(TradingFlags())
        return flags
    }

    private func setFlags(_ new: TradingFlags) async {
        do {
            try await ledger.setFlags(new)
            flags = new
        } catch {
            flags = new  // in force for this run; a restart would lose it, hence the error
            logger.error("trading switches could not be saved", metadata: ["error": "\(error)"])
        }
        metrics.killSwitch.record(flags.killSwitch == nil ? 0 : 1)
    }

    public func positions() -> [Position] { portfolio.openPositions }

    public var realized: Decimal { portfolio.realized }

    /// Who opened each symbol's position (`strategy:<name>`, `manual`): strategies exit only their own.
    public func entryReasons() -> [String: String] { owners }

    // MARK: Helpers

    /// Free balances, read again when older than 5 s (an account read weighs 20 on Binance): an entry the
    /// exchange then finds unaffordable is refused by it (`-2010`), never half-done.
    private func requireReady() throws {
        guard ready else { throw TradeRefusal(.notReady, "trading is not ready: reconciliation with \(exchange.name) has not finished") }
    }

    func rulesFor(_ symbol: String) async throws -> SymbolRules {
        if let known = rules[symbol] { return known }
        let fetched: SymbolRules
        do {
            fetched = try await exchange.rules(symbol: symbol)
        } catch {
            throw TradeRefusal(.symbol, "\(symbol): \(error)")
        }
        rules[symbol] = fetched
        return fetched
    }

    private func transitioned(_ order: LedgerOrder) {
        metrics.order(order)
        let level: Logger.Level = order.status == .rejected || order.status == .unknown ? .warning : .notice
        logger.log(level: level, "order \(order.status.rawValue)", metadata: metadata(order).merging([
            "side": "\(order.request.side.rawValue)", "executed": "\(order.executedQuantity)", "reason": "\(order.reason)", "detail": "\(order.detail)",
        ]) { $1 })
    }

    func metadata(_ order: LedgerOrder) -> Logger.Metadata {
        ["order_id": "\(order.id)", "client_order_id": "\(order.request.clientOrderId)", "symbol": "\(order.request.symbol)",
         "state": "\(order.status.rawValue)"]
    }
}
