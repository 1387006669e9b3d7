import Metrics
import OspreyCore
import Synchronization

/// The `binance` source: spot public market data under the `REQUEST_WEIGHT` budget, slowing down as
/// `X-MBX-USED-WEIGHT-1M` approaches it; 429 → wait the `Retry-After`; 418 (an IP ban) → circuit open until
/// it ends. A scan reads every symbol's 24 h ticker in one request; strategies and order filters read
/// `klines` and `exchangeInfo` (cached for an hour: it changes rarely and weighs 20).
public final class BinanceMarketSource: MarketSource {
    public let name = "binance"
    /// Binance's request weights: `/api/v3/ticker/24hr` without a symbol, `/api/v3/klines`, `/api/v3/exchangeInfo`.
    public static let tickerWeight = 80.0
    public static let klinesWeight = 2.0
    public static let exchangeInfoWeight = 20.0
    public static let exchangeInfoTTL = 3600.0
    let settings: BinanceMarketSettings
    let client: CurlHTTPClient
    let gate: any RequestGate
    let clock: WallClock
    private let rules = Mutex(ExpiringCache<String, [SymbolRules]>(capacity: 16))
    private let hits = Counter(label: MetricCatalog.cacheRequests.name, dimensions: [("cache", "binance"), ("result", "hit")])
    private let misses = Counter(label: MetricCatalog.cacheRequests.name, dimensions: [("cache", "binance"), ("result", "miss")])

    public init(settings: BinanceMarketSettings, client: CurlHTTPClient, gate: any RequestGate, clock: WallClock) {
        self.clock = clock
        self.settings = settings
        self.client = client
        self.gate = gate
    }

    public func scan(refresh: [TokenKey], now: Double) async throws -> SourceBatch {
        let quoteAssets = settings.quoteAssets
        return try await get("/api/v3/ticker/24hr", endpoint: "ticker", weight: Self.tickerWeight) {
            try BinanceFormat.tickers($0, quoteAssets: quoteAssets, observedAt: now)
        }
    }

    /// The latest `limit` (1…1000) candles of `symbol`, oldest first; the last one is still open.
    public func klines(symbol: String, interval: KlineInterval, limit: Int = 100) async throws -> [Kline] {
        try Self.validate(symbol)
        guard (1...1000).contains(limit) else { throw SourceError(.failure, "klines: limit must be 1 to 1000, not \(limit)") }
        return try await get("/api/v3/klines?symbol=\(symbol)&interval=\(interval.rawValue)&limit=\(limit)", endpoint: "klines",
                             weight: Self.klinesWeight) { try BinanceFormat.klines($0) }
    }

    /// The rules of `symbols` (every symbol when empty), from the cache when younger than an hour.
    public func exchangeInfo(symbols: [String] = []) async throws -> [SymbolRules] {
        for symbol in symbols { try Self.validate(symbol) }
        let query = symbols.isEmpty ? "" : "?symbols=" + HTTPClientRequest.percentEncoded("[" + symbols.map { "\"\($0)\"" }.joined(separator: ",") + "]")
        let clock = self.clock
        if let cached = rules.withLock({ $0.get(query, now: clock.now()) }) {
            hits.increment()
            return cached
        }
        misses.increment()
        let fetched = try await get("/api/v3/exchangeInfo" + query, endpoint: "exchangeInfo", weight: Self.exchangeInfoWeight) {
            try BinanceFormat.exchangeInfo($0).symbols
        }
        rules.withLock { $0.set(query, fetched, ttl: Self.exchangeInfoTTL, now: clock.now()) }
        return fetched
    }

    /// Binance symbols are 1–20 of `A-Z 0-9 - _ .`; anything else is refused before a request is made.
    static func validate(_ symbol: String) throws(SourceError) {
        let allowed = symbol.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
        guard allowed && (1...20).contains(symbol.utf8.count) else { throw SourceError(.failure, "\"\(symbol)\" is not a Binance symbol") }
    }

    private func get<Value: Sendable>(
        _ path: String, endpoint: String, weight: Double, decode: @escaping @Sendable (JSON) throws -> Value
    ) async throws -> Value {
        let request = HTTPClientRequest(.get, settings.baseURL + path, headers: [("Accept", "application/json")], timeout: settings.timeout)
        let (client, settings, clock) = (self.client, self.settings, self.clock)
        return try await gate.perform(endpoint, cost: weight) {
            await Self.classify(request, client: client, settings: settings, clock: clock, decode: decode)
        }
    }

    static func classify<Value: Sendable>(
        _ request: HTTPClientRequest, client: CurlHTTPClient, settings: BinanceMarketSettings, clock: WallClock,
        decode: @Sendable (JSON) throws -> Value
    ) async -> GateReply<Value> {
        let response: HTTPClientResponse
        do {
            response = try await client.send(request, proxy: settings.proxy)
        } catch {
            return error.gateReply()
        }
        let code = String(response.status)
        let retryAfter = response.retryAfter(now: clock.now())
        let used = response.header("x-mbx-used-weight-1m").flatMap { Double($0) }
        let document = try? JSON.parse(response.body)
        switch response.status {
        case 200:
            guard let document else { return .failure("\(RedactedURL.display(request.url)): malformed JSON", code: "malformed") }
            do {
                return .success(try decode(document), code: code, remaining: used.map { Double(settings.weightPerMinute) - $0 })
            } catch {
                return .failure("\(RedactedURL.display(request.url)): \(error)", code: "malformed")
            }
        case 429:
            return .rateLimited(retryAfter: retryAfter, code: code)
        case 418:
            return .banned(for: retryAfter, code: code)
        case 500...599:
            return .transient("HTTP \(code) from \(RedactedURL.display(request.url))", code: code)
        default:
            let detail = document.flatMap(BinanceFormat.error) ?? String(decoding: response.body.prefix(200), as: UTF8.self)
            return .failure("HTTP \(code) from \(RedactedURL.display(request.url)): \(detail)", code: code)
        }
    }
}
