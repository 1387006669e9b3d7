import Metrics
import OspreyCore
import Synchronization

/// Binance spot, signed (`X-MBX-APIKEY` + HMAC-SHA256 query signature). Replies become lifecycle events:
/// a definite error code refuses the order, `-2010 Duplicate order sent.` says it is already there, and a
/// timeout, a dropped connection, a 5xx or `-1007` leave it unknown. Orders are never retried here. The
/// request weight follows `X-MBX-USED-WEIGHT-1M`: reads wait for the next minute when the budget is spent,
/// orders are refused unsent; a 429 holds every request until its `Retry-After`, a 418 until the ban ends.
public final class BinanceSpotExchange: Exchange {
    public let name = "binance"
    public let receiveWindow: Int64
    let settings: BinanceTradingSettings
    let client: CurlHTTPClient
    let apiKey: String
    let signer: BinanceSigner
    let clock: WallClock
    private let state = Mutex(State())
    private let offsetGauge = Gauge(label: MetricCatalog.exchangeClockOffset.name)
    private let weightGauge = Gauge(label: MetricCatalog.exchangeWeightUsed.name)
    private let upGauge = Gauge(label: MetricCatalog.exchangeUp.name)

    struct State {
        /// Server minus local clock, milliseconds; nil until measured.
        var offset: Int64?
        var syncedAt = -Double.infinity
        var usedWeight = 0
        var weightMinute: Int64 = 0
        /// Local Unix seconds before which no request is sent (429 Retry-After, 418 ban).
        var holdUntil = 0.0
        var holdReason = ""
        var rules: [String: SymbolRules] = [:]
    }

    /// How often the server time is measured again, and how many samples a measurement takes.
    static let clockSync = 60.0
    static let clockSamples = 3

    public init(settings: BinanceTradingSettings, credentials: ExchangeCredentials, client: CurlHTTPClient, clock: WallClock) {
        self.clock = clock
        self.settings = settings
        self.client = client
        apiKey = credentials.apiKey
        signer = BinanceSigner(secret: credentials.apiSecret)
        receiveWindow = Int64(settings.receiveWindow.seconds * 1000)
    }

    /// Server minus local clock, in seconds, once measured.
    public var clockOffset: Double? { state.withLock { $0.offset.map { Double($0) / 1000 } } }

    public func now() async -> Int64 {
        if clock.now() - state.withLock({ $0.syncedAt }) > Self.clockSync { try? await syncClock() }
        return Int64(clock.now() * 1000) + (state.withLock { $0.offset } ?? 0)
    }

    /// Measures the server clock against the local one (`GET /api/v3/time`, weight 1, `clockSamples` times). A
    /// sample puts the server's time halfway through its round trip, so it is off by at most half of that
    /// round trip; the sample with the shortest one is kept, as NTP does.
    public func syncClock() async throws {
        var best: (offset: Int64, roundTrip: Double, at: Double)?
        for _ in 0..<Self.clockSamples {
            let sent = clock.now()
            let document = try await read(.get, "/api/v3/time", [], signed: false, weight: 1)
            let received = clock.now()
            let server = try shape { try BinanceFormat.serverTime(document) }
            if best.map({ received - sent < $0.roundTrip }) ?? true {
                best = (server - Int64((sent + received) / 2 * 1000), received - sent, received)
            }
        }
        guard let best else { return }
        state.withLock {
            $0.offset = best.offset
            $0.syncedAt = best.at
        }
        offsetGauge.record(Double(best.offset) / 1000)
    }

    public func rules(symbol: String) async throws -> SymbolRules {
        if let known = state.withLock({ $0.rules[symbol] }) { return known }
        try BinanceMarketSource.validate(symbol)
        let document = try await read(.get, "/api/v3/exchangeInfo", [("symbol", symbol)], signed: false, weight: 20)
        guard let rules = try shape({ try BinanceFormat.exchangeInfo(document).symbols }).first(where: { $0.symbol == symbol }) else {
            throw ExchangeError(.unknownSymbol, "binance has no symbol \(symbol)")
        }
        state.withLock { $0.rules[symbol] = rules }
        return rules
    }

    public func place(_ request: OrderRequest, timestamp: Int64) async -> OrderEvent {
        var parameters = [("symbol", request.symbol), ("side", request.side.rawValue), ("type", request.type.rawValue)]
        if let timeInForce = request.timeInForce { parameters.append(("timeInForce", timeInForce.rawValue)) }
        if let quantity = request.quantity { parameters.append(("quantity", quantity.description)) }
        if let quote = request.quoteQuantity { parameters.append(("quoteOrderQty", quote.description)) }
        if let price = request.price { parameters.append(("price", price.description)) }
        parameters += [("newClientOrderId", request.clientOrderId), ("newOrderRespType", "RESULT")]
        return await order(.post, parameters, timestamp: timestamp)
    }

    public func cancel(symbol: String, clientOrderId: String) async -> OrderEvent {
        await order(.delete, [("symbol", symbol), ("origClientOrderId", clientOrderId)], timestamp: await now())
    }

    public func query(symbol: String, clientOrderId: String) async throws -> ExchangeOrder? {
        let reply = await send(.get, "/api/v3/order", [("symbol", symbol), ("origClientOrderId", clientOrderId)], signed: true, weight: 4)
        switch reply {
        case .ok(let document): return try shape { try BinanceFormat.order(document) }
        case .error(_, -2013, _): return nil  // "Order does not exist."
        default: throw ExchangeError(.noAnswer, reply.description)
        }
    }

    public func openOrders() async throws -> [ExchangeOrder] {
        let document = try await read(.get, "/api/v3/openOrders", [], signed: true, weight: 80)
        return try shape { try BinanceFormat.orders(document) }
    }

