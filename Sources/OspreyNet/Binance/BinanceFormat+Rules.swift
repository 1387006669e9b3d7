import OspreyCore

/// Binance's `/api/v3/klines` rows and `/api/v3/exchangeInfo` symbols.
extension BinanceFormat {
    public static func klines(_ document: JSON) throws(MarketShapeError) -> [Kline] {
        guard let rows = document.array else { throw MarketShapeError(description: "expected an array of klines") }
        var klines: [Kline] = []
        klines.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            guard let fields = row.array, fields.count >= 9,
                  let openTime = fields[0].integer, let open = fields[1].decimal, let high = fields[2].decimal,
                  let low = fields[3].decimal, let close = fields[4].decimal, let volume = fields[5].decimal,
                  let closeTime = fields[6].integer, let quoteVolume = fields[7].decimal, let trades = fields[8].integer
            else { throw MarketShapeError(description: "kline \(index) is not [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, …]") }
            klines.append(Kline(
                openTime: openTime, open: open, high: high, low: low, close: close, volume: volume, closeTime: closeTime,
                quoteVolume: quoteVolume, trades: trades))
        }
        return klines
    }

    /// Each symbol's rules, and the REQUEST_WEIGHT limit per minute when the reply states it.
    public static func exchangeInfo(_ document: JSON) throws(MarketShapeError) -> (symbols: [SymbolRules], weightPerMinute: Int?) {
        guard let symbols = document["symbols"]?.array else { throw MarketShapeError(description: "expected an object with \"symbols\"") }
        var rules: [SymbolRules] = []
        rules.reserveCapacity(symbols.count)
        for item in symbols {
            guard let symbol = item["symbol"]?.string, let status = item["status"]?.string,
                  let base = item["baseAsset"]?.string, let quote = item["quoteAsset"]?.string
            else { throw MarketShapeError(description: "symbol \(rules.count) lacks symbol, status, baseAsset or quoteAsset") }
            var entry = SymbolRules(
                symbol: symbol, status: status, baseAsset: base, quoteAsset: quote,
                quoteAssetPrecision: item["quoteAssetPrecision"]?.integer.map { Int(min(max($0, 0), 38)) } ?? 8,
                orderTypes: item["orderTypes"]?.array?.compactMap(\.string) ?? [],
                quoteOrderQuantityMarketAllowed: item["quoteOrderQtyMarketAllowed"]?.boolean ?? false)
            for filter in item["filters"]?.array ?? [] {
                func amount(_ key: String) throws(MarketShapeError) -> Decimal {
                    guard let value = filter[key]?.decimal else {
                        throw MarketShapeError(description: "\(symbol): filter \(filter["filterType"]?.string ?? "?") lacks a decimal \"\(key)\"")
                    }
                    return value
                }
                switch filter["filterType"]?.string {
                case "PRICE_FILTER":
                    entry.price = .init(minPrice: try amount("minPrice"), maxPrice: try amount("maxPrice"), tickSize: try amount("tickSize"))
                case "LOT_SIZE":
                    entry.lotSize = .init(minQuantity: try amount("minQty"), maxQuantity: try amount("maxQty"), stepSize: try amount("stepSize"))
                case "MARKET_LOT_SIZE":
                    entry.marketLotSize = .init(minQuantity: try amount("minQty"), maxQuantity: try amount("maxQty"), stepSize: try amount("stepSize"))
                case "NOTIONAL":
                    let maximum = try amount("maxNotional")
                    entry.notional = .init(
                        minNotional: try amount("minNotional"), applyMinToMarket: filter["applyMinToMarket"]?.boolean ?? true,
                        maxNotional: maximum, applyMaxToMarket: filter["applyMaxToMarket"]?.boolean ?? false)
                case "MIN_NOTIONAL" where entry.notional == nil:
                    entry.notional = .init(
                        minNotional: try amount("minNotional"), applyMinToMarket: filter["applyToMarket"]?.boolean ?? true,
                        maxNotional: nil, applyMaxToMarket: false)
                default: continue  // PERCENT_PRICE_BY_SIDE, ICEBERG_PARTS, MAX_NUM_ORDERS… are not used by Osprey's orders
                }
            }
            rules.append(entry)
        }
        let weight = document["rateLimits"]?.array?.first {
            $0["rateLimitType"]?.string == "REQUEST_WEIGHT" && $0["interval"]?.string == "MINUTE" && $0["intervalNum"]?.integer == 1
        }?["limit"]?.integer
        return (rules, weight.map { Int($0) })
    }
}
