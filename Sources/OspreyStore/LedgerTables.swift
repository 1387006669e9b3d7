import OspreyCore
import Synchronization

/// The trade ledger in SQLite. Every write commits with `synchronous=FULL` through the group commit, so an
/// intent is on disk before its request leaves, and concurrent transitions share one fsync. The one
/// exception is an intent for the paper exchange in this same database, whose own durable commit follows
/// it in the write-ahead log (`PaperExchange.keepsBooks(with:)`).
public final class LedgerTables: TradeLedger {
    public var store: ObjectIdentifier { ObjectIdentifier(database) }
    let database: Database
    private let ids = Mutex<ClientOrderID?>(nil)

    public init(_ database: Database) {
        self.database = database
    }

    static let columns = """
        id, client_order_id, exchange, symbol, side, type, quantity, quote_quantity, price, time_in_force, status, exchange_order_id,
        executed_quantity, cumulative_quote, reason, created_at, updated_at, deadline, exchange_update_time, detail
        """

    public func clientOrderIDs() throws -> ClientOrderID {
        if let known = ids.withLock({ $0 }) { return known }
        let made = try database.write(durable: true) { connection in
            if let tag = try connection.query("SELECT value FROM ledger_setting WHERE key = 'tag'").first?[0].text, let ids = ClientOrderID(tag: tag) {
                return ids
            }
            // 32 random bits from SQLite's CSPRNG: two ledgers trading on one account will not share a prefix.
            let tag = try connection.query("SELECT lower(hex(randomblob(4)))").first?[0].text ?? ""
            try connection.execute("INSERT INTO ledger_setting (key, value) VALUES ('tag', ?)", [.text(tag)])
            return ClientOrderID(tag: tag)!
        }
        ids.withLock { $0 = made }
        return made
    }

    public func record(_ intent: NewIntent, fsync: Bool) async throws -> LedgerOrder {
        let ids = try clientOrderIDs()
        return try await database.commit(durable: fsync) { connection in
            var request = intent.request
            let id = try connection.query("""
                INSERT INTO order_intent (client_order_id, exchange, symbol, side, type, quantity, quote_quantity, price, time_in_force,
                    status, executed_quantity, cumulative_quote, reason, created_at, updated_at, deadline, exchange_update_time, detail)
                VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?, 'pending', '0', '0', ?, ?, ?, ?, 0, '') RETURNING id
                """, [
                    .text(intent.exchange), .text(request.symbol), .text(request.side.rawValue), .text(request.type.rawValue),
                    Self.text(request.quantity), Self.text(request.quoteQuantity), Self.text(request.price),
                    request.timeInForce.map { .text($0.rawValue) } ?? .null, .text(intent.reason), .real(intent.createdAt),
                    .real(intent.createdAt), .integer(intent.deadline),
                ]).first?[0].integer ?? 0
            request.clientOrderId = ids.make(id)
            try connection.execute("UPDATE order_intent SET client_order_id = ? WHERE id = ?", [.text(request.clientOrderId), .integer(id)])
            return LedgerOrder(id: id, request: request, reason: intent.reason, createdAt: intent.createdAt, deadline: intent.deadline)
        }
    }

    public func save(_ order: LedgerOrder) async throws {
        try await database.commit(durable: true) { connection in
            try connection.execute("""
                UPDATE order_intent SET status = ?, exchange_order_id = ?, executed_quantity = ?, cumulative_quote = ?, updated_at = ?,
                    exchange_update_time = ?, detail = ? WHERE id = ?
                """, [
                    .text(order.status.rawValue), order.exchangeOrderId.map { .integer($0) } ?? .null, .text(order.executedQuantity.description),
                    .text(order.cumulativeQuote.description), .real(order.updatedAt), .integer(order.exchangeUpdateTime), .text(order.detail),
                    .integer(order.id),
                ])
        }
    }

    public func adopt(_ order: ExchangeOrder, exchange: String, at now: Double) async throws -> LedgerOrder {
        let ids = try clientOrderIDs()
        guard let sequence = ids.sequence(of: order.clientOrderId) else {
            throw ExchangeError(.foreignOrder, "\(order.clientOrderId) does not carry this ledger's prefix \(ids.prefix)")
        }
        let request = OrderRequest(
            clientOrderId: order.clientOrderId, symbol: order.symbol, side: order.side, type: order.type, quantity: order.quantity,
            price: order.type == .limit ? order.price : nil)
        var adopted = LedgerOrder(
            id: sequence, request: request, status: .unknown, reason: "adopted", createdAt: now, deadline: order.updateTime,
            detail: "found at the exchange, missing from the ledger")
        adopted = OrderLifecycle.apply(.reported(order), to: adopted, at: now).order
        adopted.detail = "found at the exchange, missing from the ledger"
        try await database.commit(durable: true) { [adopted] connection in
            try connection.execute("""
                INSERT INTO order_intent (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, Self.values(adopted, exchange: exchange))
        }
        return adopted
    }

    public func record(fills: [Fill], exchange: String) async throws -> [Fill] {
        guard !fills.isEmpty else { return [] }
        return try await database.commit(durable: true) { connection in
            var added: [Fill] = []
            for fill in fills {
                let changed = try connection.execute("""
                    INSERT OR IGNORE INTO fill (exchange, symbol, trade_id, order_id, client_order_id, side, price, quantity, quote_quantity,
                                                commission, commission_asset, time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [
                        .text(exchange), .text(fill.symbol), .integer(fill.tradeId), .integer(fill.orderId), .text(fill.clientOrderId),
                        .text(fill.side.rawValue), .text(fill.price.description), .text(fill.quantity.description),
                        .text(fill.quoteQuantity.description), .text(fill.commission.description), .text(fill.commissionAsset), .integer(fill.time),
                    ])
                if changed > 0 { added.append(fill) }
            }
            return added
        }
    }