    public func trades(symbol: String, orderId: Int64, clientOrderId: String) async throws -> [Fill] {
        let document = try await read(.get, "/api/v3/myTrades", [("symbol", symbol), ("orderId", String(orderId))], signed: true, weight: 5)
        return try shape { try BinanceFormat.trades(document, clientOrderId: clientOrderId) }
    }

    public func balances() async throws -> [String: Decimal] {
        let document = try await read(.get, "/api/v3/account", [("omitZeroBalances", "true")], signed: true, weight: 20)
        return try shape { try BinanceFormat.balances(document) }
    }

    // MARK: Requests

    enum Reply: CustomStringConvertible {
        case ok(JSON)
        /// An HTTP error with Binance's error code and message when the body has them.
        case error(status: Int, code: Int64?, message: String)
        /// No HTTP answer: the request may or may not have been processed.
        case transport(String)
        /// Not sent: the weight budget, a 429 hold or a 418 ban.
        case held(String)

        var description: String {
            switch self {
            case .ok: "ok"
            case .error(let status, let code, let message): "binance answered HTTP \(status)" + (code.map { ": \($0) \(message)" } ?? ": \(message)")
            case .transport(let reason): reason
            case .held(let reason): "not sent: \(reason)"
            }
        }
    }

    private func order(_ method: HTTPClientRequest.Method, _ parameters: [(String, String)], timestamp: Int64) async -> OrderEvent {
        let reply = await send(method, "/api/v3/order", parameters, signed: true, weight: 1, timestamp: timestamp, wait: false)
        switch reply {
        case .ok(let document):
            guard let order = try? BinanceFormat.order(document) else { return .noAnswer("binance accepted the request with an unreadable reply") }
            return .reported(order)
        case .error(_, -2010, let message) where message.hasPrefix("Duplicate order"): return .duplicate
        case .error(let status, let code, _) where status >= 500 || code == -1007: return .noAnswer(reply.description)
        case .error(_, let code?, let message): return .refused("\(code) \(message)")
        case .error: return .noAnswer(reply.description)  // a 4xx without Binance's error body: not proof it was refused
        case .transport(let reason): return .noAnswer(reason)
        case .held(let reason): return .refused("not sent: \(reason)")
        }
    }

    /// A read: waits out holds and the weight budget (bounded), throws on anything but a 200.
    private func read(_ method: HTTPClientRequest.Method, _ path: String, _ parameters: [(String, String)], signed: Bool, weight: Int) async throws -> JSON {
        let reply = await send(method, path, parameters, signed: signed, weight: weight)
        guard case .ok(let document) = reply else { throw ExchangeError(.noAnswer, reply.description) }
        return document
    }

    private func send(
        _ method: HTTPClientRequest.Method, _ path: String, _ parameters: [(String, String)], signed: Bool, weight: Int,
        timestamp: Int64? = nil, wait: Bool = true
    ) async -> Reply {
        if let delay = admission(weight: weight) {
            guard wait, delay.wait <= 65 else { return .held(delay.reason) }
            try? await Task.sleep(for: .seconds(delay.wait))
        }
        var query = BinanceSigner.query(parameters)
        if signed {
            let stamp: Int64
            if let timestamp { stamp = timestamp } else { stamp = await now() }
            query = signer.sign(parameters, receiveWindow: receiveWindow, timestamp: stamp)
        }
        let url = settings.baseURL + path + (query.isEmpty ? "" : "?" + query)
        let request = HTTPClientRequest(method, url, headers: [("Accept", "application/json"), ("X-MBX-APIKEY", apiKey)], timeout: settings.timeout)
        let response: HTTPClientResponse
        do {
            response = try await client.send(request, proxy: settings.proxy)
        } catch {
            upGauge.record(0)
            return .transport("\(error)")
        }
        upGauge.record(1)
        if let used = response.header("x-mbx-used-weight-1m").flatMap({ Int($0) }) {
            state.withLock {
                $0.usedWeight = used
                $0.weightMinute = Int64(clock.now() / 60)
            }
            weightGauge.record(used)
        }
        let document = try? JSON.parse(response.body)
        if response.status == 429 || response.status == 418 {
            let pause = response.retryAfter(now: clock.now())?.seconds ?? (response.status == 418 ? 120 : 60)
            state.withLock {
                $0.holdUntil = clock.now() + pause
                $0.holdReason = response.status == 418 ? "binance banned this IP (418)" : "binance asked to slow down (429)"
            }
        }
        guard response.status == 200, let document else {
            let code = document.flatMap(BinanceFormat.errorCode)
            let message = document?["msg"]?.string ?? String(decoding: response.body.prefix(200), as: UTF8.self)
            if code == -1021 { state.withLock { $0.syncedAt = -.infinity } }  // timestamp outside recvWindow: measure the clock again
            return .error(status: response.status, code: code, message: message)
        }
        return .ok(document)
    }

    /// nil when a request of `weight` may go now; else how long to wait and why.
    private func admission(weight: Int) -> (wait: Double, reason: String)? {
        let now = clock.now()
        return state.withLock { state in
            if now < state.holdUntil { return (state.holdUntil - now, state.holdReason + ", for \(Int(state.holdUntil - now)) s more") }
            let minute = Int64(now / 60)
            if state.weightMinute == minute && state.usedWeight + weight > settings.weightPerMinute {
                return (Double(minute + 1) * 60 - now, "the request weight budget (\(settings.weightPerMinute)/min) is spent")
            }
            return nil
        }
    }

    private func shape<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ExchangeError(.malformed, "binance: \(error)")
        }
    }
}
