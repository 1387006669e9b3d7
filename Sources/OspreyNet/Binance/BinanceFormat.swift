import OspreyCore

/// Binance spot's public market data (`GET /api/v3/ticker/24hr` without a symbol: an array of 24 h
/// tickers, every amount a decimal string) as `PairSnapshot`s keyed `binance:<SYMBOL>`.
public enum BinanceFormat {
    /// Tickers of symbols quoted in `quoteAssets`; the last price of a USD stablecoin pair is read as USD.
    public static func tickers(_ document: JSON, quoteAssets: [String], observedAt: Double) throws(MarketShapeError) -> SourceBatch {
        guard let list = document.array else { throw MarketShapeError(description: "expected an array of 24 h tickers") }
        var batch = SourceBatch(pairs: [])
        for item in list {
            guard let symbol = item["symbol"]?.string, let quote = quoteAssets.first(where: { symbol.hasSuffix($0) && symbol.count > $0.count }) else {
                batch.skipped += item["symbol"]?.string == nil ? 1 : 0
                continue
            }
            guard let price = item["lastPrice"]?.decimal, !price.isZero else { continue }  // a halted or delisted symbol
            let base = String(symbol.dropLast(quote.count))
            let trades = item["count"]?.integer
            batch.pairs.append(PairSnapshot(
                token: TokenKey(chain: "binance", address: symbol), symbol: base, name: "\(base)/\(quote)", pairAddress: symbol,
                dex: "binance", quoteSymbol: quote, priceUSD: price, liquidityUSD: nil,
                volumeUSD: Windows(h24: item["quoteVolume"]?.decimal), priceChangePercent: Windows(h24: item["priceChangePercent"]?.decimal),
                trades: Windows(h24: trades.map { TradeCounts(buys: 0, sells: $0) }), createdAt: nil, source: "binance", observedAt: observedAt))
        }
        return batch
    }

    /// Binance's error body `{"code":-1003,"msg":"…"}` as "-1003 …", or nil.
    public static func error(_ document: JSON) -> String? {
        guard let code = document["code"]?.integer, let message = document["msg"]?.string else { return nil }
        return "\(code) \(message)"
    }
}
