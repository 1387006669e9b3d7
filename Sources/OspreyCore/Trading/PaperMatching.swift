/// `[trading.paper]`: the simulated exchange's fees, slippage and starting balances.
public struct PaperSettings: Sendable, Equatable {
    /// Fraction of the quote amount charged per fill, in the quote asset (0.001 = Binance's 0.1 %).
    public var feeRate: Decimal
    /// Fraction the execution price moves against the taker (0.0005 = 5 basis points).
    public var slippage: Decimal
    public var startingBalances: [String: Decimal]

    public init(feeRate: Decimal = Decimal("0.001")!, slippage: Decimal = Decimal("0.0005")!, startingBalances: [String: Decimal] = ["USDT": Decimal(1000)]) {
        self.feeRate = feeRate
        self.slippage = slippage
        self.startingBalances = startingBalances
    }
}

/// One simulated execution.
public struct PaperExecution: Sendable, Equatable {
    public var price: Decimal
    public var quantity: Decimal
    public var quote: Decimal
    public var commission: Decimal
}

/// How the paper exchange fills an order against a market price: the taker pays the slippage (a buy above,
/// a sell below, never beyond a limit), quantities follow the symbol's filters, the fee is in quote.
public enum PaperMatching {
    /// The execution if the order is marketable at `market`, nil if a limit order must rest.
    public static func execute(_ request: OrderRequest, remaining: Decimal? = nil, market: Decimal, rules: SymbolRules, settings: PaperSettings) -> PaperExecution? {
        let factor = (request.side == .buy ? Decimal(1).adding(settings.slippage) : Decimal(1).subtracting(settings.slippage)) ?? Decimal(1)
        guard var price = market.multiplied(by: factor)?.rounded(scale: 12, request.side == .buy ? .up : .down), price > .zero else { return nil }
        if let tick = rules.price?.tickSize, !tick.isZero { price = price.toMultiple(of: tick, request.side == .buy ? .up : .down) ?? price }
        if request.type == .limit, let limit = request.price {
            if request.side == .buy ? market > limit : market < limit { return nil }
            price = request.side == .buy ? min(price, limit) : max(price, limit)
        }
        let quantity: Decimal
        if let wanted = remaining ?? request.quantity {
            quantity = wanted
        } else if let spend = request.quoteQuantity, let raw = spend.divided(by: price, scale: 18, rounding: .down),
                  let stepped = try? rules.orderQuantity(raw, type: .market) {
            quantity = stepped
        } else {
            return nil
        }
        guard let quote = quantity.multiplied(by: price)?.rounded(scale: rules.quoteAssetPrecision, .halfUp),
              let commission = quote.multiplied(by: settings.feeRate)?.rounded(scale: rules.quoteAssetPrecision, .up) else { return nil }
        return PaperExecution(price: price, quantity: quantity, quote: quote, commission: commission)
    }

    /// The rules the paper exchange applies to every symbol: Binance-like 8-decimal ticks and steps and a
    /// 5-unit minimum notional.
    public static func rules(symbol: String, base: String, quote: String) -> SymbolRules {
        SymbolRules(
            symbol: symbol, status: "TRADING", baseAsset: base, quoteAsset: quote, quoteAssetPrecision: 8,
            price: .init(minPrice: Decimal("0.00000001")!, maxPrice: .zero, tickSize: Decimal("0.00000001")!),
            lotSize: .init(minQuantity: Decimal("0.00000001")!, maxQuantity: .zero, stepSize: Decimal("0.00000001")!),
            notional: .init(minNotional: Decimal(5), applyMinToMarket: true, maxNotional: nil, applyMaxToMarket: false))
    }
}
