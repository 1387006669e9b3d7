import OspreyCore
import OspreyNet
import Testing

@Suite struct DexScreenerFormatTests {
    static let search = #"""
        {"schemaVersion":"1.0.0","pairs":[
          {"chainId":"solana","dexId":"raydium","url":"https://dexscreener.com/solana/p1","pairAddress":"P1",
           "baseToken":{"address":"So1Token","name":"Wif Hat","symbol":"WIF"},"quoteToken":{"address":"So111","name":"Wrapped SOL","symbol":"SOL"},
           "priceNative":"0.01234","priceUsd":"2.3456","txns":{"m5":{"buys":12,"sells":4},"h1":{"buys":120,"sells":90},"h6":{"buys":500,"sells":480},"h24":{"buys":2000,"sells":1900}},
           "volume":{"h24":1234567.891234,"h6":300000,"h1":50000.5,"m5":4000},"priceChange":{"m5":1.5,"h1":-2.25,"h6":3,"h24":10.75},
           "liquidity":{"usd":250000.12,"base":100000,"quote":900},"fdv":2345600000,"marketCap":2345600000,"pairCreatedAt":1700000000000},
          {"chainId":"ethereum","dexId":"uniswap","pairAddress":"0xPAIR","baseToken":{"address":"0xAbCdEf","name":"Pepe","symbol":"PEPE"},
           "quoteToken":{"symbol":"WETH"},"priceUsd":"0.00000123"},
          {"chainId":"base","baseToken":{"name":"no address"}}
        ]}
        """#

    @Test func searchResultsBecomeExactSnapshots() throws {
        let decoded = try DexScreenerFormat.pairs(try JSON.parse(Array(Self.search.utf8)), source: "dexscreener", observedAt: 100)
        #expect(decoded.pairs.count == 2 && decoded.skipped == 1)
        let wif = decoded.pairs[0]
        #expect(wif.token == TokenKey(chain: "solana", address: "So1Token") && wif.symbol == "WIF" && wif.quoteSymbol == "SOL")
        #expect(wif.priceUSD == Decimal("2.3456") && wif.liquidityUSD == Decimal("250000.12"))
        #expect(wif.volumeUSD.h24 == Decimal("1234567.891234") && wif.priceChangePercent.h1 == Decimal("-2.25"))
        #expect(wif.trades.m5 == TradeCounts(buys: 12, sells: 4) && wif.createdAt == 1_700_000_000)
        #expect(decoded.pairs[1].token.address == "0xabcdef", "EVM addresses compare lower-case")
        #expect(decoded.pairs[1].priceUSD?.description == "0.00000123")
    }

    @Test func bareArraysNullPairsAndWrongShapes() throws {
        let bare = try DexScreenerFormat.pairs(try JSON.parse(Array(#"[{"chainId":"bsc","baseToken":{"address":"0x1","symbol":"A"}}]"#.utf8)), source: "d", observedAt: 0)
        #expect(bare.pairs.count == 1)
        #expect(try DexScreenerFormat.pairs(try JSON.parse(Array(#"{"schemaVersion":"1.0.0","pairs":null}"#.utf8)), source: "d", observedAt: 0).pairs.isEmpty)
        #expect(throws: MarketShapeError.self) { try DexScreenerFormat.pairs(try JSON.parse(Array(#"{"error":"x"}"#.utf8)), source: "d", observedAt: 0) }
        let profiles = try DexScreenerFormat.discoveredTokens(try JSON.parse(Array(#"[{"url":"u","chainId":"solana","tokenAddress":"Mint1","icon":"i"},{"chainId":"base"}]"#.utf8)))
        #expect(profiles == [TokenKey(chain: "solana", address: "Mint1")])
    }
}
