/// Why an order cannot be sent as asked: caught before the request, named with the exchange's filter.
public struct FilterViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Binance's filter rules applied with exact decimals: amounts are moved onto the grid in the direction that
/// never trades more, or at a worse price, than asked, then checked against the bounds. A zero bound or step
/// means the exchange does not check it.
extension SymbolRules {
    /// LOT_SIZE (and MARKET_LOT_SIZE for market orders): `(quantity - minQty)` a multiple of `stepSize`,
    /// `minQty ≤ quantity ≤ maxQty`. The quantity is floored to the step.
    public func orderQuantity(_ wanted: Decimal, type: OrderType) throws(FilterViolation) -> Decimal {
        guard wanted > .zero else { throw FilterViolation("\(symbol): quantity \(wanted) is not positive") }
        var quantity = wanted
        for (name, lot) in [("LOT_SIZE", lotSize), ("MARKET_LOT_SIZE", type == .market ? marketLotSize : nil)] {
            guard let lot else { continue }
            quantity = try Self.floor(quantity, from: lot.minQuantity, step: lot.stepSize, symbol: symbol)
            if !lot.minQuantity.isZero && quantity < lot.minQuantity {
                throw FilterViolation("\(symbol): quantity \(wanted) is below \(name) minQty \(lot.minQuantity)")
            }
            if !lot.maxQuantity.isZero && quantity > lot.maxQuantity {
                throw FilterViolation("\(symbol): quantity \(quantity) is above \(name) maxQty \(lot.maxQuantity)")
            }
        }
        guard quantity > .zero else { throw FilterViolation("\(symbol): quantity \(wanted) rounds to zero on the step") }
        return quantity
    }

    /// PRICE_FILTER: `(price - minPrice)` a multiple of `tickSize`, within `minPrice…maxPrice`. A buy is
    /// rounded down and a sell up, so the limit is never worse than asked.
    public func orderPrice(_ wanted: Decimal, side: OrderSide) throws(FilterViolation) -> Decimal {
        guard wanted > .zero else { throw FilterViolation("\(symbol): price \(wanted) is not positive") }
        guard let filter = price else { return wanted }
        var rounded = wanted
        if !filter.tickSize.isZero {
            guard let offset = wanted.subtracting(filter.minPrice),
                  let steps = offset.toMultiple(of: filter.tickSize, side == .buy ? .down : .up),
                  let value = steps.adding(filter.minPrice)
            else { throw FilterViolation("\(symbol): price \(wanted) cannot be put on tick \(filter.tickSize)") }
            rounded = value
        }
        if !filter.minPrice.isZero && rounded < filter.minPrice {
            throw FilterViolation("\(symbol): price \(wanted) is below PRICE_FILTER minPrice \(filter.minPrice)")
        }
        if !filter.maxPrice.isZero && rounded > filter.maxPrice {
            throw FilterViolation("\(symbol): price \(wanted) is above PRICE_FILTER maxPrice \(filter.maxPrice)")
        }
        return rounded
    }

    /// A quote amount for a MARKET order by `quoteOrderQty`: floored to the quote asset's precision.
    public func orderQuoteQuantity(_ wanted: Decimal) throws(FilterViolation) -> Decimal {
        guard quoteOrderQuantityMarketAllowed else { throw FilterViolation("\(symbol): MARKET orders by quote amount are not allowed") }
        guard wanted > .zero else { throw FilterViolation("\(symbol): quote amount \(wanted) is not positive") }
        let amount = wanted.rounded(scale: quoteAssetPrecision, .down)
        guard amount > .zero else {
            let step = Decimal(significand: 1, scale: quoteAssetPrecision)
            throw FilterViolation("\(symbol): quote amount \(wanted) is below the smallest amount of \(quoteAsset), \(step)")
        }
        return amount
    }

    /// NOTIONAL / MIN_NOTIONAL: `price × quantity` (for a MARKET order, a reference price) within bounds;
    /// market orders only where the filter applies to them.
    public func checkNotional(_ value: Decimal, type: OrderType) throws(FilterViolation) {
        guard let filter = notional else { return }
        if type == .limit || filter.applyMinToMarket, value < filter.minNotional {
            throw FilterViolation("\(symbol): notional \(value) is below NOTIONAL minNotional \(filter.minNotional)")
        }
        if let maximum = filter.maxNotional, !maximum.isZero, type == .limit || filter.applyMaxToMarket, value > maximum {
            throw FilterViolation("\(symbol): notional \(value) is above NOTIONAL maxNotional \(maximum)")
        }
    }

    /// Whether the exchange takes this order type for the symbol, and the symbol is trading.
    public func checkTradable(_ type: OrderType) throws(FilterViolation) {
        guard isTrading else { throw FilterViolation("\(symbol) is not trading (status \(status))") }
        guard orderTypes.isEmpty || orderTypes.contains(type.rawValue) else { throw FilterViolation("\(symbol) does not take \(type.rawValue) orders") }
    }

    static func floor(_ value: Decimal, from minimum: Decimal, step: Decimal, symbol: String) throws(FilterViolation) -> Decimal {
        guard !step.isZero else { return value }
        guard let offset = value.subtracting(minimum) else { throw FilterViolation("\(symbol): quantity \(value) is out of range") }
        guard offset >= .zero else { return value }  // below the minimum: reported by the caller
        guard let steps = offset.toMultiple(of: step, .down), let floored = steps.adding(minimum) else {
            throw FilterViolation("\(symbol): quantity \(value) cannot be put on step \(step)")
        }
        return floored
    }
}

extension FilterViolation: CodedError {
    public var code: String { "filter" }
}
