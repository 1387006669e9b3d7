import Metrics
import OspreyCore

/// Exported books (positions, P&L, balances) and the balances entries are checked against.
extension TradeEngine {
    /// Exports positions, P&L and balances at the latest prices.
    public func refreshValuation() async {
        await exportBooks()
        if let balances = try? await exchange.balances() {
            for (asset, free) in balances { metrics.balance(asset, free) }
        }
    }

    /// Exports positions and P&L at the latest prices (no exchange request).
    func exportBooks() async {
        var unrealized = Decimal.zero
        for position in portfolio.positions.values {
            guard position.isOpen else {
                metrics.removePosition(position.symbol)
                continue
            }
            let last = await price(position.symbol)
            let value = last.flatMap { position.quantity.multiplied(by: $0) } ?? position.cost
            metrics.position(position.symbol, value)
            if let last { unrealized = unrealized.adding(position.unrealized(at: last)) ?? unrealized }
        }
        metrics.realized.record(Double(portfolio.realized.description) ?? 0)
        metrics.unrealized.record(Double(unrealized.description) ?? 0)
    }

    /// Moves the cached balances by a fill, so the next entry's reserve check sees it without a request.
    func adjustCachedBalances(_ fill: Fill, _ symbolRules: SymbolRules) {
        guard let (at, cached) = balanceCache else { return }
        var balances = cached
        func move(_ asset: String, _ amount: Decimal) { balances[asset] = (balances[asset] ?? .zero).adding(amount) ?? balances[asset] }
        let feeInQuote = fill.commissionAsset == symbolRules.quoteAsset ? fill.commission : .zero
        let feeInBase = fill.commissionAsset == symbolRules.baseAsset ? fill.commission : .zero
        let buy = fill.side == .buy
        move(symbolRules.quoteAsset, buy ? -(fill.quoteQuantity.adding(feeInQuote) ?? fill.quoteQuantity) : (fill.quoteQuantity.subtracting(feeInQuote) ?? fill.quoteQuantity))
        move(symbolRules.baseAsset, buy ? (fill.quantity.subtracting(feeInBase) ?? fill.quantity) : -(fill.quantity.adding(feeInBase) ?? fill.quantity))
        if feeInQuote.isZero && feeInBase.isZero && !fill.commission.isZero { move(fill.commissionAsset, -fill.commission) }  // BNB
        balanceCache = (at, balances)
    }

    func recentBalances() async throws -> [String: Decimal] {
        if let (at, balances) = balanceCache, wallClock() - at < 5 { return balances }
        let balances = try await exchange.balances()
        balanceCache = (wallClock(), balances)
        return balances
    }
}
