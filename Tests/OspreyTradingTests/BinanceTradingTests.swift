import OspreyCore
import OspreyFakes
@testable import OspreyNet
import OspreyRuntime
import OspreyStore
import OspreyTestSupport
import Testing

/// The trade engine against a strict local Binance: signatures, clock, filters, and the faults where an
/// order's outcome is unknown.
@Suite struct BinanceTradingTests {
    static func fake(weightLimit: Int = 6000) -> FakeBinanceSpot {
        FakeBinanceSpot(
            apiKey: "test-key", secret: "test-secret",
            markets: ["BTCUSDT": .init(base: "BTC", quote: "USDT", price: Decimal(50000), tick: Decimal("0.01")!, step: Decimal("0.00001")!,
                                      minQuantity: Decimal("0.00001")!, minNotional: Decimal(5))],
            balances: ["USDT": Decimal(1000)], weightLimit: weightLimit)
    }

    static func exchange(_ port: Int, secret: String = "test-secret", timeout: Duration = .seconds(3)) -> BinanceSpotExchange {
        BinanceSpotExchange(
            settings: BinanceTradingSettings(baseURL: "http://127.0.0.1:\(port)", key: "main", timeout: timeout),
            credentials: ExchangeCredentials(apiKey: "test-key", apiSecret: secret), client: fakeServerClient, clock: .system)
    }

    static func engine(_ exchange: BinanceSpotExchange, _ database: Database) -> TradeEngine {
        TradeEngine(
            exchange: exchange, ledger: LedgerTables(database), settings: TradingSettings(mode: .live, risk: RiskLimits(symbolCooldown: .zero)),
            wallClock: WallClock.system.now, logger: quiet) { _ in Decimal(50000) }
    }

    /// A started engine on a fresh ledger, trading with the fake on a port of its own.
    static func withEngine(_ fake: FakeBinanceSpot, timeout: Duration = .seconds(3), _ body: @Sendable (TradeEngine, Database) async throws -> Void) async throws {
        try await withFakeServer(fake.router) { port in
            try await withTemporaryDirectory { dir in
                let database = try Database(directory: dir, logger: quiet)
                defer { database.close() }
                let engine = Self.engine(Self.exchange(port, timeout: timeout), database)
                try await engine.start()
                try await body(engine, database)
            }
        }
    }

