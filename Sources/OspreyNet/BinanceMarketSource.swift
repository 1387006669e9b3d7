import OspreyCore

/// The `binance` source: every spot symbol's 24 h ticker in one request (weight 80), under the
/// `REQUEST_WEIGHT` budget, slowing down as `X-MBX-USED-WEIGHT-1M` approaches it; 429 → wait the
/// `Retry-After`; 418 (an IP ban) → circuit open until it ends.
public final class BinanceMarketSource: MarketSource {
    public let name = "binance"
    /// Binance's weight of `/api/v3/ticker/24hr` without a symbol.
    public static let tickerWeight = 80.0
    let settings: BinanceMarketSettings
    let client: CurlHTTPClient
    let gate: any RequestGate

    public init(settings: BinanceMarketSettings, client: CurlHTTPClient, gate: any RequestGate) {
        self.settings = settings
        self.client = client
        self.gate = gate
    }

    public func scan(refresh: [TokenKey], now: Double) async throws -> SourceBatch {
        let request = HTTPClientRequest(.get, settings.baseURL + "/api/v3/ticker/24hr", headers: [("Accept", "application/json")], timeout: settings.timeout)
        let (client, settings) = (self.client, self.settings)
        return try await gate.perform("ticker", cost: Self.tickerWeight) {
            await Self.classify(request, client: client, settings: settings, now: now)
        }
    }

    static func classify(_ request: HTTPClientRequest, client: CurlHTTPClient, settings: BinanceMarketSettings, now: Double) async -> GateReply<SourceBatch> {
        let response: HTTPClientResponse
        do {
            response = try await client.send(request, proxy: settings.proxy)
        } catch {
            return error.gateReply()
        }
        let code = String(response.status)
        let retryAfter = response.retryAfter
        let used = response.header("x-mbx-used-weight-1m").flatMap { Double($0) }
        let document = try? JSON.parse(response.body)
        switch response.status {
        case 200:
            guard let document else { return .failure("\(RedactedURL.display(request.url)): malformed JSON", code: "malformed") }
            do {
                let batch = try BinanceFormat.tickers(document, quoteAssets: settings.quoteAssets, observedAt: now)
                return .success(batch, code: code, remaining: used.map { Double(settings.weightPerMinute) - $0 })
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
