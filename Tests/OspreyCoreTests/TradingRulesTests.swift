import OspreyCore
import Testing

/// Binance's documented filter rules, applied with exact decimals.
@Suite struct SymbolFilterTests {
    static func d(_ text: String) -> Decimal { Decimal(text)! }
    static let btc = SymbolRules(
        symbol: "BTCUSDT", status: "TRADING", baseAsset: "BTC", quoteAsset: "USDT", quoteAssetPrecision: 8,
        price: .init(minPrice: d("0.01"), maxPrice: d("1000000"), tickSize: d("0.01")),
        lotSize: .init(minQuantity: d("0.00001"), maxQuantity: d("9000"), stepSize: d("0.00001")),
        marketLotSize: .init(minQuantity: .zero, maxQuantity: d("100"), stepSize: .zero),
        notional: .init(minNotional: d("5"), applyMinToMarket: true, maxNotional: d("9000000"), applyMaxToMarket: false))

    @Test(arguments: [
        ("0.123456789", "0.12345"), ("0.00001", "0.00001"), ("1.000019999", "1.00001"), ("9000", "9000"), ("3", "3"),
        ("0.1", "0.1"),  // never "1E-1": rendered plain
    ])
    func quantitiesAreFlooredToTheStep(_ wanted: String, _ sent: String) throws {
        #expect(try Self.btc.orderQuantity(Self.d(wanted), type: .limit).description == sent)
    }

    @Test func quantityBoundsAreNamed() {
        #expect(throws: FilterViolation.self) { try Self.btc.orderQuantity(Self.d("0.000009"), type: .limit) }
        #expect(throws: FilterViolation.self) { try Self.btc.orderQuantity(Self.d("9000.1"), type: .limit) }
        #expect(throws: FilterViolation.self, "MARKET_LOT_SIZE maxQty 100") { try Self.btc.orderQuantity(Self.d("150"), type: .market) }
        do {
            _ = try Self.btc.orderQuantity(Self.d("0.000001"), type: .limit)
        } catch {
            #expect(error.description == "BTCUSDT: quantity 0.000001 is below LOT_SIZE minQty 0.00001")
        }
    }

    @Test func aStepCountsFromTheMinimum() throws {
        // (quantity - minQty) % stepSize == 0: with minQty 0.15 and step 0.1, 0.3 is not valid, 0.25 is.
        let odd = SymbolRules(symbol: "X", status: "TRADING", baseAsset: "X", quoteAsset: "USDT",
                              lotSize: .init(minQuantity: Self.d("0.15"), maxQuantity: .zero, stepSize: Self.d("0.1")))
        #expect(try odd.orderQuantity(Self.d("0.3"), type: .limit) == Self.d("0.25"))
    }

    @Test(arguments: [
        ("97123.456", OrderSide.buy, "97123.45"), ("97123.451", .sell, "97123.46"), ("97123.45", .buy, "97123.45"),
        ("97123.45", .sell, "97123.45"), ("0.019", .buy, "0.01"),
    ])
    func pricesGoOnTheTickNeverWorseThanAsked(_ wanted: String, _ side: OrderSide, _ sent: String) throws {
        #expect(try Self.btc.orderPrice(Self.d(wanted), side: side).description == sent)
    }

    @Test func priceBoundsNotionalAndTradability() throws {
        #expect(throws: FilterViolation.self) { try Self.btc.orderPrice(Self.d("0.005"), side: .buy) }
        #expect(throws: FilterViolation.self) { try Self.btc.orderPrice(Self.d("2000000"), side: .sell) }
        #expect(throws: FilterViolation.self) { try Self.btc.checkNotional(Self.d("4.99"), type: .limit) }
        try Self.btc.checkNotional(Self.d("5"), type: .market)
        try Self.btc.checkNotional(Self.d("10000000"), type: .market)  // max not applied to market orders
        #expect(throws: FilterViolation.self) { try Self.btc.checkNotional(Self.d("10000000"), type: .limit) }
        #expect(try Self.btc.orderQuoteQuantity(Self.d("25.123456789")).description == "25.12345678")
        var halted = Self.btc
        halted.status = "BREAK"
        #expect(throws: FilterViolation.self) { try halted.checkTradable(.market) }
    }
}

