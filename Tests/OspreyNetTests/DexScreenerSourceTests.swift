import OspreyCore
import OspreyFakes
import OspreyNet
import OspreyRuntime
import Synchronization
import Testing

@Suite struct DexScreenerSourceTests {
    static let fake = FakeDexScreener(pairs: [
        "solana": (1...35).map { FakeDexScreener.pair(chain: "solana", token: "Sol\($0)", symbol: "S\($0)", price: "0.000\($0)", liquidity: "\($0)000.5") },
        "base": [FakeDexScreener.pair(chain: "base", token: "0xBASE1", symbol: "BASED", price: "1.25", liquidity: "99000")],
    ])

    func source(port: Int, clock: WallClock = .system, _ configure: (inout DexScreenerSettings) -> Void = { _ in }) -> DexScreenerSource {
        var settings = DexScreenerSettings(baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(5))
        configure(&settings)
        return DexScreenerSource(settings: settings, client: fakeServerClient, gate: SourceGate(
            source: "dexscreener", budgets: ["default": (60, .seconds(60)), "tokens": (300, .seconds(60))], clock: ContinuousClock(),
            backoff: Backoff(base: .milliseconds(50), cap: .milliseconds(200)), seed: 1), clock: clock)
    }

    /// The response cache expires on the injected wall clock: a test moves it instead of waiting.
    @Test func cachedRepliesExpireOnTheInjectedClock() async throws {
        let fake = FakeDexScreener(pairs: Self.fake.pairs)
        let now = Mutex(1_800_000_000.0)
        try await withFakeServer(fake.router) { port in
            let source = source(port: port, clock: WallClock { now.withLock { $0 } }) {
                $0.queries = ["SOL"]
                $0.discover = false
            }
            _ = try await source.scan(refresh: [], now: 0)
            now.withLock { $0 += 14 }
            _ = try await source.scan(refresh: [], now: 0)
            #expect(fake.requests.filter { $0.path.hasSuffix("/search") }.count == 1, "a search is cached for 15 s")
            now.withLock { $0 += 2 }
            _ = try await source.scan(refresh: [], now: 0)
            #expect(fake.requests.filter { $0.path.hasSuffix("/search") }.count == 2, "16 s later the search goes out again")
        }
    }

    @Test func discoversSearchesAndRefreshesInBatchesOfThirty() async throws {
        let fake = FakeDexScreener(pairs: Self.fake.pairs)
        try await withFakeServer(fake.router) { port in
            let source = source(port: port) { $0.queries = ["BASED"]; $0.chains = ["solana", "base"] }
            let batch = try await source.scan(refresh: [TokenKey(chain: "ethereum", address: "0xnope")], now: 1000)
            let tokens = Set(batch.pairs.map(\.token))
            #expect(tokens.count == 36, "35 solana tokens discovered, refreshed; BASED from the search")
            #expect(batch.pairs.first { $0.symbol == "S7" }?.priceUSD == Decimal("0.0007"))
            #expect(batch.pairs.first { $0.symbol == "S7" }?.liquidityUSD == Decimal("7000.5"))
            let refreshes = fake.requests.filter { $0.path.hasPrefix("/tokens/v1/") }
            #expect(refreshes.map { $0.path.split(separator: "/").last!.split(separator: ",").count }.sorted() == [1, 5, 30],
                    "solana in 30 + 5, base in 1; ethereum is not an allowed chain")
            #expect(fake.requests.contains { $0.path == "/latest/dex/search" && $0.query == "q=BASED" })
        }
    }

    @Test func aRateLimitIsWaitedOutAndServerErrorsAreRetried() async throws {
        let fake = FakeDexScreener(pairs: Self.fake.pairs)
        try await withFakeServer(fake.router) { port in
            let source = source(port: port) { $0.discover = false; $0.queries = ["S1"] }
            fake.inject(.status(429, retryAfter: "1"))
            fake.inject(.status(502, retryAfter: nil))
            let batch = try await source.scan(refresh: [], now: 1000)
            #expect(!batch.pairs.isEmpty)
            let searches = fake.requests.filter { $0.path == "/latest/dex/search" }
            #expect(searches.count == 3, "429, then 502, then success")
            #expect(searches[0].at.duration(to: searches[1].at) >= .seconds(1), "Retry-After: 1 obeyed")
        }
    }

    @Test func malformedTruncatedAndRefusedRepliesAreSourceErrorsNotCrashes() async throws {
        let fake = FakeDexScreener(pairs: Self.fake.pairs)
        try await withFakeServer(fake.router) { port in
            let source = source(port: port) { $0.discover = false; $0.queries = ["S1"] }
            for (fault, expected) in [
                (FakeDexScreener.Fault.body(#"{"schemaVersion":"1.0.0","pairs":[{"chainId":"sol"#), "malformed JSON at byte"),
                (.body("<html>Bad gateway</html>"), "malformed JSON at byte 0"),
                (.body(#"{"schemaVersion":"1.0.0","pairs":7}"#), "\"pairs\" is not an array"),
                (.status(404, retryAfter: nil), "HTTP 404 from http://127.0.0.1:\(port)/latest/dex/search"),
            ] {
                let before = fake.requests.count
                fake.inject(fault)
                do {
                    _ = try await source.scan(refresh: [], now: 1000)
                    Issue.record("accepted \(fault)")
                } catch {
                    #expect("\(error)".contains(expected), "\(error)")
                }
                #expect(fake.requests.count == before + 1, "not retried")
            }
        }
    }
}
