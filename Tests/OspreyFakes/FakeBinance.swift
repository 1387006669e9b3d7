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

    /// Symbols `exchangeInfo` describes (with the tickers' symbols): BTCUSDT-like filters, documented shapes.
    public static func symbolInfo(_ symbol: String, base: String, quote: String, tick: String = "0.01000000", step: String = "0.00001000",
                                  minQuantity: String? = nil, minNotional: String = "5.00000000") -> String {
        #"{"symbol":"\#(symbol)","status":"TRADING","baseAsset":"\#(base)","baseAssetPrecision":8,"quoteAsset":"\#(quote)","quotePrecision":8,"quoteAssetPrecision":8,"baseCommissionPrecision":8,"quoteCommissionPrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET","STOP_LOSS_LIMIT","TAKE_PROFIT_LIMIT"],"icebergAllowed":true,"ocoAllowed":true,"otoAllowed":true,"quoteOrderQtyMarketAllowed":true,"allowTrailingStop":true,"cancelReplaceAllowed":true,"isSpotTradingAllowed":true,"isMarginTradingAllowed":false,"filters":[{"filterType":"PRICE_FILTER","minPrice":"\#(tick)","maxPrice":"1000000.00000000","tickSize":"\#(tick)"},{"filterType":"LOT_SIZE","minQty":"\#(minQuantity ?? step)","maxQty":"9000.00000000","stepSize":"\#(step)"},{"filterType":"ICEBERG_PARTS","limit":10},{"filterType":"MARKET_LOT_SIZE","minQty":"0.00000000","maxQty":"100.00000000","stepSize":"0.00000000"},{"filterType":"TRAILING_DELTA","minTrailingAboveDelta":10,"maxTrailingAboveDelta":2000,"minTrailingBelowDelta":10,"maxTrailingBelowDelta":2000},{"filterType":"PERCENT_PRICE_BY_SIDE","bidMultiplierUp":"5","bidMultiplierDown":"0.2","askMultiplierUp":"5","askMultiplierDown":"0.2","avgPriceMins":5},{"filterType":"NOTIONAL","minNotional":"\#(minNotional)","applyMinToMarket":true,"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5},{"filterType":"MAX_NUM_ORDERS","maxNumOrders":200},{"filterType":"MAX_NUM_ALGO_ORDERS","maxNumAlgoOrders":5}],"permissions":[],"permissionSets":[["SPOT"]],"defaultSelfTradePreventionMode":"EXPIRE_MAKER","allowedSelfTradePreventionModes":["EXPIRE_TAKER","EXPIRE_MAKER","EXPIRE_BOTH"]}"#
    }

    /// Counts `weight` against the minute's limit (or replays an injected status); the status to answer
    /// and the weight used so far.
    private func charge(_ weight: Int, path: String) -> (status: Int, used: Int) {
        state.withLock { state -> (Int, Int) in
            let now = ContinuousClock.now
            state.requests.append(Received(path: path, at: now))
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
            state.used += weight
            guard state.used <= self.weightLimit else {
                state.limitedUntil = now.advanced(by: .seconds(1))
                return (429, state.used)
            }
            return (200, state.used)
        }
    }

    /// The reply: `body` on 200, Binance's documented error bodies otherwise.
    private func reply(_ status: Int, used: Int, _ body: @autoclosure () -> String) -> Response {
        var headers: HTTPFields = [.contentType: "application/json;charset=UTF-8"]
        headers[HTTPField.Name("X-MBX-USED-WEIGHT-1M")!] = String(used)
        let text: String
        switch status {
        case 200: text = body()
        case 429:
            headers[.retryAfter] = "1"
            text = #"{"code":-1003,"msg":"Too much request weight used; current limit is \#(weightLimit) request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."}"#
        case 418:
            headers[.retryAfter] = "120"
            text = #"{"code":-1003,"msg":"Way too much request weight used; IP banned until 1700000120000. Please use WebSocket Streams for live updates to avoid bans."}"#
        default: text = #"{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}"#
        }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func badRequest(_ code: Int, _ message: String, used: Int) -> Response {
        var headers: HTTPFields = [.contentType: "application/json;charset=UTF-8"]
        headers[HTTPField.Name("X-MBX-USED-WEIGHT-1M")!] = String(used)
        return Response(status: .badRequest, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: #"{"code":\#(code),"msg":"\#(message)"}"#)))
    }

    private var symbols: [String] {
        tickers.compactMap { ticker in ticker.firstRange(of: #""symbol":""#).map { String(ticker[$0.upperBound...].prefix { $0 != "\"" }) } }
    }

    public var router: Router<BasicRequestContext> {
        let router = Router()
        router.get("/api/v3/ticker/24hr") { request, _ in
            let (status, used) = self.charge(80, path: request.uri.path)
            return self.reply(status, used: used, "[" + self.tickers.joined(separator: ",") + "]")
        }
        router.get("/api/v3/klines") { request, _ in
            let (status, used) = self.charge(2, path: request.uri.path)
            guard status == 200 else { return self.reply(status, used: used, "") }
            let query = request.uri.queryParameters
            guard let symbol = query["symbol"].map(String.init), !symbol.isEmpty else {
                return self.badRequest(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.", used: used)
            }
            guard self.symbols.contains(symbol) else { return self.badRequest(-1121, "Invalid symbol.", used: used) }
            let seconds: [String: Int64] = ["1m": 60, "5m": 300, "15m": 900, "1h": 3600, "4h": 14_400, "1d": 86_400]
            guard let interval = query["interval"].flatMap({ seconds[String($0)] }) else { return self.badRequest(-1120, "Invalid interval.", used: used) }
            let limit = query["limit"].map { Int(String($0)) ?? -1 } ?? 500
            guard (1...1000).contains(limit) else { return self.badRequest(-1130, "Data sent for parameter 'limit' is not valid.", used: used) }
            let rows = (0..<limit).map { index -> String in
                let open = 1_700_000_000_000 + Int64(index) * interval * 1000
                let close = 100 + index  // closes rise by 1 per candle: 100, 101, …
                return #"[\#(open),"\#(close - 1).00000000","\#(close + 1).00000000","\#(close - 2).00000000","\#(close).00000000","10.50000000",\#(open + interval * 1000 - 1),"1050.00000000",42,"5.00000000","500.00000000","0"]"#
            }
            return self.reply(200, used: used, "[" + rows.joined(separator: ",") + "]")
        }
        router.get("/api/v3/exchangeInfo") { request, _ in
            let (status, used) = self.charge(20, path: request.uri.path)
            guard status == 200 else { return self.reply(status, used: used, "") }
            var wanted = self.symbols
            if let list = request.uri.queryParameters["symbols"].map(String.init) {
                let requested = list.trimmingPrefix("[").split(separator: ",").map { $0.filter { $0 != "\"" && $0 != "]" } }
                guard requested.allSatisfy(wanted.contains) else { return self.badRequest(-1121, "Invalid symbol.", used: used) }
                wanted = requested
            }
            let infos = wanted.map { symbol in
                let quote = ["USDT", "BTC"].first { symbol.hasSuffix($0) } ?? "USDT"
                return Self.symbolInfo(symbol, base: String(symbol.dropLast(quote.count)), quote: quote)
            }
            return self.reply(200, used: used, #"{"timezone":"UTC","serverTime":1700000000000,"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":\#(self.weightLimit)},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100},{"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":61000}],"exchangeFilters":[],"symbols":["# + infos.joined(separator: ",") + "]}")
        }
        return router
    }
}
