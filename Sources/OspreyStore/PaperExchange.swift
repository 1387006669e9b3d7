import OspreyCore

/// The `paper` exchange: orders fill against the scanner's latest prices (`PaperMatching`), with fees,
/// slippage and balances, all kept in SQLite so a restart resumes the same books. It answers like Binance
/// (statuses, `-2010` for an open duplicate or a short balance, `-1013` for a filter failure), so the ledger,
/// reconciliation and the engine are the ones used for live trading.
public final class PaperExchange: Exchange {
    public let name = "paper"
    public let receiveWindow: Int64 = 5000
    let database: Database
    let settings: PaperSettings
    let quoteAsset: String
    let price: @Sendable (String) async -> Decimal?
    let clock: @Sendable () -> Double

    /// `price`: the latest price of a symbol's base asset in the quote asset.
    public init(database: Database, settings: PaperSettings, quoteAsset: String, clock: @escaping @Sendable () -> Double,
                price: @escaping @Sendable (String) async -> Decimal?) {
        self.database = database
        self.settings = settings
        self.quoteAsset = quoteAsset
        self.price = price
        self.clock = clock
    }

    public func now() async -> Int64 { Int64(clock() * 1000) }

    /// Its books and `ledger` in one SQLite database: every order it takes is written after the intent in
    /// the same log, by a `synchronous=FULL` commit.
    public func keepsBooks(with ledger: any TradeLedger) -> Bool { ledger.store == ObjectIdentifier(database) }
    public var clockOffset: Double? { nil }

    public func rules(symbol: String) async throws -> SymbolRules {
        guard symbol.hasSuffix(quoteAsset), symbol.count > quoteAsset.count else {
            throw ExchangeError(.unknownSymbol, "paper trading quotes in \(quoteAsset): \(symbol) is not a \(quoteAsset) symbol")
        }
        return PaperMatching.rules(symbol: symbol, base: String(symbol.dropLast(quoteAsset.count)), quote: quoteAsset)
    }

    public func unmarketable(_ symbol: String) async -> String? {
        await price(symbol) == nil ? "paper trading has no price for \(symbol): the scanner does not track it" : nil
    }

    public func place(_ request: OrderRequest, timestamp: Int64) async -> OrderEvent {
        guard let rules = try? await rules(symbol: request.symbol) else { return .refused("-1121 Invalid symbol.") }
        guard let market = await price(request.symbol) else { return .refused("-1121 Invalid symbol. (no price for \(request.symbol))") }
        let now = await self.now()
        do {
            return try await database.commit(durable: true) { [settings] connection in
                try Self.seedBalances(connection, settings)
                if try connection.query("SELECT 1 FROM paper_order WHERE client_order_id = ? AND status IN ('NEW', 'PARTIALLY_FILLED')",
                                        [.text(request.clientOrderId)]).first != nil {
                    return .duplicate
                }
                if let quantity = request.quantity, (try? rules.orderQuantity(quantity, type: request.type)) != quantity {
                    return .refused("-1013 Filter failure: LOT_SIZE")
                }
                let execution = PaperMatching.execute(request, market: market, rules: rules, settings: settings)
                // NOTIONAL is judged as Binance does, before fees and slippage: the quote amount a market buy
                // asks to spend, else the quantity at the order's price (a market order: the reference price).
                if let execution, let notional = request.quoteQuantity ?? execution.quantity.multiplied(by: request.price ?? market),
                   (try? rules.checkNotional(notional, type: request.type)) == nil {
                    return .refused("-1013 Filter failure: NOTIONAL")
                }
                if execution == nil && request.type == .market { return .refused("-1013 Filter failure: NOTIONAL") }
                let quantity = execution?.quantity ?? request.quantity ?? .zero
                let limit = request.price ?? .zero
                // What the order holds: the quote of a buy (with its fee), the base of a sell.
                let (asset, needed) = request.side == .buy
                    ? (rules.quoteAsset, execution.map { $0.quote.adding($0.commission) ?? $0.quote } ?? quantity.multiplied(by: limit) ?? .zero)
                    : (rules.baseAsset, quantity)
                guard try Self.balance(connection, asset) >= needed else {
                    return .refused("-2010 Account has insufficient balance for requested action.")
                }
                let status = execution != nil ? "FILLED" : (request.timeInForce == .ioc ? "EXPIRED" : "NEW")
                let orderId = try connection.query("""
                    INSERT INTO paper_order (client_order_id, symbol, side, type, time_in_force, quantity, price, status, executed_quantity,
                                             cumulative_quote, update_time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING order_id
                    """, [
                        .text(request.clientOrderId), .text(request.symbol), .text(request.side.rawValue), .text(request.type.rawValue),
                        request.timeInForce.map { .text($0.rawValue) } ?? .null, .text(quantity.description), .text(limit.description),
                        .text(status), .text((execution?.quantity ?? .zero).description), .text((execution?.quote ?? .zero).description),
                        .integer(now),
                    ]).first?[0].integer ?? 0
                if let execution {
                    try Self.settle(connection, orderId: orderId, request: request, rules: rules, execution: execution, at: now, reserved: nil)
                } else if status == "NEW" {
                    try Self.adjust(connection, asset, by: -needed)  // held while the order rests
                }
                return .reported(try Self.order(connection, orderId)!)
            }
        } catch {
            return .noAnswer("the paper exchange could not record the order: \(error)")
        }
    }

