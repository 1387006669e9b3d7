import HTTPTypes
import Hummingbird
import NIOCore
import OspreyCore
import OspreyCrypto
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A local Binance spot account as strict as the real one: `X-MBX-APIKEY` and the HMAC-SHA256 signature
/// over the exact query string (`-2015`, `-1022`), `timestamp` within `recvWindow` of its clock (`-1021`),
/// LOT_SIZE / PRICE_FILTER / NOTIONAL (`-1013`), balances (`-2010 Account has insufficient balance…`), a
/// `newClientOrderId` already used by an open order (`-2010 Duplicate order sent.`), `-2013` for an
/// unknown order, request weight with `X-MBX-USED-WEIGHT-1M`, 429 with `Retry-After` and 418 for a client
/// that keeps sending through it. Faults: answer too late (the order is
/// placed, the client gives up), accept then answer 503 `-1007`, latency, a skewed clock.
public final class FakeBinanceSpot: Sendable {
    public enum Fault: Sendable, Equatable {
        /// Places the order, then waits this long before answering.
        case answerLate(Duration)
        /// Places the order, then answers 503 with `-1007` (execution status unknown).
        case accept503
        /// Places the order, starts the 200 reply and closes the connection halfway through the body.
        case dropConnection
    }

    public struct Market: Sendable {
        public var base: String
        public var quote: String
        public var price: Decimal
        public var tick: Decimal
        public var step: Decimal
        public var minQuantity: Decimal
        public var minNotional: Decimal

        public init(base: String, quote: String, price: Decimal, tick: Decimal, step: Decimal, minQuantity: Decimal, minNotional: Decimal) {
            (self.base, self.quote, self.price, self.tick, self.step, self.minQuantity, self.minNotional) = (base, quote, price, tick, step, minQuantity, minNotional)
        }
    }

    struct Order {
        var symbol: String
        var orderId: Int64
        var clientOrderId: String
        var side: String
        var type: String
        var timeInForce: String?
        var quantity: Decimal
        var price: Decimal
        var status: String
        var executed: Decimal
        var quote: Decimal
        var time: Int64
    }

    struct Trade {
        var id: Int64
        var order: Int64
        var symbol: String
        var buyer: Bool
        var price: Decimal
        var quantity: Decimal
        var quote: Decimal
        var commission: Decimal
        var commissionAsset: String
        var time: Int64
    }

    struct State {
        var markets: [String: Market]
        var balances: [String: Decimal]
        var orders: [Int64: Order] = [:]
        var trades: [Trade] = []
        var nextOrder: Int64 = 1000
        var nextTrade: Int64 = 5000
        var faults: [Fault] = []
        var latency: Duration = .zero
        var skewMilliseconds: Int64 = 0
        var used = 0
        var minute: Int64 = 0
        /// After a 429, until here: a request means the client ignored Retry-After, and gets 418 (an IP ban).
        var limitedUntil: ContinuousClock.Instant?
        /// How many times each client order id was accepted as a new order.
        var placements: [String: Int] = [:]
        /// How many cancel requests reached the exchange for each client order id.
        var cancellations: [String: Int] = [:]
    }

    public let apiKey: String
    public let secret: String
    let weightLimit: Int
    private let state: Mutex<State>

    public init(apiKey: String, secret: String, markets: [String: Market], balances: [String: Decimal], weightLimit: Int = 6000) {
        self.apiKey = apiKey
        self.secret = secret
        self.weightLimit = weightLimit
        state = Mutex(State(markets: markets, balances: balances))
    }