@Suite struct OrderLifecycleTests {
    static let request = OrderRequest(clientOrderId: "ospabc-1", symbol: "BTCUSDT", side: .buy, type: .market, quoteQuantity: Decimal(25))
    static let order = LedgerOrder(id: 1, request: request, reason: "manual", createdAt: 100, deadline: 105_000)

    static func report(_ status: String, executed: String = "0", at time: Int64 = 1) -> ExchangeOrder {
        ExchangeOrder(symbol: "BTCUSDT", orderId: 42, clientOrderId: "ospabc-1", side: .buy, type: .market, status: status,
                      quantity: Decimal("0.0003")!, price: .zero, executedQuantity: Decimal(executed)!, cumulativeQuote: Decimal(executed == "0" ? "0" : "25")!,
                      updateTime: time)
    }

    @Test func aDefiniteAnswerSettlesAPendingOrder() {
        let filled = OrderLifecycle.apply(.reported(Self.report("FILLED", executed: "0.0003")), to: Self.order, at: 101)
        #expect(filled.order.status == .filled && filled.order.exchangeOrderId == 42 && filled.actions == [.importFills] && filled.anomaly == nil)
        let refused = OrderLifecycle.apply(.refused("-2010 Account has insufficient balance for requested action."), to: Self.order, at: 101)
        #expect(refused.order.status == .rejected && refused.actions.isEmpty)
    }

    @Test func noAnswerMeansUnknownResolvedByAQueryNeverBySendingAgain() {
        let lost = OrderLifecycle.apply(.noAnswer("timeout"), to: Self.order, at: 101)
        #expect(lost.order.status == .unknown && lost.actions == [.query])
        let duplicate = OrderLifecycle.apply(.duplicate, to: Self.order, at: 101)
        #expect(duplicate.order.status == .unknown && duplicate.actions == [.query])
        let early = OrderLifecycle.apply(.absent(windowClosed: false), to: lost.order, at: 102)
        #expect(early.order.status == .unknown && early.actions == [.query], "it may still arrive inside its recvWindow")
        let never = OrderLifecycle.apply(.absent(windowClosed: true), to: lost.order, at: 200)
        #expect(never.order.status == .notPlaced && never.order.status.isFinal)
        let found = OrderLifecycle.apply(.reported(Self.report("PARTIALLY_FILLED", executed: "0.0001")), to: lost.order, at: 103)
        #expect(found.order.status == .open && found.actions == [.importFills])
    }

    @Test func theExchangeIsTheTruthButStaleReportsAreIgnored() {
        let open = OrderLifecycle.apply(.reported(Self.report("NEW", at: 5)), to: Self.order, at: 101).order
        let stale = OrderLifecycle.apply(.reported(Self.report("NEW", at: 4)), to: open, at: 102)
        #expect(!stale.changed)
        let never = LedgerOrder(id: 1, request: Self.request, status: .notPlaced, reason: "manual", createdAt: 100, deadline: 105_000)
        let surprise = OrderLifecycle.apply(.reported(Self.report("FILLED", executed: "0.0003", at: 9)), to: never, at: 300)
        #expect(surprise.order.status == .filled && surprise.anomaly != nil, "logged loudly, and the fills imported")
        #expect(OrderLifecycle.apply(.reported(Self.report("WEIRD")), to: Self.order, at: 101).anomaly != nil)
        #expect(OrderLifecycle.apply(.refused("x"), to: open, at: 103).order.status == .open, "a refusal cannot undo an accepted order")
    }

    @Test func clientOrderIDsAreDeterministicPrefixedAndParsed() throws {
        let ids = try #require(ClientOrderID(tag: "k3x9q2"))
        #expect(ids.make(1) == "ospk3x9q2-1" && ids.make(46_655) == "ospk3x9q2-zzz")
        #expect(ids.sequence(of: "ospk3x9q2-zzz") == 46_655 && ids.sequence(of: "ospother-1") == nil && ids.sequence(of: "ospk3x9q2-") == nil)
        #expect(ClientOrderID(tag: "Bad!") == nil)
        #expect(ids.make(Int64.max).utf8.count <= 36, "within Binance's 36 characters")
    }
}