    public func query(symbol: String, clientOrderId: String) async throws -> ExchangeOrder? {
        try await match(symbol: symbol)
        return try database.read { connection in
            guard let id = try connection.query("SELECT order_id FROM paper_order WHERE client_order_id = ? AND symbol = ?",
                                                [.text(clientOrderId), .text(symbol)]).first?[0].integer else { return nil }
            return try Self.order(connection, id)
        }
    }

    public func cancel(symbol: String, clientOrderId: String) async -> OrderEvent {
        let now = await self.now()
        do {
            return try await database.commit(durable: true) { connection in
                guard let id = try connection.query("SELECT order_id FROM paper_order WHERE client_order_id = ? AND symbol = ?",
                                                    [.text(clientOrderId), .text(symbol)]).first?[0].integer,
                      var order = try Self.order(connection, id) else { return .refused("-2011 Unknown order sent.") }
                guard order.status == "NEW" || order.status == "PARTIALLY_FILLED" else { return .refused("-2011 Unknown order sent.") }
                let left = order.quantity.subtracting(order.executedQuantity) ?? .zero
                let (asset, held) = self.held(order, remaining: left)
                try Self.adjust(connection, asset, by: held)
                try connection.execute("UPDATE paper_order SET status = 'CANCELED', update_time = ? WHERE order_id = ?", [.integer(now), .integer(id)])
                order.status = "CANCELED"
                order.updateTime = now
                return .reported(order)
            }
        } catch {
            return .noAnswer("the paper exchange could not cancel: \(error)")
        }
    }

    public func openOrders() async throws -> [ExchangeOrder] {
        let symbols = try database.read { connection in
            try connection.query("SELECT DISTINCT symbol FROM paper_order WHERE status IN ('NEW', 'PARTIALLY_FILLED')").compactMap { $0[0].text }
        }
        for symbol in symbols { try await match(symbol: symbol) }
        return try database.read { connection in
            try connection.query("SELECT order_id FROM paper_order WHERE status IN ('NEW', 'PARTIALLY_FILLED') ORDER BY order_id")
                .compactMap { try Self.order(connection, $0[0].integer ?? 0) }
        }
    }

    public func trades(symbol: String, orderId: Int64, clientOrderId client: String) async throws -> [Fill] {
        try database.read { connection in
            try connection.query("""
                SELECT trade_id, side, price, quantity, quote_quantity, commission, commission_asset, time FROM paper_trade
                WHERE order_id = ? AND symbol = ? ORDER BY trade_id
                """, [.integer(orderId), .text(symbol)]).map { row in
                Fill(symbol: symbol, tradeId: row[0].integer ?? 0, orderId: orderId, clientOrderId: client,
                     side: OrderSide(rawValue: row[1].text ?? "") ?? .buy, price: Self.decimal(row[2]), quantity: Self.decimal(row[3]),
                     quoteQuantity: Self.decimal(row[4]), commission: Self.decimal(row[5]), commissionAsset: row[6].text ?? "", time: row[7].integer ?? 0)
            }
        }
    }

    public func balances() async throws -> [String: Decimal] {
        let read = { [database] () throws -> [String: Decimal] in
            try database.read { connection in
                var balances: [String: Decimal] = [:]
                for row in try connection.query("SELECT asset, free FROM paper_balance") { balances[row[0].text ?? ""] = Self.decimal(row[1]) }
                return balances
            }
        }
        let current = try read()
        guard current.isEmpty else { return current }
        try await database.commit(durable: true) { [settings] connection in try Self.seedBalances(connection, settings) }
        return try read()
    }

