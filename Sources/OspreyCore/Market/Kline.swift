/// One candlestick: Binance's `/api/v3/klines` row `[openTime, open, high, low, close, volume, closeTime,
/// quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore]`, times in milliseconds, amounts exact.
public struct Kline: Sendable, Equatable {
    public var openTime: Int64
    public var open: Decimal
    public var high: Decimal
    public var low: Decimal
    public var close: Decimal
    public var volume: Decimal
    public var closeTime: Int64
    public var quoteVolume: Decimal
    public var trades: Int64

    public init(
        openTime: Int64, open: Decimal, high: Decimal, low: Decimal, close: Decimal, volume: Decimal, closeTime: Int64,
        quoteVolume: Decimal, trades: Int64
    ) {
        self.openTime = openTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.closeTime = closeTime
        self.quoteVolume = quoteVolume
        self.trades = trades
    }
}

/// Binance's kline intervals (`1m` … `1M`), with their length where it is fixed.
public enum KlineInterval: String, Sendable, CaseIterable {
    case m1 = "1m", m3 = "3m", m5 = "5m", m15 = "15m", m30 = "30m"
    case h1 = "1h", h2 = "2h", h4 = "4h", h6 = "6h", h8 = "8h", h12 = "12h"
    case d1 = "1d", d3 = "3d", w1 = "1w", month = "1M"

    /// Seconds per candle (a month counts as 31 days: only used to bound cache lifetimes).
    public var seconds: Int64 {
        switch self {
        case .m1: 60
        case .m3: 180
        case .m5: 300
        case .m15: 900
        case .m30: 1800
        case .h1: 3600
        case .h2: 7200
        case .h4: 14_400
        case .h6: 21_600
        case .h8: 28_800
        case .h12: 43_200
        case .d1: 86_400
        case .d3: 259_200
        case .w1: 604_800
        case .month: 2_678_400
        }
    }
}
