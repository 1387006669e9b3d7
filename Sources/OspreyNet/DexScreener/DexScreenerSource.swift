import Metrics
import OspreyCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The `dexscreener` source: discovery from the latest token profiles and boosts, the configured searches,
/// then the tracked and discovered tokens refreshed through `/tokens/v1/{chain}/{up to 30 addresses}`.
/// Every request goes through the gate (budgets: 60 a minute for profiles, boosts and search; 300 for
/// tokens, as DexScreener publishes them); idempotent GETs are cached briefly.
public final class DexScreenerSource: MarketSource {
    public let name = "dexscreener"
    /// Tokens refreshed per scan at most (10 requests of 30).
    public static let refreshLimit = 300
    let settings: DexScreenerSettings
    let client: CurlHTTPClient
    let gate: any RequestGate
    let clock: WallClock
    private let cache = Mutex(ExpiringCache<String, JSON>(capacity: 512))
    private let hits = Counter(label: MetricCatalog.cacheRequests.name, dimensions: [("cache", "dexscreener"), ("result", "hit")])
    private let misses = Counter(label: MetricCatalog.cacheRequests.name, dimensions: [("cache", "dexscreener"), ("result", "miss")])

    public init(settings: DexScreenerSettings, client: CurlHTTPClient, gate: any RequestGate, clock: WallClock) {
        self.clock = clock
        self.settings = settings
        self.client = client
        self.gate = gate
    }

    public func scan(refresh: [TokenKey], now: Double) async throws -> SourceBatch {
        var batch = SourceBatch(pairs: [])
        var wanted: [TokenKey] = []
        if settings.discover {
            for (path, endpoint) in [("/token-profiles/latest/v1", "profiles"), ("/token-boosts/latest/v1", "boosts")] {
                wanted += try await get(path, endpoint: endpoint, ttl: 30) { try DexScreenerFormat.discoveredTokens($0) }
            }
        }
        for query in settings.queries {
            add(try await get("/latest/dex/search?q=\(HTTPClientRequest.percentEncoded(query))", endpoint: "search", ttl: 15) { [name] in
                try DexScreenerFormat.pairs($0, source: name, observedAt: now)
            }, to: &batch)
        }
        var seen = Set<TokenKey>()
        let chosen = (refresh + wanted).filter { allowed($0.chain) && !$0.chain.isEmpty && seen.insert($0).inserted }.prefix(Self.refreshLimit)
        for (chain, keys) in Dictionary(grouping: chosen, by: \.chain).sorted(by: { $0.key < $1.key }) {
            for start in stride(from: 0, to: keys.count, by: 30) {
                let addresses = keys[start..<min(start + 30, keys.count)].map(\.address).map(HTTPClientRequest.percentEncoded).joined(separator: ",")
                add(try await get("/tokens/v1/\(HTTPClientRequest.percentEncoded(chain))/\(addresses)", endpoint: "tokens", ttl: 5) { [name] in
                    try DexScreenerFormat.pairs($0, source: name, observedAt: now)
                }, to: &batch)
            }
        }
        return batch
    }

    private func add(_ decoded: DexScreenerFormat.Decoded, to batch: inout SourceBatch) {
        batch.pairs += decoded.pairs.filter { allowed($0.token.chain) }
        batch.skipped += decoded.skipped
    }

    private func allowed(_ chain: String) -> Bool {
        settings.chains.isEmpty || settings.chains.contains(chain)
    }

    /// A GET through the cache and the gate. `decode` runs inside the attempt, so a body of the wrong shape
    /// is a source failure (counted, never cached) like malformed JSON.
    func get<Value: Sendable>(
        _ path: String, endpoint: String, ttl: Double, decode: @escaping @Sendable (JSON) throws -> Value
    ) async throws -> Value {
        let url = settings.baseURL + path
        let clock = self.clock
        if let cached = cache.withLock({ $0.get(url, now: clock.now()) }) {
            hits.increment()
            return try decode(cached)
        }
        misses.increment()
        let request = HTTPClientRequest(.get, url, headers: [("Accept", "application/json")], timeout: settings.timeout)
        let (client, proxy) = (self.client, settings.proxy)
        let (document, value) = try await gate.perform(endpoint, cost: 1) {
            await Self.classify(request, client: client, proxy: proxy, clock: clock, decode: decode)
        }
        cache.withLock { $0.set(url, document, ttl: ttl, now: clock.now()) }
        return value
    }

    /// 200 with JSON of the expected shape → success; 429 (or 503 with Retry-After) → rate limited; 5xx and
    /// transport failures → transient; everything else, malformed or misshapen bodies included, → failure.
    static func classify<Value: Sendable>(
        _ request: HTTPClientRequest, client: CurlHTTPClient, proxy: String?, clock: WallClock, decode: @Sendable (JSON) throws -> Value
    ) async -> GateReply<(JSON, Value)> {
        let response: HTTPClientResponse
        do {
            response = try await client.send(request, proxy: proxy)
        } catch {
            return error.gateReply()
        }
        let code = String(response.status)
        let retryAfter = response.retryAfter(now: clock.now())
        switch response.status {
        case 200:
            do {
                let document = try JSON.parse(response.body)
                return .success((document, try decode(document)), code: code)
            } catch {
                return .failure("\(RedactedURL.display(request.url)): \(error)", code: "malformed")
            }
        case _ where response.status == 429 || (response.status == 503 && retryAfter != nil):
            return .rateLimited(retryAfter: retryAfter, code: code)
        case 500...599:
            return .transient("HTTP \(code) from \(RedactedURL.display(request.url))", code: code)
        default:
            let excerpt = String(decoding: response.body.prefix(200), as: UTF8.self)
            return .failure("HTTP \(code) from \(RedactedURL.display(request.url)): \(excerpt)", code: code)
        }
    }
}
