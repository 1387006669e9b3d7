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
        let list: [JSON]
        if let array = document.array {
            list = array
        } else if let pairs = document["pairs"] {
            guard !pairs.isNull else { return Decoded(pairs: [], skipped: 0) }  // a search with no results
            guard let array = pairs.array else { throw MarketShapeError(description: "\"pairs\" is not an array") }
            list = array
        } else {
            throw MarketShapeError(description: "expected an array of pairs or an object with \"pairs\"")
        }
        var decoded = Decoded(pairs: [], skipped: 0)
        decoded.pairs.reserveCapacity(list.count)
        for item in list {
            if let pair = pair(item, source: source, observedAt: observedAt) {
                decoded.pairs.append(pair)
            } else {
                decoded.skipped += 1
            }
        }
        return decoded
    }

    static func pair(_ item: JSON, source: String, observedAt: Double) -> PairSnapshot? {
        guard let chain = item["chainId"]?.string, !chain.isEmpty,
              let base = item["baseToken"], let address = base["address"]?.string, !address.isEmpty,
              let symbol = base["symbol"]?.string else { return nil }
        func windows(_ field: String) -> Windows<Decimal> {
            let object = item[field]
            return Windows(m5: object?["m5"]?.decimal, h1: object?["h1"]?.decimal, h6: object?["h6"]?.decimal, h24: object?["h24"]?.decimal)
        }
        func counts(_ window: String) -> TradeCounts? {
            guard let entry = item["txns"]?[window], let buys = entry["buys"]?.integer, let sells = entry["sells"]?.integer else { return nil }
            return TradeCounts(buys: buys, sells: sells)
        }
        return PairSnapshot(
            token: TokenKey(chain: chain, address: address), symbol: symbol, name: base["name"]?.string ?? "",
            pairAddress: item["pairAddress"]?.string ?? "", dex: item["dexId"]?.string ?? "",
            quoteSymbol: item["quoteToken"]?["symbol"]?.string ?? "", priceUSD: item["priceUsd"]?.decimal,
            liquidityUSD: item["liquidity"]?["usd"]?.decimal, volumeUSD: windows("volume"), priceChangePercent: windows("priceChange"),
            trades: Windows(m5: counts("m5"), h1: counts("h1"), h6: counts("h6"), h24: counts("h24")),
            createdAt: item["pairCreatedAt"]?.integer.map { Double($0) / 1000 }, source: source, observedAt: observedAt)
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
