import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A local Binance spot REST for public market data: `GET /api/v3/ticker/24hr` (weight 80 without a symbol)
/// with `X-MBX-USED-WEIGHT-1M` on every reply, the per-minute `REQUEST_WEIGHT` limit (429 with
/// `Retry-After` and error -1003 when exceeded), and a 418 ban for a client that keeps going after a 429.
public final class FakeBinance: Sendable {
    public struct Received: Sendable {
        public let path: String
        public let at: ContinuousClock.Instant
    }

    private struct State {
        var used = 0
        var windowStart = ContinuousClock.now
        var limitedUntil: ContinuousClock.Instant?
        var requests: [Received] = []
        var injected: [Int] = []
    }

    private let state = Mutex(State())
    public let weightLimit: Int
    public let tickers: [String]

    /// `alreadyUsed`: weight other clients on the same IP have used this minute.
    public init(weightLimit: Int = 6000, alreadyUsed: Int = 0, tickers: [String]) {
        self.weightLimit = weightLimit
        self.tickers = tickers
        state.withLock { $0.used = alreadyUsed }
    }

    public var requests: [Received] { state.withLock { $0.requests } }

    /// The next reply is this status (429 with Retry-After: 1, or 5xx), whatever the weight.
    public func inject(_ status: Int) { state.withLock { $0.injected.append(status) } }

    public static func ticker(_ symbol: String, last: String, change: String = "1.250", quoteVolume: String = "123456.78", count: Int = 1000) -> String {
        #"{"symbol":"\#(symbol)","priceChange":"0.1","priceChangePercent":"\#(change)","weightedAvgPrice":"\#(last)","prevClosePrice":"\#(last)","lastPrice":"\#(last)","lastQty":"1.00000000","bidPrice":"\#(last)","bidQty":"1.0","askPrice":"\#(last)","askQty":"1.0","openPrice":"\#(last)","highPrice":"\#(last)","lowPrice":"\#(last)","volume":"1000.00000000","quoteVolume":"\#(quoteVolume)","openTime":1499783499040,"closeTime":1499869899040,"firstId":28385,"lastId":28460,"count":\#(count)}"#
    }

    public var router: Router<BasicRequestContext> {
        let router = Router()
        router.get("/api/v3/ticker/24hr") { request, _ in
            let (status, used) = self.state.withLock { state -> (Int, Int) in
                let now = ContinuousClock.now
                state.requests.append(Received(path: request.uri.path, at: now))
                if state.windowStart.duration(to: now) >= .seconds(60) {
                    state.windowStart = now
                    state.used = 0
                }
                if let until = state.limitedUntil, now < until { return (418, state.used) }  // ignored a 429: banned
                if !state.injected.isEmpty {
                    let status = state.injected.removeFirst()
                    if status == 429 { state.limitedUntil = now.advanced(by: .seconds(1)) }
                    return (status, state.used)
                }
                state.used += 80
                guard state.used <= self.weightLimit else {
                    state.limitedUntil = now.advanced(by: .seconds(1))
                    return (429, state.used)
                }
                return (200, state.used)
            }
            var headers: HTTPFields = [.contentType: "application/json;charset=UTF-8"]
            headers[HTTPField.Name("X-MBX-USED-WEIGHT-1M")!] = String(used)
            let body: String
            switch status {
            case 200: body = "[" + self.tickers.joined(separator: ",") + "]"
            case 429:
                headers[.retryAfter] = "1"
                body = #"{"code":-1003,"msg":"Too much request weight used; current limit is \#(self.weightLimit) request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."}"#
            case 418:
                headers[.retryAfter] = "120"
                body = #"{"code":-1003,"msg":"Way too much request weight used; IP banned until 1700000120000. Please use WebSocket Streams for live updates to avoid bans."}"#
            default: body = #"{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}"#
            }
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return router
    }
}
