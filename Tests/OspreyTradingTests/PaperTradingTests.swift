import Logging
import OspreyCore
import OspreyRuntime
import OspreyStore
import OspreyTestSupport
import Synchronization
import Testing

let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A paper-trading rig on a real SQLite file: a market whose prices and clock the test moves.
final class MarketState: Sendable {
    let prices = Mutex<[String: Decimal]>(["ETHUSDT": Decimal(10)])
    let clock = Mutex<Double>(1_800_000_000)

    func price(_ symbol: String) -> Decimal? { prices.withLock { $0[symbol] } }
    var now: Double { clock.withLock { $0 } }
}

final class PaperRig: Sendable {
    let database: Database
    let market = MarketState()
    let settings: TradingSettings
    let exchange: PaperExchange
    let ledger: LedgerTables

    init(
        directory: String, risk: RiskLimits = RiskLimits(maxPositionQuote: Decimal(200), maxTotalExposureQuote: Decimal(400), symbolCooldown: .zero),
        slippage: Decimal = .zero
    ) throws {
        database = try Database(directory: directory, logger: quiet)
        settings = TradingSettings(risk: risk, paper: PaperSettings(feeRate: Decimal("0.001")!, slippage: slippage, startingBalances: ["USDT": Decimal(1000)]))
        ledger = LedgerTables(database)
        let market = self.market
        exchange = PaperExchange(database: database, settings: settings.paper, quoteAsset: "USDT", clock: { market.now }) { market.price($0) }
    }

    func engine() -> TradeEngine {
        let market = self.market
        return TradeEngine(exchange: exchange, ledger: ledger, settings: settings, wallClock: { market.now }, logger: quiet) { market.price($0) }
    }

    func set(_ symbol: String, _ price: String) { market.prices.withLock { $0[symbol] = Decimal(price)! } }
    func advance(_ seconds: Double) { market.clock.withLock { $0 += seconds } }
}

@Suite struct PaperTradingTests {
    @Test func aBuyFillsAtTheMarketWithItsFeeAndASellRealizesTheProfit() async throws {
        try await withTemporaryDirectory { dir in
            let rig = try PaperRig(directory: dir)
            defer { rig.database.close() }
            let engine = rig.engine()
            try await engine.start()
            let bought = try await engine.buy(symbol: "ETHUSDT", quote: Decimal(100), reason: "manual")
            #expect(bought.status == .filled && bought.executedQuantity == Decimal(10) && bought.cumulativeQuote == Decimal(100))
            #expect(bought.request.clientOrderId.hasPrefix("osp") && bought.request.quoteQuantity == Decimal(100))
            #expect(try await rig.exchange.balances() == ["USDT": Decimal("899.9"), "ETH": Decimal(10)], "100 spent plus the 0.1 % fee")
            #expect(await engine.positions() == [Position(symbol: "ETHUSDT", quantity: Decimal(10), cost: Decimal("100.1")!, openedAt: 1_800_000_000)])

            rig.set("ETHUSDT", "12")
            let sold = try await engine.sell(symbol: "ETHUSDT", quantity: nil, reason: "manual")
            #expect(sold.status == .filled && sold.executedQuantity == Decimal(10))
            #expect(await engine.positions().isEmpty)
            #expect(await engine.realized == Decimal("19.78"), "120 - 0.12 fee - 100.1 cost")
            let fills = try rig.ledger.fills(exchange: "paper")
            #expect(fills.count == 2 && Set(fills.map(\.tradeId)).count == 2)
        }
    }

    @Test func onlyALedgerOnThePaperBooksOwnDatabaseSkipsTheIntentsOwnFsync() async throws {
        try await withTemporaryDirectory { dir in
            let rig = try PaperRig(directory: dir + "/a")
            let other = try Database(directory: dir + "/b", logger: quiet)
            defer { rig.database.close(); other.close() }
            #expect(rig.exchange.keepsBooks(with: rig.ledger))
            #expect(!rig.exchange.keepsBooks(with: LedgerTables(other)), "another database's log does not order this one's writes")
        }
    }

    @Test func aLimitOrderRestsUntilCancelledAndAnIOCThatCannotFillExpires() async throws {
        try await withTemporaryDirectory { dir in
            let rig = try PaperRig(directory: dir)
            defer { rig.database.close() }
            let engine = rig.engine()
            try await engine.start()
            let resting = try await engine.limit(symbol: "ETHUSDT", side: .buy, quantity: Decimal(5), price: Decimal("9.123456789")!, timeInForce: .gtc, reason: "manual")
            #expect(resting.status == .open && resting.request.price == Decimal("9.12345678"), "the price goes onto the paper 8-decimal tick, down for a buy")
            #expect(try await rig.exchange.balances()["USDT"] == Decimal("954.3827161"), "5 × 9.12345678 held while it rests")
            let cancelled = try await engine.cancel(clientOrderId: resting.request.clientOrderId)
            let restored = try await rig.exchange.balances()["USDT"]
            #expect(cancelled.status == .canceled && restored == Decimal(1000))
            await #expect(throws: TradeRefusal.self) { try await engine.cancel(clientOrderId: resting.request.clientOrderId) }
            let ioc = try await engine.limit(symbol: "ETHUSDT", side: .buy, quantity: Decimal(1), price: Decimal(9), timeInForce: .ioc, reason: "manual")
            #expect(ioc.status == .expired)
        }
    }