@Suite struct PortfolioAndRiskTests {
    static func fill(_ side: OrderSide, qty: String, quote: String, fee: String = "0", asset: String = "USDT", day: Int64 = 0, id: Int64) -> Fill {
        Fill(symbol: "ETHUSDT", tradeId: id, orderId: id, clientOrderId: "c\(id)", side: side, price: .zero, quantity: Decimal(qty)!,
             quoteQuantity: Decimal(quote)!, commission: Decimal(fee)!, commissionAsset: asset, time: day * 86_400_000 + id)
    }

    @Test func averageCostPositionsAndRealizedPnLFromFills() {
        var book = Portfolio()
        book.apply(Self.fill(.buy, qty: "1", quote: "100", fee: "0.1", id: 1), base: "ETH", quote: "USDT")
        book.apply(Self.fill(.buy, qty: "1", quote: "200", fee: "0.001", asset: "ETH", id: 2), base: "ETH", quote: "USDT")
        let held = book.positions["ETHUSDT"]!
        #expect(held.quantity == Decimal("1.999") && held.cost == Decimal("300.1"))
        book.apply(Self.fill(.sell, qty: "0.999", quote: "180", fee: "0.18", day: 1, id: 3), base: "ETH", quote: "USDT")
        // sold 0.999 of 1.999 at cost 300.1 → cost 149.97493746873436718…, proceeds 179.82
        #expect(book.positions["ETHUSDT"]!.quantity == Decimal(1))
        #expect(book.realized.rounded(scale: 6) == Decimal("29.845063") && book.realized(onDayOf: 86_400 * 1.5) == book.realized)
        #expect(book.realized(onDayOf: 10) == .zero)
        book.apply(Self.fill(.sell, qty: "1", quote: "90", id: 4), base: "ETH", quote: "USDT")
        #expect(!book.positions["ETHUSDT"]!.isOpen && book.positions["ETHUSDT"]!.cost == .zero)
        book.apply(Self.fill(.buy, qty: "1", quote: "10", fee: "0.01", asset: "BNB", id: 5), base: "ETH", quote: "USDT")
        #expect(book.otherFees == ["BNB": Decimal("0.01")])
    }

    @Test func eachGateNamesTheLimitItHits() {
        let limits = RiskLimits(maxOpenPositions: 2, maxPositionQuote: Decimal(100), maxTotalExposureQuote: Decimal(150),
                                minQuoteReserve: Decimal(20), symbolCooldown: .seconds(600), dailyLossLimitQuote: Decimal(30))
        let eth = Position(symbol: "ETHUSDT", quantity: Decimal(1), cost: Decimal(90), openedAt: 0)
        let view = RiskView(positions: [eth], quoteBalance: Decimal(200), lastEntry: ["ETHUSDT": 1000])
        #expect(RiskGate.checkEntry(symbol: "BTCUSDT", quote: Decimal(50), view: view, limits: limits, now: 2000) == nil)
        #expect(RiskGate.checkEntry(symbol: "ETHUSDT", quote: Decimal(20), view: view, limits: limits, now: 2000)?.contains("max_position_quote") == true)
        #expect(RiskGate.checkEntry(symbol: "BTCUSDT", quote: Decimal(70), view: view, limits: limits, now: 2000)?.contains("max_total_exposure_quote") == true)
        #expect(RiskGate.checkEntry(symbol: "ETHUSDT", quote: Decimal(5), view: view, limits: limits, now: 1500)?.contains("symbol_cooldown") == true)
        let poor = RiskView(positions: [], quoteBalance: Decimal(60))
        #expect(RiskGate.checkEntry(symbol: "BTCUSDT", quote: Decimal(50), view: poor, limits: limits, now: 0)?.contains("min_quote_reserve") == true)
        let full = RiskView(positions: [eth, Position(symbol: "SOLUSDT", quantity: Decimal(1), cost: Decimal(10), openedAt: 0)], quoteBalance: Decimal(500))
        #expect(RiskGate.checkEntry(symbol: "BTCUSDT", quote: Decimal(10), view: full, limits: limits, now: 0)?.contains("max_open_positions") == true)
        var stopped = view
        stopped.killSwitch = true
        #expect(RiskGate.checkEntry(symbol: "BTCUSDT", quote: Decimal(10), view: stopped, limits: limits, now: 2000)?.contains("kill switch") == true)
        #expect(!RiskGate.tripsKillSwitch(realizedToday: Decimal("-29.99")!, limits: limits) && RiskGate.tripsKillSwitch(realizedToday: Decimal(-30), limits: limits))
    }
}
