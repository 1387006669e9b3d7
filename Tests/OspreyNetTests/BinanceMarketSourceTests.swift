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
        return (BinanceMarketSource(settings: settings, client: CurlHTTPClientTests.client, gate: gate), gate)
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
}
