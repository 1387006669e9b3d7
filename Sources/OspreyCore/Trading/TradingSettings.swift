/// `[trading]`, `[risk]`, `[trading.paper]` and `[exchanges.binance]`.
public struct TradingSettings: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case paper, live
    }

    public var mode: Mode
    /// The asset positions are valued in and entries spend (paper symbols are `<BASE><QUOTE>`).
    public var quoteAsset: String
    public var risk: RiskLimits
    public var paper: PaperSettings
    public var binance: BinanceTradingSettings

    public init(mode: Mode = .paper, quoteAsset: String = "USDT", risk: RiskLimits = .init(), paper: PaperSettings = .init(),
                binance: BinanceTradingSettings = .init()) {
        self.mode = mode
        self.quoteAsset = quoteAsset
        self.risk = risk
        self.paper = paper
        self.binance = binance
    }
}

/// `[exchanges.binance]`: the spot account used when `[trading].mode = "live"`.
public struct BinanceTradingSettings: Sendable, Equatable {
    public static let defaultBaseURL = "https://api.binance.com"
    public var baseURL: String
    /// Name of the key in Osprey's key store (`osprey keys add NAME`).
    public var key: String?
    public var receiveWindow: Duration
    public var weightPerMinute: Int
    public var timeout: Duration
    public var proxy: String?

    public init(baseURL: String = Self.defaultBaseURL, key: String? = nil, receiveWindow: Duration = .seconds(5), weightPerMinute: Int = 6000,
                timeout: Duration = .seconds(10), proxy: String? = nil) {
        self.baseURL = baseURL
        self.key = key
        self.receiveWindow = receiveWindow
        self.weightPerMinute = weightPerMinute
        self.timeout = timeout
        self.proxy = proxy
    }
}