    @Test func riskLimitsRefuseEntriesBeforeAnythingIsWritten() async throws {
        try await withTemporaryDirectory { dir in
            let rig = try PaperRig(directory: dir)
            defer { rig.database.close() }
            let engine = rig.engine()
            try await engine.start()
            await #expect(throws: TradeRefusal.self) { try await engine.buy(symbol: "ETHUSDT", quote: Decimal(250), reason: "manual") }
            await #expect(throws: TradeRefusal.self, "below the 5 USDT minimum notional") {
                try await engine.buy(symbol: "ETHUSDT", quote: Decimal(4), reason: "manual")
            }
            await #expect(throws: TradeRefusal.self) { try await engine.sell(symbol: "ETHUSDT", quantity: nil, reason: "manual") }
            #expect(try rig.ledger.orders(unsettledOnly: false, limit: 10).isEmpty, "no intent for a refused order")
        }
    }

    @Test func theKillSwitchTripsOnTheDailyLossAndSurvivesARestartUntilResumed() async throws {
        try await withTemporaryDirectory { dir in
            let risk = RiskLimits(maxPositionQuote: Decimal(200), maxTotalExposureQuote: Decimal(400), symbolCooldown: .zero, dailyLossLimitQuote: Decimal(5))
            let rig = try PaperRig(directory: dir, risk: risk)
            defer { rig.database.close() }
            let engine = rig.engine()
            try await engine.start()
            _ = try await engine.buy(symbol: "ETHUSDT", quote: Decimal(100), reason: "manual")
            rig.set("ETHUSDT", "9")
            _ = try await engine.sell(symbol: "ETHUSDT", quantity: nil, reason: "exit:stop-loss")
            #expect(await engine.tradingFlags.killSwitch?.contains("daily_loss_limit_quote") == true)
            await #expect(throws: TradeRefusal.self) { try await engine.buy(symbol: "ETHUSDT", quote: Decimal(10), reason: "manual") }

            let restarted = rig.engine()
            try await restarted.start()
            #expect(await restarted.tradingFlags.killSwitch != nil, "persisted across the restart")
            await #expect(throws: TradeRefusal.self) { try await restarted.buy(symbol: "ETHUSDT", quote: Decimal(10), reason: "manual") }
            _ = try await restarted.resume()
            let again = try await restarted.buy(symbol: "ETHUSDT", quote: Decimal(10), reason: "manual")
            #expect(again.status == .filled)
        }
    }

    @Test func anIntentLeftPendingByACrashIsResolvedByAskingNeverBySendingAgain() async throws {
        try await withTemporaryDirectory { dir in
            let rig = try PaperRig(directory: dir)
            defer { rig.database.close() }
            let now = await rig.exchange.now()
            // Crash after the commit, before the request left: the exchange never saw it.
            let unsent = try await rig.ledger.record(NewIntent(
                exchange: "paper", symbol: "ETHUSDT", side: .buy, type: .market, quoteQuantity: Decimal(50), reason: "manual",
                createdAt: 1_800_000_000, deadline: now + 5000))
            // Crash after the request left, before its answer was saved: the exchange filled it.
            let sent = try await rig.ledger.record(NewIntent(
                exchange: "paper", symbol: "ETHUSDT", side: .buy, type: .market, quoteQuantity: Decimal(20), reason: "manual",
                createdAt: 1_800_000_000, deadline: now + 5000))
            _ = await rig.exchange.place(sent.request, timestamp: now)

            let engine = rig.engine()
            let summary = try await engine.start()
            #expect(summary.checked == 2 && summary.stillUnknown == 1, "the unsent one may still arrive within its window")
            #expect(try rig.ledger.order(clientOrderId: sent.request.clientOrderId)?.status == .filled)
            #expect(await engine.positions().first?.quantity == Decimal(2))
            rig.advance(6)
            _ = try await engine.reconcile()
            #expect(try rig.ledger.order(clientOrderId: unsent.request.clientOrderId)?.status == .notPlaced)
            let placed = try await rig.exchange.openOrders().count
            let fills = try rig.ledger.fills(exchange: "paper").count
            #expect(placed == 0 && fills == 1, "nothing was sent twice")
        }
    }

    @Test func anOrderWithOurPrefixMissingFromTheLedgerIsAdopted() async throws {
        try await withTemporaryDirectory { dir in
            let rig = try PaperRig(directory: dir)
            defer { rig.database.close() }
            let ids = try rig.ledger.clientOrderIDs()
            let lost = OrderRequest(clientOrderId: ids.make(77), symbol: "ETHUSDT", side: .buy, type: .limit, quantity: Decimal(2),
                                    price: Decimal(9), timeInForce: .gtc)
            guard case .reported(let resting) = await rig.exchange.place(lost, timestamp: await rig.exchange.now()) else {
                Issue.record("the paper exchange refused a valid limit order")
                return
            }
            #expect(resting.status == "NEW")
            let engine = rig.engine()
            let summary = try await engine.start()
            #expect(summary.adopted == 1)
            let adopted = try #require(try rig.ledger.order(clientOrderId: ids.make(77)))
            #expect(adopted.status == .open && adopted.reason == "adopted" && adopted.id == 77)
            rig.set("ETHUSDT", "8.9")
            _ = try await engine.reconcile()
            #expect(try rig.ledger.order(clientOrderId: ids.make(77))?.status == .filled, "the resting limit filled once the price crossed")
            #expect(await engine.positions().first?.quantity == Decimal(2))
        }
    }
}

