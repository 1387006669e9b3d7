import Foundation
import OspreyCore
import OspreyRuntime
import OspreyStore
import OspreyTestSupport
import Synchronization
import Testing

/// Bad trade input is refused before anything is written, with a message that names the problem; and only
/// an entry that reached the exchange starts the symbol's cooldown.
@Suite struct TradeInputTests {
    @Test(arguments: [
        ("NOPEUSDT", "buy", "5", "paper trading has no price for NOPEUSDT"),
        ("😀USDT", "buy", "5", "is not a symbol"),
        ("ETHUSDT", "sell", "1000000", "selling 1000000 ETH, but the account holds 0 ETH"),
        ("ETHUSDT", "buy", "0.0000000001", "quote amount 0.0000000001 is below the smallest amount of USDT, 0.00000001"),
        ("ETHUSDT", "limit-sell", "1", "selling 1 ETH, but the account holds 0 ETH"),
    ])
    func badInputIsRefusedBeforeTheLedger(symbol: String, action: String, amount: String, message: String) async throws {
        try await withTemporaryDirectory { dir in
            let rig = try PaperRig(directory: dir)
            defer { rig.database.close() }
            let engine = rig.engine()
            try await engine.start()
            let value = Decimal(amount)!
            await #expect {
                switch action {
                case "buy": _ = try await engine.buy(symbol: symbol, quote: value, reason: "manual")
                case "sell": _ = try await engine.sell(symbol: symbol, quantity: value, reason: "manual")
                default: _ = try await engine.limit(symbol: symbol, side: .sell, quantity: value, price: Decimal(10), timeInForce: .gtc, reason: "manual")
                }
            } throws: { error in
                error is TradeRefusal && "\(error)".contains(message)
            }
            #expect(try rig.ledger.orders(unsettledOnly: false, limit: 10).isEmpty, "nothing was written")
        }
    }

    @Test func onlyAnEntryThatReachedTheExchangeStartsTheCooldown() async throws {
        try await withTemporaryDirectory { dir in
            let risk = RiskLimits(maxPositionQuote: Decimal(100_000), maxTotalExposureQuote: Decimal(100_000), minQuoteReserve: .zero, symbolCooldown: .seconds(900))
            let rig = try PaperRig(directory: dir, risk: risk)
            defer { rig.database.close() }
            let engine = rig.engine()
            try await engine.start()
            // The risk gates see 1000 of 1000 USDT spent; the exchange also wants its 0.1 % fee, and refuses.
            let unaffordable = try await engine.buy(symbol: "ETHUSDT", quote: Decimal(1000), reason: "manual")
            #expect(unaffordable.status == .rejected, "\(unaffordable.detail)")
            let bought = try await engine.buy(symbol: "ETHUSDT", quote: Decimal(100), reason: "manual")
            #expect(bought.status == .filled, "a refused entry started no cooldown")
            await #expect {
                _ = try await engine.buy(symbol: "ETHUSDT", quote: Decimal(100), reason: "manual")
            } throws: { error in
                "\(error)".contains("symbol_cooldown")
            }
        }
    }

    /// The smallest buy the engine lets through is one the paper exchange fills, whatever the price, the fee
    /// and the slippage; the position it leaves is worth less than the minimum order after slippage, and
    /// `sell --all` says so and what to do instead of sending an order the exchange refuses.
    @Test func theMinimumNotionalIsJudgedAsTheExchangeJudgesIt() async throws {
        try await withTemporaryDirectory { dir in
            let risk = RiskLimits(maxPositionQuote: Decimal(100_000), maxTotalExposureQuote: Decimal(100_000), minQuoteReserve: .zero, symbolCooldown: .zero)
            let rig = try PaperRig(directory: dir, risk: risk, slippage: Decimal("0.0005")!)
            defer { rig.database.close() }
            let engine = rig.engine()
            try await engine.start()
            for price in ["10", "0.0137", "3.33333333", "97.1", "0.99999999", "12345.6789"] {
                rig.set("ETHUSDT", price)
                let bought = try await engine.buy(symbol: "ETHUSDT", quote: Decimal(5), reason: "manual")
                #expect(bought.status == .filled, "a 5 USDT buy at \(price): \(bought.status) \(bought.detail)")
            }
            // 5 USDT of SOL at 10 with 5 bp slippage: 0.49975012 SOL, worth 4.9975 at 10, below the minimum of 5.
            rig.set("SOLUSDT", "10")
            #expect(try await engine.buy(symbol: "SOLUSDT", quote: Decimal(5), reason: "manual").status == .filled)
            let before = try rig.ledger.orders(unsettledOnly: false, limit: 100).count
            await #expect {
                _ = try await engine.sell(symbol: "SOLUSDT", quantity: nil, reason: "manual")
            } throws: { error in
                "\(error)".contains("is below the exchange's minimum order") && "\(error)".contains("buy more, then sell it all")
            }
            #expect(try rig.ledger.orders(unsettledOnly: false, limit: 100).count == before, "nothing was written")
        }
    }

    /// The ledger as the disk can leave it: every intent it is asked to record fails while `refusing` is set.
    final class RefusingLedger: TradeLedger {
        let inner: LedgerTables
        let refusing = Mutex(false)
        init(_ inner: LedgerTables) { self.inner = inner }
        var store: ObjectIdentifier { inner.store }
        func clientOrderIDs() throws -> ClientOrderID { try inner.clientOrderIDs() }
        func record(_ intent: NewIntent, fsync: Bool) async throws -> LedgerOrder {
            if refusing.withLock({ $0 }) { throw CocoaError(.fileWriteOutOfSpace) }
            return try await inner.record(intent, fsync: fsync)
        }
        func save(_ order: LedgerOrder) async throws { try await inner.save(order) }
        func adopt(_ order: ExchangeOrder, exchange: String, at now: Double) async throws -> LedgerOrder {
            try await inner.adopt(order, exchange: exchange, at: now)
        }
        func record(fills: [Fill], exchange: String) async throws -> [Fill] { try await inner.record(fills: fills, exchange: exchange) }
        func unsettled(exchange: String) throws -> [LedgerOrder] { try inner.unsettled(exchange: exchange) }
        func orders(unsettledOnly: Bool, limit: Int) throws -> [LedgerOrder] { try inner.orders(unsettledOnly: unsettledOnly, limit: limit) }
        func order(clientOrderId: String) throws -> LedgerOrder? { try inner.order(clientOrderId: clientOrderId) }
        func fills(exchange: String) throws -> [Fill] { try inner.fills(exchange: exchange) }
        func flags() throws -> TradingFlags { try inner.flags() }
        func setFlags(_ flags: TradingFlags) async throws { try await inner.setFlags(flags) }
    }

    /// Issue 15's report: a buy the ledger could not record (a full disk) started the symbol's cooldown.
    @Test func aBuyTheLedgerCannotRecordStartsNoCooldown() async throws {
        try await withTemporaryDirectory { dir in
            let risk = RiskLimits(maxPositionQuote: Decimal(100_000), maxTotalExposureQuote: Decimal(100_000), minQuoteReserve: .zero, symbolCooldown: .seconds(900))
            let rig = try PaperRig(directory: dir, risk: risk)
            defer { rig.database.close() }
            let ledger = RefusingLedger(rig.ledger)
            let market = rig.market
            let engine = TradeEngine(exchange: rig.exchange, ledger: ledger, settings: rig.settings, wallClock: { market.now }, logger: quiet) { market.price($0) }
            try await engine.start()
            ledger.refusing.withLock { $0 = true }
            await #expect(throws: CocoaError.self) { _ = try await engine.buy(symbol: "ETHUSDT", quote: Decimal(100), reason: "manual") }
            ledger.refusing.withLock { $0 = false }
            #expect(try await engine.buy(symbol: "ETHUSDT", quote: Decimal(100), reason: "manual").status == .filled, "no cooldown from the unrecorded buy")
        }
    }
}