    /// Fills resting limit orders of `symbol` that the latest price has crossed.
    func match(symbol: String) async throws {
        guard let market = await price(symbol), let rules = try? await rules(symbol: symbol) else { return }
        let now = await self.now()
        try await database.commit(durable: true) { [settings] connection in
            for row in try connection.query("SELECT order_id FROM paper_order WHERE symbol = ? AND status IN ('NEW', 'PARTIALLY_FILLED')", [.text(symbol)]) {
                guard let order = try Self.order(connection, row[0].integer ?? 0) else { continue }
                let left = order.quantity.subtracting(order.executedQuantity) ?? .zero
                let request = OrderRequest(clientOrderId: order.clientOrderId, symbol: symbol, side: order.side, type: .limit, quantity: left, price: order.price)
                guard let execution = PaperMatching.execute(request, remaining: left, market: market, rules: rules, settings: settings) else { continue }
                try connection.execute("""
                    UPDATE paper_order SET status = 'FILLED', executed_quantity = quantity, cumulative_quote = ?, update_time = ? WHERE order_id = ?
                    """, [.text((order.cumulativeQuote.adding(execution.quote) ?? execution.quote).description), .integer(now), .integer(order.orderId)])
                try Self.settle(connection, orderId: order.orderId, request: request, rules: rules, execution: execution, at: now,
                                reserved: self.held(order, remaining: left).1)
            }
        }
    }

    /// Records the trade and moves the balances; `reserved`: what a resting order already held.
    static func settle(_ connection: Connection, orderId: Int64, request: OrderRequest, rules: SymbolRules, execution: PaperExecution, at now: Int64,
                       reserved: Decimal?) throws {
        try connection.execute("""
            INSERT INTO paper_trade (order_id, symbol, side, price, quantity, quote_quantity, commission, commission_asset, time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .integer(orderId), .text(request.symbol), .text(request.side.rawValue), .text(execution.price.description),
                .text(execution.quantity.description), .text(execution.quote.description), .text(execution.commission.description),
                .text(rules.quoteAsset), .integer(now),
            ])
        let spent = execution.quote.adding(execution.commission) ?? execution.quote
        let received = execution.quote.subtracting(execution.commission) ?? execution.quote
        switch request.side {
        case .buy:
            try adjust(connection, rules.quoteAsset, by: (reserved ?? .zero).subtracting(spent) ?? .zero)
            try adjust(connection, rules.baseAsset, by: execution.quantity)
        case .sell:
            try adjust(connection, rules.baseAsset, by: (reserved ?? .zero).subtracting(execution.quantity) ?? .zero)
            try adjust(connection, rules.quoteAsset, by: received)
        }
    }

    /// The asset and amount a resting order holds for its `remaining` quantity.
    func held(_ order: ExchangeOrder, remaining: Decimal) -> (String, Decimal) {
        order.side == .buy
            ? (quoteAsset, remaining.multiplied(by: order.price) ?? .zero)
            : (String(order.symbol.dropLast(quoteAsset.count)), remaining)
    }

    static func seedBalances(_ connection: Connection, _ settings: PaperSettings) throws {
        guard try connection.query("SELECT 1 FROM paper_balance LIMIT 1").isEmpty else { return }
        for (asset, amount) in settings.startingBalances {
            try connection.execute("INSERT INTO paper_balance (asset, free) VALUES (?, ?)", [.text(asset), .text(amount.description)])
        }
    }

    static func balance(_ connection: Connection, _ asset: String) throws -> Decimal {
        decimal(try connection.query("SELECT free FROM paper_balance WHERE asset = ?", [.text(asset)]).first?[0] ?? .null)
    }

    static func adjust(_ connection: Connection, _ asset: String, by amount: Decimal) throws {
        let updated = try balance(connection, asset).adding(amount) ?? .zero
        try connection.execute("INSERT OR REPLACE INTO paper_balance (asset, free) VALUES (?, ?)", [.text(asset), .text(updated.description)])
    }

    static func order(_ connection: Connection, _ id: Int64) throws -> ExchangeOrder? {
        try connection.query("""
            SELECT symbol, client_order_id, side, type, status, quantity, price, executed_quantity, cumulative_quote, update_time
            FROM paper_order WHERE order_id = ?
            """, [.integer(id)]).first.map { row in
            ExchangeOrder(
                symbol: row[0].text ?? "", orderId: id, clientOrderId: row[1].text ?? "", side: OrderSide(rawValue: row[2].text ?? "") ?? .buy,
                type: OrderType(rawValue: row[3].text ?? "") ?? .market, status: row[4].text ?? "", quantity: decimal(row[5]), price: decimal(row[6]),
                executedQuantity: decimal(row[7]), cumulativeQuote: decimal(row[8]), updateTime: row[9].integer ?? 0)
        }
    }

    static func decimal(_ value: SQLValue) -> Decimal { value.text.flatMap { Decimal($0) } ?? .zero }
}
