import Logging
import OspreyCore

/// What an order must pass before anything is written for it: the symbol and its market, the holding a sell
/// needs, the risk gates of an entry (and the cooldown only an entry that reached the exchange keeps).
extension TradeEngine {
    /// The risk gates for an entry; starts the symbol's cooldown and returns when the previous entry was.
    func checkEntry(_ symbol: String, quote spend: Decimal, rules symbolRules: SymbolRules) async throws -> Double? {
        let balances = try await recentBalances()
        let view = RiskView(
            positions: portfolio.openPositions, pendingBuysQuote: try pendingBuys(), quoteBalance: balances[symbolRules.quoteAsset] ?? .zero,
            lastEntry: lastEntry, realizedToday: portfolio.realized(onDayOf: wallClock()), killSwitch: flags.killSwitch != nil,
            paused: flags.paused)
        if let refusal = RiskGate.checkEntry(symbol: symbol, quote: spend, view: view, limits: settings.risk, now: wallClock()) {
            logger.warning("entry refused by risk limits", metadata: ["symbol": "\(symbol)", "reason": "\(refusal)"])
            throw TradeRefusal(.risk, refusal)
        }
        defer { lastEntry[symbol] = wallClock() }
        return lastEntry[symbol]
    }

    /// Sends an entry; the cooldown `checkEntry` started stays only if the order reached the exchange (a
    /// refused, never placed or unrecorded order puts back the previous entry time).
    func keepingCooldown(_ symbol: String, unless previous: Double?, _ send: () async throws -> LedgerOrder) async throws -> LedgerOrder {
        do {
            let order = try await send()
            if order.status == .rejected || order.status == .notPlaced { lastEntry[symbol] = previous }
            return order
        } catch {
            lastEntry[symbol] = previous
            throw error
        }
    }

    /// A sell needs the base asset: refused before anything is written when the account does not hold it.
    func checkHolding(_ amount: Decimal, of symbolRules: SymbolRules) async throws {
        let free = try await recentBalances()[symbolRules.baseAsset] ?? .zero
        guard free >= amount else {
            throw TradeRefusal(.holding, "\(symbolRules.symbol): selling \(amount) \(symbolRules.baseAsset), but the account holds \(free) \(symbolRules.baseAsset)")
        }
    }

    /// The rules of a symbol the exchange can trade now: its name checked, refused before anything is written.
    func marketRules(_ symbol: String) async throws -> SymbolRules {
        guard (1...20).contains(symbol.utf8.count), symbol.utf8.allSatisfy({ byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }) else {
            throw TradeRefusal(.symbol, "\"\(symbol)\" is not a symbol: 1 to 20 capital letters, digits, '-', '_' or '.', like BTCUSDT")
        }
        if let reason = await exchange.unmarketable(symbol) { throw TradeRefusal(.symbol, reason) }
        return try await rulesFor(symbol)
    }

    /// Quote held by buys that are not final yet.
    func pendingBuys() throws -> Decimal {
        try ledger.unsettled(exchange: exchange.name).filter { $0.request.side == .buy }.reduce(Decimal.zero) { sum, order in
            let committed = order.request.quoteQuantity ?? order.request.quantity.flatMap { q in order.request.price.flatMap { q.multiplied(by: $0) } } ?? .zero
            return sum.adding(committed.subtracting(order.cumulativeQuote) ?? .zero) ?? sum
        }
    }
}