    @Test func documentedSignatureExample() {
        // Binance's REST API documentation, "SIGNED Endpoint Examples for POST /api/v3/order" (HMAC keys).
        let signer = BinanceSigner(secret: "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
        let payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        #expect(signer.signature(payload) == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")
        let signed = signer.sign([("symbol", "LTCBTC"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"), ("price", "0.1")],
                                 receiveWindow: 5000, timestamp: 1_499_827_319_559)
        #expect(signed == payload + "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")
    }

    @Test func aMarketBuyIsSignedFilledAndItsFillsBookedNetOfCommission() async throws {
        let fake = Self.fake()
        try await Self.withEngine(fake) { engine, _ in
            let order = try await engine.buy(symbol: "BTCUSDT", quote: Decimal(100), reason: "manual")
            #expect(order.status == .filled && order.executedQuantity == Decimal("0.002") && order.cumulativeQuote == Decimal(100))
            let position = try #require(await engine.positions().first)
            #expect(position.quantity == Decimal("0.001998"), "0.1 % commission taken in BTC")
            #expect(fake.balances["BTC"] == Decimal("0.001998") && fake.balances["USDT"] == Decimal(900))
            #expect(fake.placements == [order.request.clientOrderId: 1])
        }
    }

    @Test func aWrongSecretIsRefusedAndNothingIsPlaced() async throws {
        let fake = Self.fake()
        try await withFakeServer(fake.router) { port in
            try await withTemporaryDirectory { dir in
                let database = try Database(directory: dir, logger: quiet)
                defer { database.close() }
                let exchange = Self.exchange(port, secret: "wrong")
                let event = await exchange.place(OrderRequest(clientOrderId: "ospx-1", symbol: "BTCUSDT", side: .buy, type: .market, quoteQuantity: Decimal(10)),
                                                 timestamp: await exchange.now())
                #expect(event == .refused("-1022 Signature for this request is not valid."))
                #expect(fake.placements.isEmpty)
            }
        }
    }

    @Test func aSkewedExchangeClockIsMeasuredAndOrdersStayInsideTheWindow() async throws {
        let fake = Self.fake()
        fake.setClockSkew(milliseconds: -2500)  // a local clock 2.5 s fast would break every signed request
        try await withFakeServer(fake.router) { port in
            let exchange = Self.exchange(port)
            let event = await exchange.place(OrderRequest(clientOrderId: "ospx-1", symbol: "BTCUSDT", side: .buy, type: .market, quoteQuantity: Decimal(10)),
                                             timestamp: await exchange.now())
            guard case .reported(let order) = event else {
                Issue.record("not placed: \(event)")
                return
            }
            #expect(order.status == "FILLED")
            let offset = try #require(exchange.clockOffset)
            #expect(abs(offset + 2.5) < 0.2, "measured \(offset) s")
        }
    }

    @Test(arguments: [FakeBinanceSpot.Fault.answerLate(.seconds(2)), .accept503, .dropConnection])
    func anOrderWhoseAnswerIsLostIsFoundByQueryNotSentAgain(_ fault: FakeBinanceSpot.Fault) async throws {
        let fake = Self.fake()
        try await Self.withEngine(fake, timeout: .seconds(1)) { engine, database in
            fake.inject(fault)
            let order = try await engine.buy(symbol: "BTCUSDT", quote: Decimal(50), reason: "manual")
            #expect(order.status == .filled, "\(order.detail)")
            #expect(fake.placements.values.allSatisfy { $0 == 1 } && fake.placements.count == 1 && fake.tradeCount == 1)
            #expect(try LedgerTables(database).fills(exchange: "binance").count == 1)
        }
    }

    @Test func filterFailuresAndDuplicatesAreTheExchangesWords() async throws {
        let fake = Self.fake()
        try await withFakeServer(fake.router) { port in
            let exchange = Self.exchange(port)
            let now = await exchange.now()
            let offStep = OrderRequest(clientOrderId: "ospx-1", symbol: "BTCUSDT", side: .buy, type: .limit, quantity: Decimal("0.000015"),
                                       price: Decimal(40000), timeInForce: .gtc)
            #expect(await exchange.place(offStep, timestamp: now) == .refused("-1013 Filter failure: LOT_SIZE"))
            let resting = OrderRequest(clientOrderId: "ospx-2", symbol: "BTCUSDT", side: .buy, type: .limit, quantity: Decimal("0.001"),
                                       price: Decimal(40000), timeInForce: .gtc)
            guard case .reported(let open) = await exchange.place(resting, timestamp: now) else {
                Issue.record("the limit order was refused")
                return
            }
            #expect(open.status == "NEW")
            #expect(await exchange.place(resting, timestamp: now) == .duplicate)
            fake.inject(.dropConnection)
            let dropped = await exchange.place(OrderRequest(clientOrderId: "ospx-4", symbol: "BTCUSDT", side: .buy, type: .market, quoteQuantity: Decimal(10)),
                                               timestamp: now)
            guard case .noAnswer = dropped else {
                Issue.record("a reply cut off mid-body must leave the order unknown, got \(dropped)")
                return
            }
            #expect(fake.placements["ospx-4"] == 1, "and yet the exchange has it")
            let tooMuch = OrderRequest(clientOrderId: "ospx-3", symbol: "BTCUSDT", side: .buy, type: .market, quantity: Decimal(1))
            #expect(await exchange.place(tooMuch, timestamp: now) == .refused("-2010 Account has insufficient balance for requested action."))
            let absent = try await exchange.query(symbol: "BTCUSDT", clientOrderId: "ospx-9")
            #expect(absent == nil, "-2013 means absent")
            guard case .reported(let canceled) = await exchange.cancel(symbol: "BTCUSDT", clientOrderId: "ospx-2") else {
                Issue.record("not canceled")
                return
            }
            #expect(canceled.status == "CANCELED" && fake.balances["USDT"] == Decimal(990), "the hold is released; the dropped order spent 10")
        }
    }

    @Test func aRateLimitHoldsOrdersUnsent() async throws {
        let fake = Self.fake(weightLimit: 30)
        try await withFakeServer(fake.router) { port in
            let exchange = Self.exchange(port)
            _ = try await exchange.rules(symbol: "BTCUSDT")  // 20 of 30
            await #expect(throws: ExchangeError.self) { try await exchange.balances() }  // 40 > 30: 429, Retry-After 1
            let event = await exchange.place(OrderRequest(clientOrderId: "ospx-1", symbol: "BTCUSDT", side: .buy, type: .market, quoteQuantity: Decimal(10)),
                                             timestamp: await exchange.now())
            guard case .refused(let reason) = event else {
                Issue.record("sent during a 429 hold: \(event)")
                return
            }
            #expect(reason.hasPrefix("not sent: binance asked to slow down (429)") && fake.placements.isEmpty)
        }
    }

    @Test func twoCancelsOfOneOrderAtOnceSendOneRequest() async throws {
        let fake = Self.fake()
        try await Self.withEngine(fake) { engine, _ in
            let resting = try await engine.limit(symbol: "BTCUSDT", side: .buy, quantity: Decimal("0.001")!, price: Decimal(40000), timeInForce: .gtc, reason: "manual")
            fake.setLatency(.milliseconds(300))
            let id = resting.request.clientOrderId
            async let first: String = { do { return try await engine.cancel(clientOrderId: id).status.rawValue } catch { return "\(error)" } }()
            async let second: String = { do { return try await engine.cancel(clientOrderId: id).status.rawValue } catch { return "\(error)" } }()
            let outcomes = [await first, await second].sorted()
            #expect(outcomes.first == "a cancel of \(id) is already on its way" && outcomes.last == "canceled", "\(outcomes)")
            #expect(fake.cancellations == [resting.request.clientOrderId: 1])
        }
    }
}
