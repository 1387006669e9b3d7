/// What an exchange accepts for one symbol (Binance's `exchangeInfo` filters), every bound exact.
/// Absent filters are nil: the exchange does not check them.
public struct SymbolRules: Sendable, Equatable {
    public struct PriceFilter: Sendable, Equatable {
        /// Zero when the exchange disables that bound.
        public var minPrice: Decimal
        public var maxPrice: Decimal
        public var tickSize: Decimal

        public init(minPrice: Decimal, maxPrice: Decimal, tickSize: Decimal) {
            self.minPrice = minPrice
            self.maxPrice = maxPrice
            self.tickSize = tickSize
        }
    }

    /// LOT_SIZE and MARKET_LOT_SIZE.
    public struct LotSize: Sendable, Equatable {
        public var minQuantity: Decimal
        public var maxQuantity: Decimal
        public var stepSize: Decimal

        public init(minQuantity: Decimal, maxQuantity: Decimal, stepSize: Decimal) {
            self.minQuantity = minQuantity
            self.maxQuantity = maxQuantity
            self.stepSize = stepSize
        }
    }

    /// NOTIONAL (and the older MIN_NOTIONAL): price × quantity bounds, and whether MARKET orders are held to them.
    public struct Notional: Sendable, Equatable {
        public var minNotional: Decimal
        public var applyMinToMarket: Bool
        /// nil when there is no upper bound.
        public var maxNotional: Decimal?
        public var applyMaxToMarket: Bool

        public init(minNotional: Decimal, applyMinToMarket: Bool, maxNotional: Decimal?, applyMaxToMarket: Bool) {
            self.minNotional = minNotional
            self.applyMinToMarket = applyMinToMarket
            self.maxNotional = maxNotional
            self.applyMaxToMarket = applyMaxToMarket
        }
    }

    public var symbol: String
    /// `TRADING`, `BREAK`, `HALT`…: orders are accepted only while `TRADING`.
    public var status: String
    public var baseAsset: String
    public var quoteAsset: String
    /// Decimals the exchange accepts for a quote amount (`quoteOrderQty`).
    public var quoteAssetPrecision: Int
    public var orderTypes: [String]
    public var quoteOrderQuantityMarketAllowed: Bool
    public var price: PriceFilter?
    public var lotSize: LotSize?
    public var marketLotSize: LotSize?
    public var notional: Notional?

    public init(
        symbol: String, status: String, baseAsset: String, quoteAsset: String, quoteAssetPrecision: Int = 8, orderTypes: [String] = ["LIMIT", "MARKET"],
        quoteOrderQuantityMarketAllowed: Bool = true, price: PriceFilter? = nil, lotSize: LotSize? = nil,
        marketLotSize: LotSize? = nil, notional: Notional? = nil
    ) {
        self.symbol = symbol
        self.status = status
        self.baseAsset = baseAsset
        self.quoteAsset = quoteAsset
        self.quoteAssetPrecision = quoteAssetPrecision
        self.orderTypes = orderTypes
        self.quoteOrderQuantityMarketAllowed = quoteOrderQuantityMarketAllowed
        self.price = price
        self.lotSize = lotSize
        self.marketLotSize = marketLotSize
        self.notional = notional
    }

    public var isTrading: Bool { status == "TRADING" }
}