    public func inject(_ fault: Fault) { state.withLock { $0.faults.append(fault) } }
    public func setLatency(_ latency: Duration) { state.withLock { $0.latency = latency } }
    /// The exchange clock runs this far ahead of the local one.
    public func setClockSkew(milliseconds: Int64) { state.withLock { $0.skewMilliseconds = milliseconds } }
    public func setPrice(_ symbol: String, _ price: Decimal) { state.withLock { $0.markets[symbol]?.price = price } }
    public var balances: [String: Decimal] { state.withLock { $0.balances } }
    /// Orders accepted per client order id: more than 1 anywhere means an intent was placed twice.
    public var placements: [String: Int] { state.withLock { $0.placements } }
    public var tradeCount: Int { state.withLock { $0.trades.count } }
    /// Cancel requests received per client order id: more than 1 means a cancel was sent twice.
    public var cancellations: [String: Int] { state.withLock { $0.cancellations } }
    /// Every order the exchange holds: client order id → status (`NEW`, `FILLED`, `CANCELED`, `EXPIRED`).
    public var orderStatuses: [String: String] {
        state.withLock { Dictionary($0.orders.values.map { ($0.clientOrderId, $0.status) }) { $1 } }
    }
    /// Trade ids per client order id.
    public var tradeIDs: [String: [Int64]] {
        state.withLock { state in
            Dictionary(grouping: state.trades) { trade in state.orders[trade.order]?.clientOrderId ?? "" }.mapValues { $0.map(\.id).sorted() }
        }
    }

    var serverTime: Int64 {
        Int64(ProcessClockFake.unixTime * 1000) + state.withLock { $0.skewMilliseconds }
    }

    // MARK: Routing