    public func unsettled(exchange: String) throws -> [LedgerOrder] {
        try database.read { connection in
            try connection.query(
                "SELECT \(Self.columns) FROM order_intent WHERE status IN ('pending', 'unknown', 'open') AND exchange = ? ORDER BY id",
                [.text(exchange)]).map(Self.order)
        }
    }

    public func orders(unsettledOnly: Bool, limit: Int) throws -> [LedgerOrder] {
        try database.read { connection in
            let filter = unsettledOnly ? "WHERE status IN ('pending', 'unknown', 'open')" : ""
            return try connection.query("SELECT \(Self.columns) FROM order_intent \(filter) ORDER BY id DESC LIMIT ?", [.integer(Int64(limit))])
                .map(Self.order)
        }
    }

    public func order(clientOrderId: String) throws -> LedgerOrder? {
        try database.read { connection in
            try connection.query("SELECT \(Self.columns) FROM order_intent WHERE client_order_id = ?", [.text(clientOrderId)]).first.map(Self.order)
        }
    }

    public func fills(exchange: String) throws -> [Fill] {
        try database.read { connection in
            try connection.query("""
                SELECT symbol, trade_id, order_id, client_order_id, side, price, quantity, quote_quantity, commission, commission_asset, time
                FROM fill WHERE exchange = ? ORDER BY time, trade_id
                """, [.text(exchange)]).map { row in
                Fill(
                    symbol: row[0].text ?? "", tradeId: row[1].integer ?? 0, orderId: row[2].integer ?? 0, clientOrderId: row[3].text ?? "",
                    side: OrderSide(rawValue: row[4].text ?? "") ?? .buy, price: Self.decimal(row[5]) ?? .zero, quantity: Self.decimal(row[6]) ?? .zero,
                    quoteQuantity: Self.decimal(row[7]) ?? .zero, commission: Self.decimal(row[8]) ?? .zero, commissionAsset: row[9].text ?? "",
                    time: row[10].integer ?? 0)
            }
        }
    }

    public func flags() throws -> TradingFlags {
        try database.read { connection in
            var flags = TradingFlags()
            for row in try connection.query("SELECT key, value FROM ledger_setting WHERE key IN ('paused', 'kill_switch')") {
                if row[0].text == "paused" { flags.paused = row[1].text == "1" }
                if row[0].text == "kill_switch" { flags.killSwitch = row[1].text }
            }
            return flags
        }
    }

    public func setFlags(_ flags: TradingFlags) async throws {
        try await database.commit(durable: true) { connection in
            try connection.execute("INSERT OR REPLACE INTO ledger_setting (key, value) VALUES ('paused', ?)", [.text(flags.paused ? "1" : "0")])
            if let reason = flags.killSwitch {
                try connection.execute("INSERT OR REPLACE INTO ledger_setting (key, value) VALUES ('kill_switch', ?)", [.text(reason)])
            } else {
                try connection.execute("DELETE FROM ledger_setting WHERE key = 'kill_switch'")
            }
        }
    }

    static func text(_ value: Decimal?) -> SQLValue { value.map { .text($0.description) } ?? .null }
    static func decimal(_ value: SQLValue) -> Decimal? { value.text.flatMap { Decimal($0) } }

    static func values(_ order: LedgerOrder, exchange: String) -> [SQLValue] {
        let request = order.request
        return [
            .integer(order.id), .text(request.clientOrderId), .text(exchange), .text(request.symbol), .text(request.side.rawValue),
            .text(request.type.rawValue), text(request.quantity), text(request.quoteQuantity), text(request.price),
            request.timeInForce.map { .text($0.rawValue) } ?? .null, .text(order.status.rawValue), order.exchangeOrderId.map { .integer($0) } ?? .null,
            .text(order.executedQuantity.description), .text(order.cumulativeQuote.description), .text(order.reason), .real(order.createdAt),
            .real(order.updatedAt), .integer(order.deadline), .integer(order.exchangeUpdateTime), .text(order.detail),
        ]
    }

    static func order(_ row: SQLRow) -> LedgerOrder {
        let request = OrderRequest(
            clientOrderId: row[1].text ?? "", symbol: row[3].text ?? "", side: OrderSide(rawValue: row[4].text ?? "") ?? .buy,
            type: OrderType(rawValue: row[5].text ?? "") ?? .market, quantity: decimal(row[6]), quoteQuantity: decimal(row[7]), price: decimal(row[8]),
            timeInForce: row[9].text.flatMap(TimeInForce.init(rawValue:)))
        return LedgerOrder(
            id: row[0].integer ?? 0, request: request, status: OrderStatus(rawValue: row[10].text ?? "") ?? .unknown,
            exchangeOrderId: row[11].integer, executedQuantity: decimal(row[12]) ?? .zero, cumulativeQuote: decimal(row[13]) ?? .zero,
            reason: row[14].text ?? "", createdAt: row[15].real ?? 0, updatedAt: row[16].real ?? 0, deadline: row[17].integer ?? 0,
            exchangeUpdateTime: row[18].integer ?? 0, detail: row[19].text ?? "")
    }
}
