import OspreyCore

/// DexScreener's pair objects (`/latest/dex/search` → `{schemaVersion, pairs}`, `/tokens/v1/{chain}/{addresses}`
/// → a bare array) as `PairSnapshot`s. Prices come as strings, volumes and liquidity as JSON numbers; both
/// become exact decimals. A pair missing its identity is skipped and counted; a document of the wrong
/// shape is an error.
public enum DexScreenerFormat {
    public struct Decoded: Sendable {
        public var pairs: [PairSnapshot]
        /// Pair objects without a chain, base token address or symbol.
        public var skipped: Int
    }

    public static func pairs(_ document: JSON, source: String, observedAt: Double) throws(MarketShapeError) -> Decoded {
        let decoded: Decoded? = document.withView { root in
            guard let list = root.isArray ? root : root["pairs"] else { return nil }
            guard !list.isNull else { return Decoded(pairs: [], skipped: 0) }  // a search with no results
            guard list.isArray else { return nil }
            var decoded = Decoded(pairs: [], skipped: 0)
            decoded.pairs.reserveCapacity(list.count)
            list.forEachElement { item in
                if let pair = pair(item, source: source, observedAt: observedAt) {
                    decoded.pairs.append(pair)
                } else {
                    decoded.skipped += 1
                }
            }
            return decoded
        }
        guard let decoded else {
            throw MarketShapeError(description: document["pairs"] == nil
                ? "expected an array of pairs or an object with \"pairs\"" : "\"pairs\" is not an array")
        }
        return decoded
    }

    /// One pair object, its members read in one pass.
    static func pair(_ item: JSON.View, source: String, observedAt: Double) -> PairSnapshot? {
        var (chain, address, symbol, name, pairAddress, dex, quoteSymbol) = (nil as String?, nil as String?, nil as String?, "", "", "", "")
        var (price, liquidity, createdAt) = (nil as Decimal?, nil as Decimal?, nil as Double?)
        var (volume, change, trades) = (Windows<Decimal>(), Windows<Decimal>(), Windows<TradeCounts>())
        item.forEachMember { key, value in
            switch key {
            case "chainId": chain = value.string
            case "baseToken":
                value.forEachMember { key, value in
                    switch key {
                    case "address": address = value.string
                    case "symbol": symbol = value.string
                    case "name": name = value.string ?? ""
                    default: break
                    }
                }
            case "quoteToken": quoteSymbol = value["symbol"]?.string ?? ""
            case "pairAddress": pairAddress = value.string ?? ""
            case "dexId": dex = value.string ?? ""
            case "priceUsd": price = value.decimal
            case "liquidity": liquidity = value["usd"]?.decimal
            case "volume": volume = windows(value) { $0.decimal }
            case "priceChange": change = windows(value) { $0.decimal }
            case "txns":
                trades = windows(value) { entry in
                    guard let buys = entry["buys"]?.integer, let sells = entry["sells"]?.integer else { return nil }
                    return TradeCounts(buys: buys, sells: sells)
                }
            case "pairCreatedAt": createdAt = value.integer.map { Double($0) / 1000 }
            default: break
            }
        }
        guard let chain, !chain.isEmpty, let address, !address.isEmpty, let symbol else { return nil }
        return PairSnapshot(
            token: TokenKey(chain: chain, address: address), symbol: symbol, name: name, pairAddress: pairAddress, dex: dex,
            quoteSymbol: quoteSymbol, priceUSD: price, liquidityUSD: liquidity, volumeUSD: volume, priceChangePercent: change,
            trades: trades, createdAt: createdAt, source: source, observedAt: observedAt)
    }

    /// `{m5, h1, h6, h24}` of an object, each read by `read`.
    private static func windows<Value>(_ object: JSON.View, _ read: (JSON.View) -> Value?) -> Windows<Value> {
        var windows = Windows<Value>()
        object.forEachMember { key, value in
            switch key {
            case "m5": windows.m5 = read(value)
            case "h1": windows.h1 = read(value)
            case "h6": windows.h6 = read(value)
            case "h24": windows.h24 = read(value)
            default: break
            }
        }
        return windows
    }

    /// `/token-profiles/latest/v1` and `/token-boosts/latest/v1`: arrays of `{chainId, tokenAddress, …}`.
    public static func discoveredTokens(_ document: JSON) throws(MarketShapeError) -> [TokenKey] {
        guard let list = document.array else { throw MarketShapeError(description: "expected an array of token profiles") }
        return list.compactMap { item in
            guard let chain = item["chainId"]?.string, let address = item["tokenAddress"]?.string, !chain.isEmpty, !address.isEmpty else { return nil }
            return TokenKey(chain: chain, address: address)
        }
    }
}

/// A market API reply that parsed as JSON but is not the documented shape.
public struct MarketShapeError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension MarketShapeError: CodedError {
    public var code: String { "malformed" }
}