@Suite struct StrategyRunnerTests {
    static func runner(_ rig: PaperRig, _ engine: TradeEngine, _ strategies: [StrategySpec], candles: [Decimal] = []) -> StrategyRunner {
        let market = rig.market
        return StrategyRunner(engine: engine, strategies: strategies, quoteAsset: "USDT", wallClock: { market.now }, logger: quiet,
                              price: { market.price($0) }) { _, _, limit in
            candles.suffix(limit).enumerated().map { index, close in
                Kline(openTime: Int64(index) * 3_600_000, open: close, high: close, low: close, close: close, volume: Decimal(1),
                      closeTime: Int64(index + 1) * 3_600_000 - 1, quoteVolume: close, trades: 1)
            }
        }
    }

    @Test func aSignalStrategyEntersOnceAndItsStopLossExits() async throws {
        try await withTemporaryDirectory { dir in
            let rig = try PaperRig(directory: dir)
            defer { rig.database.close() }
            let engine = rig.engine()
            try await engine.start()
            let strategy = StrategySpec(name: "momentum", kind: .signal(rules: ["pump"]), symbols: ["*"], quote: Decimal(50),
                                        exits: ExitRules(stopLossPercent: Decimal(10)))
            let runner = Self.runner(rig, engine, [strategy])
            let pump = Signal(rule: "pump", kind: "price_move", token: "sim:eth", symbol: "ETH", value: Decimal(12), threshold: Decimal(10), at: 0, message: "")
            await runner.handle(Signal(rule: "other", kind: "price_move", token: "sim:eth", symbol: "ETH", value: Decimal(1), threshold: Decimal(1), at: 0, message: ""))
            #expect(await engine.positions().isEmpty, "a rule the strategy does not follow")
            await runner.handle(pump)
            await runner.handle(pump)
            let orders = try rig.ledger.orders(unsettledOnly: false, limit: 10)
            #expect(await engine.positions().map(\.symbol) == ["ETHUSDT"] && orders.count == 1, "one entry for two signals")
            rig.set("ETHUSDT", "9.5")
            #expect(try await runner.evaluate("momentum").exits == 0, "5 % down: inside the 10 % stop")
            rig.set("ETHUSDT", "8.9")
            #expect(try await runner.evaluate("momentum").exits == 1)
            let last = try rig.ledger.orders(unsettledOnly: false, limit: 1).first
            #expect(await engine.positions().isEmpty && last?.reason == "exit:stop-loss")
        }
    }

    @Test func anSMACrossStrategyTradesOnClosedCandles() async throws {
        try await withTemporaryDirectory { dir in
            let rig = try PaperRig(directory: dir)
            defer { rig.database.close() }
            let engine = rig.engine()
            try await engine.start()
            let strategy = StrategySpec(name: "trend", kind: .smaCross(fast: 2, slow: 3, interval: .h1), symbols: ["ETHUSDT"], quote: Decimal(30))
            // The last candle is still open and ignored: the closed ones cross up.
            let up = Self.runner(rig, engine, [strategy], candles: [5, 4, 3, 3, 6, 1].map { Decimal($0) })
            #expect(try await up.evaluate("trend").entries == 1)
            let down = Self.runner(rig, engine, [strategy], candles: [3, 4, 5, 6, 2, 9].map { Decimal($0) })
            #expect(try await down.evaluate("trend").exits == 1)
            #expect(await engine.positions().isEmpty)
            await #expect(throws: TradeRefusal.self) { try await down.evaluate("missing") }
        }
    }
}
