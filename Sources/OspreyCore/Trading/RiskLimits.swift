/// `[risk]`: limits every new entry is checked against, before its intent is written.
public struct RiskLimits: Sendable, Equatable {
    public var maxOpenPositions: Int
    /// Quote amount per position at cost.
    public var maxPositionQuote: Decimal
    /// Quote amount across all positions at cost.
    public var maxTotalExposureQuote: Decimal
    /// Quote balance that entries never touch.
    public var minQuoteReserve: Decimal
    public var symbolCooldown: Duration
    /// Realized loss in a UTC day (a positive amount) that trips the kill switch.
    public var dailyLossLimitQuote: Decimal

    public init(
        maxOpenPositions: Int = 3, maxPositionQuote: Decimal = Decimal(100), maxTotalExposureQuote: Decimal = Decimal(300),
        minQuoteReserve: Decimal = Decimal(50), symbolCooldown: Duration = .seconds(900), dailyLossLimitQuote: Decimal = Decimal(50)
    ) {
        self.maxOpenPositions = maxOpenPositions
        self.maxPositionQuote = maxPositionQuote
        self.maxTotalExposureQuote = maxTotalExposureQuote
        self.minQuoteReserve = minQuoteReserve
        self.symbolCooldown = symbolCooldown
        self.dailyLossLimitQuote = dailyLossLimitQuote
    }
}

/// What the risk gate sees when an entry is proposed.
public struct RiskView: Sendable {
    public var positions: [Position]
    /// Quote committed by buy orders not yet final (they will become positions).
    public var pendingBuysQuote: Decimal
    public var quoteBalance: Decimal
    /// Unix seconds of the last entry per symbol.
    public var lastEntry: [String: Double]
    public var realizedToday: Decimal
    public var killSwitch: Bool
    public var paused: Bool

    public init(
        positions: [Position], pendingBuysQuote: Decimal = .zero, quoteBalance: Decimal, lastEntry: [String: Double] = [:],
        realizedToday: Decimal = .zero, killSwitch: Bool = false, paused: Bool = false
    ) {
        self.positions = positions
        self.pendingBuysQuote = pendingBuysQuote
        self.quoteBalance = quoteBalance
        self.lastEntry = lastEntry
        self.realizedToday = realizedToday
        self.killSwitch = killSwitch
        self.paused = paused
    }
}

/// The risk gates, pure: the first rule an entry breaks is the reason it is refused. Exits are never gated:
/// a kill switch stops new entries, not the way out.
public enum RiskGate {
    public static func checkEntry(symbol: String, quote amount: Decimal, view: RiskView, limits: RiskLimits, now: Double) -> String? {
        if view.killSwitch { return "the kill switch is active (daily loss limit reached); `osprey trading resume` clears it" }
        if view.paused { return "trading is paused; `osprey trading resume` resumes it" }
        guard amount > .zero else { return "the amount \(amount) is not positive" }
        let held = view.positions.first { $0.symbol == symbol && $0.isOpen }
        let open = view.positions.filter(\.isOpen)
        if held == nil && open.count >= limits.maxOpenPositions {
            return "\(open.count) positions are open, the most [risk].max_open_positions allows"
        }
        let position = (held?.cost ?? .zero).adding(amount) ?? amount
        if position > limits.maxPositionQuote {
            return "\(symbol) would hold \(position) at cost, above [risk].max_position_quote \(limits.maxPositionQuote)"
        }
        let exposure = open.reduce(view.pendingBuysQuote) { $0.adding($1.cost) ?? $0 }.adding(amount) ?? amount
        if exposure > limits.maxTotalExposureQuote {
            return "total exposure would be \(exposure), above [risk].max_total_exposure_quote \(limits.maxTotalExposureQuote)"
        }
        let left = view.quoteBalance.subtracting(view.pendingBuysQuote).flatMap { $0.subtracting(amount) } ?? .zero
        if left < limits.minQuoteReserve {
            return "the quote balance would fall to \(left), below [risk].min_quote_reserve \(limits.minQuoteReserve)"
        }
        if let last = view.lastEntry[symbol], now - last < limits.symbolCooldown.seconds {
            return "\(symbol) was entered \(Int(now - last)) s ago; [risk].symbol_cooldown is \(Int(limits.symbolCooldown.seconds)) s"
        }
        return nil
    }

    /// True when the day's realized loss reached the limit.
    public static func tripsKillSwitch(realizedToday: Decimal, limits: RiskLimits) -> Bool {
        !limits.dailyLossLimitQuote.isZero && realizedToday.isNegative && realizedToday.magnitude >= limits.dailyLossLimitQuote
    }
}
