import Hummingbird
import NIOCore
import Synchronization

/// A local DexScreener: the documented endpoints and shapes (`/token-profiles/latest/v1`,
/// `/token-boosts/latest/v1`, `/latest/dex/search?q=` → `{schemaVersion, pairs}`, `/tokens/v1/{chain}/{a,b,…}`
/// → a bare array, at most 30 addresses), its per-minute limits (60 and 300, then 429), and faults a test
/// queues: a status with an optional `Retry-After`, a malformed or truncated body.
public final class FakeDexScreener: Sendable {
    public enum Fault: Sendable {
        case status(Int, retryAfter: String?)
        case body(String)
    }

    public struct Received: Sendable {
        public let path: String
        public let query: String
        public let at: ContinuousClock.Instant
    }

    private struct State {
        var faults: [Fault] = []
        var requests: [Received] = []
        var windowStart = ContinuousClock.now
        var counts: [String: Int] = [:]
    }

    private let state = Mutex(State())
    /// Pairs served, by chain: each is a full DexScreener pair object.
    public let pairs: [String: [String]]

    public init(pairs: [String: [String]]) {
        self.pairs = pairs
    }

    public func inject(_ fault: Fault) { state.withLock { $0.faults.append(fault) } }
    public var requests: [Received] { state.withLock { $0.requests } }

    public static func pair(chain: String, token: String, symbol: String, price: String, liquidity: String, volume: String = "1000", createdMs: Int = 1_700_000_000_000) -> String {
        #"{"chainId":"\#(chain)","dexId":"raydium","url":"https://dexscreener.com/\#(chain)/p-\#(token)","pairAddress":"p-\#(token)","baseToken":{"address":"\#(token)","name":"\#(symbol) token","symbol":"\#(symbol)"},"quoteToken":{"address":"q","name":"Quote","symbol":"SOL"},"priceNative":"1","priceUsd":"\#(price)","txns":{"m5":{"buys":5,"sells":3},"h1":{"buys":50,"sells":40},"h6":{"buys":300,"sells":280},"h24":{"buys":900,"sells":850}},"volume":{"h24":\#(volume),"h6":100,"h1":40,"m5":4},"priceChange":{"m5":0.5,"h1":-1.2,"h6":3,"h24":12.5},"liquidity":{"usd":\#(liquidity),"base":1000,"quote":10},"fdv":1000000,"marketCap":1000000,"pairCreatedAt":\#(createdMs)}"#
    }

    public var router: Router<BasicRequestContext> {
        let router = Router()
        router.get("/token-profiles/latest/v1") { request, _ in self.serve(request, limit: 60) {
            self.pairs.flatMap { chain, list in list.indices.map { #"{"url":"u","chainId":"\#(chain)","tokenAddress":"\#(Self.token(list[$0]))","icon":"i"}"# } }.joined(separator: ",").wrapped("[", "]")
        } }
        router.get("/token-boosts/latest/v1") { request, _ in self.serve(request, limit: 60) { "[]" } }
        router.get("/latest/dex/search") { request, _ in self.serve(request, limit: 60) {
            let query = request.uri.queryParameters["q"].map(String.init) ?? ""
            let found = self.pairs.values.flatMap { $0 }.filter { $0.lowercased().contains(query.lowercased()) }
            return #"{"schemaVersion":"1.0.0","pairs":[\#(found.joined(separator: ","))]}"#
        } }
        router.get("/tokens/v1/:chain/:addresses") { request, context in self.serve(request, limit: 300) {
            let chain = context.parameters.get("chain") ?? ""
            let addresses = (context.parameters.get("addresses") ?? "").split(separator: ",").map(String.init)
            guard addresses.count <= 30 else { return nil }
            return (self.pairs[chain] ?? []).filter { addresses.contains(Self.token($0)) }.joined(separator: ",").wrapped("[", "]")
        } }
        return router
    }

    /// The token address inside a pair object.
    static func token(_ pair: String) -> String {
        let marker = #""baseToken":{"address":""#
        guard let range = pair.firstRange(of: marker) else { return "" }
        return String(pair[range.upperBound...].prefix { $0 != "\"" })
    }

    private func serve(_ request: Request, limit: Int, body: () -> String?) -> Response {
        let path = request.uri.path
        let group = path.hasPrefix("/tokens/") ? "tokens" : "default"
        let (fault, overLimit) = state.withLock { state -> (Fault?, Bool) in
            state.requests.append(Received(path: path, query: request.uri.query ?? "", at: .now))
            if state.windowStart.duration(to: .now) > .seconds(60) {
                state.windowStart = .now
                state.counts = [:]
            }
            state.counts[group, default: 0] += 1
            return (state.faults.isEmpty ? nil : state.faults.removeFirst(), state.counts[group]! > limit)
        }
        if overLimit { return Self.response(429, #"{"error":"rate limit exceeded"}"#, retryAfter: "60") }
        switch fault {
        case .status(let status, let retryAfter)?: return Self.response(status, #"{"error":"injected"}"#, retryAfter: retryAfter)
        case .body(let text)?: return Self.response(200, text, retryAfter: nil)
        case nil:
            guard let text = body() else { return Self.response(400, #"{"error":"too many addresses (max 30)"}"#, retryAfter: nil) }
            return Self.response(200, text, retryAfter: nil)
        }
    }

    static func response(_ status: Int, _ body: String, retryAfter: String?) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension String {
    func wrapped(_ open: String, _ close: String) -> String { open + self + close }
}
