/// Holdings of one symbol bought by Osprey, at average cost.
public struct Position: Sendable, Equatable, Codable {
    public var symbol: String
    /// Base asset held (net of commissions paid in it).
    public var quantity: Decimal
    /// Quote spent on what is held (commissions paid in quote included).
    public var cost: Decimal
    /// Unix seconds of the first buy of the current holding: max holding time counts from it.
    public var openedAt: Double

    public init(symbol: String, quantity: Decimal, cost: Decimal, openedAt: Double) {
        self.symbol = symbol
        self.quantity = quantity
        self.cost = cost
        self.openedAt = openedAt
    }

    public var isOpen: Bool { quantity > .zero }

    public var averagePrice: Decimal? { quantity.isZero ? nil : cost.divided(by: quantity, scale: 12) }

    /// Market value minus cost at `price`.
    public func unrealized(at price: Decimal) -> Decimal {
        quantity.multiplied(by: price).flatMap { $0.subtracting(cost) } ?? .zero
    }
}

/// Positions and realized P&L rebuilt from fills alone (average-cost method), so they are exactly what the
/// exchange executed: replaying the same fills in any session gives the same books. Amounts in the quote
/// asset; commissions paid in a third asset (BNB) are summed per asset, not converted.
public struct Portfolio: Sendable, Equatable {
    public private(set) var positions: [String: Position] = [:]
    public private(set) var realized: Decimal = .zero
    /// Realized P&L per UTC day (days since the epoch), for the daily loss limit.
    public private(set) var realizedByDay: [Int64: Decimal] = [:]
    public private(set) var otherFees: [String: Decimal] = [:]

    public init() {}

    /// Applies one fill of a symbol whose base and quote assets are given.
    public mutating func apply(_ fill: Fill, base: String, quote: String) {
        var position = positions[fill.symbol] ?? Position(symbol: fill.symbol, quantity: .zero, cost: .zero, openedAt: Double(fill.time) / 1000)
        let feeInBase = fill.commissionAsset == base ? fill.commission : .zero
        let feeInQuote = fill.commissionAsset == quote ? fill.commission : .zero
        if !fill.commission.isZero && feeInBase.isZero && feeInQuote.isZero {
            otherFees[fill.commissionAsset] = (otherFees[fill.commissionAsset] ?? .zero).adding(fill.commission) ?? .zero
        }
        switch fill.side {
        case .buy:
            if !position.isOpen { position.openedAt = Double(fill.time) / 1000 }
            position.quantity = fill.quantity.subtracting(feeInBase).flatMap { position.quantity.adding($0) } ?? position.quantity
            position.cost = fill.quoteQuantity.adding(feeInQuote).flatMap { position.cost.adding($0) } ?? position.cost
        case .sell:
            let sold = min(fill.quantity, position.quantity)  // more than Osprey bought: the rest has no known cost
            let proceeds = fill.quoteQuantity.subtracting(feeInQuote) ?? fill.quoteQuantity
            let share = position.quantity.isZero ? Decimal.zero : sold.divided(by: fill.quantity, scale: 18, rounding: .halfUp) ?? .zero
            let soldProceeds = proceeds.multiplied(by: share)?.rounded(scale: 18) ?? .zero
            let soldCost = position.quantity.isZero ? Decimal.zero
                : (position.cost.multiplied(by: sold).flatMap { $0.divided(by: position.quantity, scale: 18, rounding: .halfUp) } ?? .zero)
            let pnl = soldProceeds.subtracting(soldCost) ?? .zero
            realized = realized.adding(pnl) ?? realized
            let day = fill.time / 86_400_000
            realizedByDay[day] = (realizedByDay[day] ?? .zero).adding(pnl)
            position.quantity = position.quantity.subtracting(sold).flatMap { $0.subtracting(min(feeInBase, $0)) } ?? .zero
            position.cost = position.quantity.isZero ? .zero : (position.cost.subtracting(soldCost) ?? .zero)
        }
        positions[fill.symbol] = position
    }

    public var openPositions: [Position] { positions.values.filter(\.isOpen).sorted { $0.symbol < $1.symbol } }

    /// Realized P&L of the UTC day containing `now` (Unix seconds).
    public func realized(onDayOf now: Double) -> Decimal {
        realizedByDay[Int64((now / 86_400).rounded(.down))] ?? .zero
    }
}
