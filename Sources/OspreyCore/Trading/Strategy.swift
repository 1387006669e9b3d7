/// `[[strategy]]`: when to enter (a kind) and when to get out (exits), on which symbols, with how much.
public struct StrategySpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Enter when one of these `[[signal]]` rules fires for an allowed symbol (every rule when empty).
        case signal(rules: [String])
        /// Enter when the fast SMA of closes crosses above the slow one; exit when it crosses below.
        case smaCross(fast: Int, slow: Int, interval: KlineInterval)
        /// Enter when RSI falls below `buyBelow`; exit when it rises above `sellAbove`.
        case rsi(period: Int, buyBelow: Decimal, sellAbove: Decimal, interval: KlineInterval)

        public var name: String {
            switch self {
            case .signal: "signal"
            case .smaCross: "sma_cross"
            case .rsi: "rsi"
            }
        }
    }

    public var name: String
    public var kind: Kind
    /// Exchange symbols it may trade (`BTCUSDT`); `["*"]` allows any (signal strategies only).
    public var symbols: [String]
    /// Quote amount spent per entry.
    public var quote: Decimal
    public var exits: ExitRules
    public var enabled: Bool

    public init(name: String, kind: Kind, symbols: [String], quote: Decimal, exits: ExitRules = .init(), enabled: Bool = true) {
        self.name = name
        self.kind = kind
        self.symbols = symbols
        self.quote = quote
        self.exits = exits
        self.enabled = enabled
    }

    public func allows(_ symbol: String) -> Bool { symbols.contains("*") || symbols.contains(symbol) }

    /// The ledger reason of its entries: positions opened by it are its to exit.
    public var entryReason: String { "strategy:\(name)" }
}

/// Exits every strategy applies to the positions it opened, checked on each evaluation.
public struct ExitRules: Sendable, Equatable {
    /// Percent below the average entry price.
    public var stopLossPercent: Decimal?
    /// Percent above the average entry price.
    public var takeProfitPercent: Decimal?
    /// Percent below the highest price since entry.
    public var trailingStopPercent: Decimal?
    public var maxHolding: Duration?

    public init(stopLossPercent: Decimal? = nil, takeProfitPercent: Decimal? = nil, trailingStopPercent: Decimal? = nil, maxHolding: Duration? = nil) {
        self.stopLossPercent = stopLossPercent
        self.takeProfitPercent = takeProfitPercent
        self.trailingStopPercent = trailingStopPercent
        self.maxHolding = maxHolding
    }

    /// The exit that applies to `position` at `price` (`exit:stop-loss`, …), or nil. `high`: the highest
    /// price seen since entry.
    public func exit(_ position: Position, price: Decimal, high: Decimal, now: Double) -> String? {
        guard position.isOpen, let average = position.averagePrice else { return nil }
        func moved(_ base: Decimal, by percent: Decimal, up: Bool) -> Decimal? {
            guard let step = base.multiplied(by: percent)?.divided(by: Decimal(100), scale: 18) else { return nil }
            return up ? base.adding(step) : base.subtracting(step)
        }
        if let percent = stopLossPercent, let floor = moved(average, by: percent, up: false), price <= floor { return "exit:stop-loss" }
        if let percent = takeProfitPercent, let target = moved(average, by: percent, up: true), price >= target { return "exit:take-profit" }
        if let percent = trailingStopPercent, let floor = moved(high, by: percent, up: false), price <= floor { return "exit:trailing-stop" }
        if let limit = maxHolding, now - position.openedAt >= limit.seconds { return "exit:max-holding" }
        return nil
    }
}

/// Indicators over closes (oldest first), in exact decimals (18 decimals where division is needed).
public enum Indicators {
    /// Simple moving average of the last `period` values, `offset` values back from the end.
    public static func sma(_ values: [Decimal], period: Int, offset: Int = 0) -> Decimal? {
        guard period > 0, values.count >= period + offset else { return nil }
        let window = values[(values.count - offset - period)..<(values.count - offset)]
        guard let sum = window.reduce(Decimal.zero as Decimal?, { $0?.adding($1) }) else { return nil }
        return sum.divided(by: Decimal(period), scale: 18)
    }

    /// Wilder's RSI over `period`: 100 - 100 / (1 + average gain / average loss); 100 when nothing fell.
    public static func rsi(_ values: [Decimal], period: Int) -> Decimal? {
        guard period > 0, values.count > period else { return nil }
        var gain = Decimal.zero
        var loss = Decimal.zero
        let divisor = Decimal(period)
        for index in 1..<values.count {
            guard let change = values[index].subtracting(values[index - 1]) else { return nil }
            let up = change.isNegative ? Decimal.zero : change
            let down = change.isNegative ? change.magnitude : Decimal.zero
            if index <= period {
                gain = gain.adding(up) ?? gain
                loss = loss.adding(down) ?? loss
                if index == period {
                    gain = gain.divided(by: divisor, scale: 18) ?? gain
                    loss = loss.divided(by: divisor, scale: 18) ?? loss
                }
            } else {
                let keep = Decimal(period - 1)
                gain = gain.multiplied(by: keep).flatMap { $0.adding(up) }.flatMap { $0.divided(by: divisor, scale: 18) } ?? gain
                loss = loss.multiplied(by: keep).flatMap { $0.adding(down) }.flatMap { $0.divided(by: divisor, scale: 18) } ?? loss
            }
        }
        guard !loss.isZero else { return Decimal(100) }
        guard let ratio = gain.divided(by: loss, scale: 18), let denominator = ratio.adding(Decimal(1)),
              let fraction = Decimal(100).divided(by: denominator, scale: 18) else { return nil }
        return Decimal(100).subtracting(fraction)?.rounded(scale: 8)
    }
}

/// What a kline strategy wants on the last closed candle.
public enum StrategyDecision: Sendable, Equatable {
    case enter, exit, hold
}

extension StrategySpec.Kind {
    /// The decision of a kline strategy over closed candles' closes (oldest first); `.hold` for `signal`.
    public func decide(closes: [Decimal]) -> StrategyDecision {
        switch self {
        case .signal: return .hold
        case .smaCross(let fast, let slow, _):
            guard let fastNow = Indicators.sma(closes, period: fast), let slowNow = Indicators.sma(closes, period: slow),
                  let fastBefore = Indicators.sma(closes, period: fast, offset: 1), let slowBefore = Indicators.sma(closes, period: slow, offset: 1)
            else { return .hold }
            if fastBefore <= slowBefore && fastNow > slowNow { return .enter }
            if fastBefore >= slowBefore && fastNow < slowNow { return .exit }
            return .hold
        case .rsi(let period, let buyBelow, let sellAbove, _):
            guard let value = Indicators.rsi(closes, period: period) else { return .hold }
            if value < buyBelow { return .enter }
            if value > sellAbove { return .exit }
            return .hold
        }
    }

    /// Candles a decision needs.
    public var candles: Int {
        switch self {
        case .signal: 0
        case .smaCross(_, let slow, _): slow + 2
        case .rsi(let period, _, _, _): period * 10 + 1  // Wilder's smoothing settles after several periods
        }
    }
}