    public var router: Router<BasicRequestContext> {
        let router = Router()
        router.get("/api/v3/time") { request, _ in await self.handle(request, weight: 1, signed: false) { _ in #"{"serverTime":\#(self.serverTime)}"# } }
        router.get("/api/v3/exchangeInfo") { request, _ in
            await self.handle(request, weight: 20, signed: false) { parameters in
                let symbol = parameters["symbol"] ?? ""
                guard let market = self.state.withLock({ $0.markets[symbol] }) else { throw Refusal(-1121, "Invalid symbol.") }
                let info = FakeBinance.symbolInfo(symbol, base: market.base, quote: market.quote, tick: market.tick.description,
                                                  step: market.step.description, minQuantity: market.minQuantity.description,
                                                  minNotional: market.minNotional.description)
                return #"{"timezone":"UTC","serverTime":\#(self.serverTime),"rateLimits":[],"exchangeFilters":[],"symbols":[\#(info)]}"#
            }
        }
        router.post("/api/v3/order") { request, _ in await self.handle(request, weight: 1, signed: true, order: true) { try self.newOrder($0) } }
        router.get("/api/v3/order") { request, _ in await self.handle(request, weight: 4, signed: true) { try self.queryOrder($0) } }
        router.delete("/api/v3/order") { request, _ in await self.handle(request, weight: 1, signed: true) { try self.cancelOrder($0) } }
        router.get("/api/v3/openOrders") { request, _ in
            await self.handle(request, weight: 80, signed: true) { _ in
                "[" + self.state.withLock { state in
                    state.orders.values.filter { $0.status == "NEW" || $0.status == "PARTIALLY_FILLED" }.sorted { $0.orderId < $1.orderId }.map(Self.render)
                }.joined(separator: ",") + "]"
            }
        }
        router.get("/api/v3/myTrades") { request, _ in
            await self.handle(request, weight: 5, signed: true) { parameters in
                let order = Int64(parameters["orderId"] ?? "") ?? -1
                return "[" + self.state.withLock { $0.trades.filter { $0.order == order } }.map { trade in
                    #"{"symbol":"\#(trade.symbol)","id":\#(trade.id),"orderId":\#(trade.order),"orderListId":-1,"price":"\#(trade.price)","qty":"\#(trade.quantity)","quoteQty":"\#(trade.quote)","commission":"\#(trade.commission)","commissionAsset":"\#(trade.commissionAsset)","time":\#(trade.time),"isBuyer":\#(trade.buyer),"isMaker":false,"isBestMatch":true}"#
                }.joined(separator: ",") + "]"
            }
        }
        router.get("/api/v3/account") { request, _ in
            await self.handle(request, weight: 20, signed: true) { _ in
                let balances = self.state.withLock { $0.balances }.sorted { $0.key < $1.key }
                    .map { #"{"asset":"\#($0.key)","free":"\#($0.value)","locked":"0"}"# }.joined(separator: ",")
                return #"{"makerCommission":10,"takerCommission":10,"canTrade":true,"canWithdraw":true,"canDeposit":true,"updateTime":\#(self.serverTime),"accountType":"SPOT","balances":[\#(balances)],"permissions":["SPOT"]}"#
            }
        }
        return router
    }

    struct Refusal: Error {
        let status: Int
        let code: Int
        let message: String

        init(_ code: Int, _ message: String, status: Int = 400) {
            (self.code, self.message, self.status) = (code, message, status)
        }
    }

    /// Weight, key, signature and timestamp checks, then `body`; faults apply to order placement.
    private func handle(_ request: Request, weight: Int, signed: Bool, order: Bool = false, _ body: ([String: String]) throws -> String) async -> Response {
        let latency = state.withLock { $0.latency }
        if latency > .zero { try? await Task.sleep(for: latency) }
        let (used, banned): (Int, Bool) = state.withLock { state in
            if let until = state.limitedUntil, ContinuousClock.now < until { return (state.used, true) }
            let minute = Int64(ProcessClockFake.unixTime) / 60
            if state.minute != minute { (state.minute, state.used) = (minute, 0) }
            state.used += weight
            if state.used > weightLimit { state.limitedUntil = ContinuousClock.now.advanced(by: .seconds(1)) }
            return (state.used, false)
        }
        if banned {
            return reply(418, used, #"{"code":-1003,"msg":"Way too much request weight used; IP banned until 1700000120000. Please use WebSocket Streams for live updates to avoid bans."}"#, retryAfter: "120")
        }
        guard used <= weightLimit else {
            return reply(429, used, #"{"code":-1003,"msg":"Too much request weight used; current limit is \#(weightLimit) request weight per 1 MINUTE."}"#, retryAfter: "1")
        }
        let raw = request.uri.query ?? ""
        var parameters: [String: String] = [:]
        var signedPart: [Substring] = []
        var signature: String?
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = String(parts[0])
            let value = parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
            if key == "signature" { signature = value } else { signedPart.append(pair) }
            parameters[key] = value
        }
        if signed {
            guard request.headers[HTTPField.Name("X-MBX-APIKEY")!] == apiKey else {
                return reply(401, used, #"{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}"#)
            }
            let expected = HMACSHA256.authenticationCode(for: Array(signedPart.joined(separator: "&").utf8), key: Array(secret.utf8))
                .map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            guard let signature, signature == expected else {
                return reply(400, used, #"{"code":-1022,"msg":"Signature for this request is not valid."}"#)
            }
            let window = Int64(parameters["recvWindow"] ?? "5000") ?? -1
            guard (1...60000).contains(window) else { return reply(400, used, #"{"code":-1131,"msg":"recvWindow must be less than 60000"}"#) }
            guard let timestamp = Int64(parameters["timestamp"] ?? "") else {
                return reply(400, used, #"{"code":-1102,"msg":"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed."}"#)
            }
            let now = serverTime
            guard timestamp < now + 1000 && now - timestamp <= window else {
                return reply(400, used, #"{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}"#)
            }
        }
        do {
            let text = try body(parameters)
            if order, let fault = state.withLock({ $0.faults.isEmpty ? nil : $0.faults.removeFirst() }) {
                switch fault {
                case .answerLate(let delay): try? await Task.sleep(for: delay)
                case .accept503:
                    return reply(503, used, #"{"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}"#)
                case .dropConnection:
                    let half = ByteBuffer(string: String(text.prefix(text.count / 2)))
                    return Response(status: .ok, headers: [.contentType: "application/json;charset=UTF-8"],
                                    body: ResponseBody(contentLength: text.utf8.count) { writer in
                                        try await writer.write(half)
                                        throw CancellationError()  // the connection closes with the body unfinished
                                    })
                }
            }
            return reply(200, used, text)
        } catch let refusal as Refusal {
            return reply(refusal.status, used, #"{"code":\#(refusal.code),"msg":"\#(refusal.message)"}"#)
        } catch {
            return reply(500, used, #"{"code":-1000,"msg":"An unknown error occurred while processing the request."}"#)
        }
    }

    private func reply(_ status: Int, _ used: Int, _ body: String, retryAfter: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json;charset=UTF-8"]
        headers[HTTPField.Name("X-MBX-USED-WEIGHT-1M")!] = String(used)
        if let retryAfter { headers[.retryAfter] = retryAfter }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Orders

    static func render(_ order: Order) -> String {
        #"{"symbol":"\#(order.symbol)","orderId":\#(order.orderId),"orderListId":-1,"clientOrderId":"\#(order.clientOrderId)","transactTime":\#(order.time),"price":"\#(order.price)","origQty":"\#(order.quantity)","executedQty":"\#(order.executed)","origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":"\#(order.quote)","status":"\#(order.status)","timeInForce":"\#(order.timeInForce ?? "GTC")","type":"\#(order.type)","side":"\#(order.side)","workingTime":\#(order.time),"updateTime":\#(order.time),"selfTradePreventionMode":"EXPIRE_MAKER"}"#
    }

    static func onStep(_ value: Decimal, from minimum: Decimal, step: Decimal) -> Bool {
        guard !step.isZero else { return true }
        guard let offset = value.subtracting(minimum), let steps = offset.divided(by: step, scale: 0, rounding: .down) else { return false }
        return steps.multiplied(by: step) == offset
    }

    private func newOrder(_ p: [String: String]) throws -> String {
        guard let symbol = p["symbol"], let side = p["side"], let type = p["type"], ["BUY", "SELL"].contains(side), ["MARKET", "LIMIT"].contains(type) else {
            throw Refusal(-1102, "Mandatory parameter was not sent, was empty/null, or malformed.")
        }
        let now = serverTime
        return try state.withLock { state in
            guard let market = state.markets[symbol] else { throw Refusal(-1121, "Invalid symbol.") }
            let client = p["newClientOrderId"] ?? "x-\(state.nextOrder)"
            if state.orders.values.contains(where: { $0.clientOrderId == client && ($0.status == "NEW" || $0.status == "PARTIALLY_FILLED") }) {
                throw Refusal(-2010, "Duplicate order sent.")
            }
            let limit = p["price"].flatMap { Decimal($0) }
            var quantity = p["quantity"].flatMap { Decimal($0) }
            if type == "LIMIT" {
                guard let limit, quantity != nil, p["timeInForce"] != nil else { throw Refusal(-1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.") }
                // PRICE_FILTER as exchangeInfo states it: minPrice = tickSize, maxPrice 1000000, on the tick from minPrice.
                guard limit >= market.tick, limit <= Decimal(1_000_000), Self.onStep(limit, from: market.tick, step: market.tick) else {
                    throw Refusal(-1013, "Filter failure: PRICE_FILTER")
                }
            }
            if quantity == nil, type == "MARKET", let quote = p["quoteOrderQty"].flatMap({ Decimal($0) }) {
                let raw = quote.divided(by: market.price, scale: 18, rounding: .down) ?? .zero
                quantity = raw.toMultiple(of: market.step, .down)
            }
            guard let quantity, quantity > .zero else { throw Refusal(-1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.") }
            guard quantity >= market.minQuantity, Self.onStep(quantity, from: market.minQuantity, step: market.step) else {
                throw Refusal(-1013, "Filter failure: LOT_SIZE")
            }
            let price = type == "MARKET" ? market.price : limit!
            let notional = quantity.multiplied(by: price) ?? .zero
            guard notional >= market.minNotional else { throw Refusal(-1013, "Filter failure: NOTIONAL") }
            let (asset, needed) = side == "BUY" ? (market.quote, notional) : (market.base, quantity)
            guard (state.balances[asset] ?? .zero) >= needed else { throw Refusal(-2010, "Account has insufficient balance for requested action.") }
            let marketable = type == "MARKET" || (side == "BUY" ? market.price <= price : market.price >= price)
            var order = Order(symbol: symbol, orderId: state.nextOrder, clientOrderId: client, side: side, type: type, timeInForce: p["timeInForce"],
                              quantity: quantity, price: type == "MARKET" ? .zero : price, status: "NEW", executed: .zero, quote: .zero, time: now)
            state.nextOrder += 1
            state.placements[client, default: 0] += 1
            if marketable {
                let fillPrice = type == "MARKET" ? market.price : min(price, market.price)
                Self.fill(&order, at: fillPrice, market: market, state: &state, time: now)
            } else if p["timeInForce"] == "IOC" {
                order.status = "EXPIRED"
            } else {
                state.balances[asset] = (state.balances[asset] ?? .zero).subtracting(needed)
            }
            state.orders[order.orderId] = order
            return Self.render(order)
        }
    }

    /// Fills the whole order: buys pay 0.1 % commission in the base asset, sells in the quote asset.
    static func fill(_ order: inout Order, at price: Decimal, market: Market, state: inout State, time: Int64) {
        let quote = (order.quantity.multiplied(by: price) ?? .zero).rounded(scale: 8, .down)
        let buyer = order.side == "BUY"
        let commission = ((buyer ? order.quantity : quote).multiplied(by: Decimal("0.001")!) ?? .zero).rounded(scale: 8, .up)
        if buyer {
            if order.type == "LIMIT" && order.status == "NEW" && order.executed.isZero && state.orders[order.orderId] != nil {
                state.balances[market.quote] = (state.balances[market.quote] ?? .zero).adding(order.quantity.multiplied(by: order.price) ?? .zero)
            }
            state.balances[market.quote] = (state.balances[market.quote] ?? .zero).subtracting(quote)
            state.balances[market.base] = (state.balances[market.base] ?? .zero).adding(order.quantity.subtracting(commission) ?? .zero)
        } else {
            if order.type == "LIMIT" && state.orders[order.orderId] != nil {
                state.balances[market.base] = (state.balances[market.base] ?? .zero).adding(order.quantity)
            }
            state.balances[market.base] = (state.balances[market.base] ?? .zero).subtracting(order.quantity)
            state.balances[market.quote] = (state.balances[market.quote] ?? .zero).adding(quote.subtracting(commission) ?? .zero)
        }
        state.trades.append(Trade(id: state.nextTrade, order: order.orderId, symbol: order.symbol, buyer: buyer, price: price, quantity: order.quantity,
                                  quote: quote, commission: commission, commissionAsset: buyer ? market.base : market.quote, time: time))
        state.nextTrade += 1
        (order.status, order.executed, order.quote, order.time) = ("FILLED", order.quantity, quote, time)
    }

    private func queryOrder(_ p: [String: String]) throws -> String {
        try state.withLock { state in
            if let symbol = p["symbol"], let market = state.markets[symbol] {  // resting limits fill when the price crosses
                for (id, order) in state.orders where order.symbol == symbol && order.status == "NEW" && order.type == "LIMIT" {
                    if order.side == "BUY" ? market.price <= order.price : market.price >= order.price {
                        var filled = order
                        Self.fill(&filled, at: order.price, market: market, state: &state, time: serverTimeUnlocked(state))
                        state.orders[id] = filled
                    }
                }
            }
            guard let order = Self.find(p, in: state) else { throw Refusal(-2013, "Order does not exist.") }
            return Self.render(order)
        }
    }

    private func serverTimeUnlocked(_ state: State) -> Int64 {
        Int64(ProcessClockFake.unixTime * 1000) + state.skewMilliseconds
    }

    private func cancelOrder(_ p: [String: String]) throws -> String {
        try state.withLock { state in
            if let client = p["origClientOrderId"] { state.cancellations[client, default: 0] += 1 }
            guard var order = Self.find(p, in: state), order.status == "NEW" || order.status == "PARTIALLY_FILLED",
                  let market = state.markets[order.symbol] else { throw Refusal(-2011, "Unknown order sent.") }
            let (asset, held) = order.side == "BUY" ? (market.quote, order.quantity.multiplied(by: order.price) ?? .zero) : (market.base, order.quantity)
            state.balances[asset] = (state.balances[asset] ?? .zero).adding(held)
            order.status = "CANCELED"
            state.orders[order.orderId] = order
            return Self.render(order)
        }
    }

    static func find(_ p: [String: String], in state: State) -> Order? {
        if let id = p["orderId"].flatMap({ Int64($0) }) { return state.orders[id] }
        guard let client = p["origClientOrderId"] else { return nil }
        return state.orders.values.filter { $0.clientOrderId == client && $0.symbol == p["symbol"] }.max { $0.orderId < $1.orderId }
    }
}

/// Wall-clock seconds for the fake's exchange clock.
enum ProcessClockFake {
    static var unixTime: Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
