import OspreyCore
import OspreyFakes
import OspreyNet
import OspreyRuntime
import Testing

@Suite struct BinanceMarketSourceTests {
    static let tickers = [
        FakeBinance.ticker("BTCUSDT", last: "97123.45000000", change: "-1.234"), FakeBinance.ticker("ETHUSDT", last: "3456.78000000"),
        FakeBinance.ticker("ETHBTC", last: "0.03560000"), FakeBinance.ticker("DEADUSDT", last: "0.00000000"),
    ]

    func source(port: Int, weight: Int = 6000) -> (BinanceMarketSource, SourceGate<ContinuousClock>) {
        let settings = BinanceMarketSettings(baseURL: "http://127.0.0.1:\(port)", weightPerMinute: weight)
        let gate = SourceGate(source: "binance", budgets: ["default": (weight, .seconds(60))], clock: ContinuousClock(),
                              backoff: Backoff(base: .milliseconds(50), cap: .milliseconds(200)), seed: 2)
        return (BinanceMarketSource(settings: settings, client: fakeServerClient, gate: gate, clock: .system), gate)
    }

    @Test func tickersOfTheQuoteAssetsAsExactSnapshots() async throws {
        let fake = FakeBinance(tickers: Self.tickers)
        try await withFakeServer(fake.router) { port in
            let batch = try await source(port: port).0.scan(refresh: [], now: 1000)
            #expect(batch.pairs.map(\.token.description).sorted() == ["binance:BTCUSDT", "binance:ETHUSDT"], "USDT only; a zero price is skipped")
            let btc = try #require(batch.pairs.first { $0.symbol == "BTC" })
            #expect(btc.priceUSD?.description == "97123.45" && btc.priceChangePercent.h24 == Decimal("-1.234"))
            #expect(btc.volumeUSD.h24 == Decimal("123456.78") && btc.quoteSymbol == "USDT")
        }
    }

    @Test func theUsedWeightHeaderSlowsItDownBeforeTheLimit() async throws {
        // Another client on the same IP has used 120 of the 200: Osprey's own count (80 of 200 after one
        // request) would allow a second request; the server's X-MBX-USED-WEIGHT-1M (200) does not.
        let fake = FakeBinance(weightLimit: 200, alreadyUsed: 120, tickers: Self.tickers)
        try await withFakeServer(fake.router) { port in
            let (source, _) = source(port: port, weight: 200)
            _ = try await source.scan(refresh: [], now: 1000)
            let second = Task { try await source.scan(refresh: [], now: 1001) }
            try await Task.sleep(for: .milliseconds(500))
            #expect(fake.requests.count == 1, "waiting for the budget, not sending into a 429")
            second.cancel()
            _ = try? await second.value
        }
    }

    @Test func aRateLimitIsWaitedOutAndABanOpensTheCircuit() async throws {
        let fake = FakeBinance(tickers: Self.tickers)
        try await withFakeServer(fake.router) { port in
            let (source, gate) = source(port: port)
            fake.inject(429)
            _ = try await source.scan(refresh: [], now: 1000)
            let times = fake.requests.map(\.at)
            #expect(times.count == 2 && times[0].duration(to: times[1]) >= .seconds(1), "Retry-After: 1 obeyed, no 418")

            fake.inject(418)
            do {
                _ = try await source.scan(refresh: [], now: 1001)
                Issue.record("a ban was not reported")
            } catch let error as SourceError {
                #expect(error.kind == .rateLimited && error.description.contains("banned for"), "\(error)")
            }
            #expect(await gate.phase == .open)
            let before = fake.requests.count
            await #expect(throws: SourceError.self) { try await source.scan(refresh: [], now: 1002) }
            #expect(fake.requests.count == before, "no request while banned")
        }
    }

    @Test func klinesAreExactCandlesWeighedAtTwo() async throws {
        let fake = FakeBinance(tickers: Self.tickers)
        try await withFakeServer(fake.router) { port in
            let (source, _) = source(port: port)
            let candles = try await source.klines(symbol: "BTCUSDT", interval: .h1, limit: 3)
            #expect(candles.map(\.close) == [Decimal(100), Decimal(101), Decimal(102)] && candles[0].high == Decimal(101))
            #expect(candles[1].openTime - candles[0].openTime == 3_600_000 && candles[0].closeTime == candles[1].openTime - 1)
            #expect(candles[0].quoteVolume == Decimal("1050") && candles[0].trades == 42)
            do {
                _ = try await source.klines(symbol: "NOPEUSDT", interval: .m1)
                Issue.record("an unknown symbol was accepted")
            } catch let error as SourceError {
                #expect(error.kind == .failure && error.description.contains("-1121 Invalid symbol."), "\(error)")
            }
            await #expect(throws: SourceError.self, "refused before any request") { try await source.klines(symbol: "btc&x=1", interval: .m1) }
            #expect(fake.requests.count == 2)
        }
    }

    @Test func exchangeInfoGivesEachSymbolsFiltersAndIsCached() async throws {
        let fake = FakeBinance(tickers: Self.tickers)
        try await withFakeServer(fake.router) { port in
            let (source, _) = source(port: port)
            let rules = try await source.exchangeInfo(symbols: ["BTCUSDT", "ETHBTC"])
            #expect(rules.map(\.symbol) == ["BTCUSDT", "ETHBTC"] && rules[1].quoteAsset == "BTC" && rules[0].isTrading)
            let btc = rules[0]
            #expect(btc.price == .init(minPrice: Decimal("0.01")!, maxPrice: Decimal(1_000_000), tickSize: Decimal("0.01")!))
            #expect(btc.lotSize == .init(minQuantity: Decimal("0.00001")!, maxQuantity: Decimal(9000), stepSize: Decimal("0.00001")!))
            #expect(btc.marketLotSize?.stepSize == .zero, "a zero step: MARKET quantities are not stepped")
            #expect(btc.notional == .init(minNotional: Decimal(5), applyMinToMarket: true, maxNotional: Decimal(9_000_000), applyMaxToMarket: false))
            #expect(btc.quoteOrderQuantityMarketAllowed && btc.orderTypes.contains("MARKET"))
            _ = try await source.exchangeInfo(symbols: ["BTCUSDT", "ETHBTC"])
            #expect(fake.requests.count == 1, "served from the cache within the hour")
            let all = try await source.exchangeInfo()
            #expect(all.count == 4 && fake.requests.count == 2)
        }
    }
}
