import OspreyConfig
import OspreyCore
import OspreyTestSupport
import Testing

@Suite struct TradingConfigurationTests {
    @Test func tradingRiskExchangeAndStrategies() throws {
        let (_, result) = try load("""
            [sources.binance]
            [trading]
            mode = "live"
            quote_asset = "USDC"
            [trading.paper]
            fee_rate = 0.00075
            balances = { USDC = 500, BTC = "0.01" }
            [risk]
            max_open_positions = 5
            max_position_quote = "250.5"
            symbol_cooldown = "1m"
            daily_loss_limit_quote = 0
            [exchanges.binance]
            key = "main"
            recv_window_ms = 2500
            [[signal]]
            name = "pump"
            kind = "price_move"
            window = "5m"
            percent = 10
            [[strategy]]
            name = "rider"
            kind = "signal"
            signals = ["pump"]
            symbols = ["*"]
            quote = 20
            stop_loss = 5
            max_holding = "2h"
            [[strategy]]
            name = "trend"
            kind = "sma_cross"
            fast = 9
            slow = 21
            interval = "15m"
            symbols = ["BTCUSDC"]
            quote = 50
            trailing_stop = "2.5"
            [[job]]
            name = "trend-eval"
            kind = "strategy.evaluate"
            every = "1m"
            args = { strategy = "trend" }
            """)
        let configuration = try result.get().configuration
        let trading = configuration.trading
        #expect(trading.mode == .live && trading.quoteAsset == "USDC" && trading.binance.key == "main" && trading.binance.receiveWindow == .milliseconds(2500))
        #expect(trading.paper.feeRate == Decimal("0.00075") && trading.paper.startingBalances == ["USDC": Decimal(500), "BTC": Decimal("0.01")])
        #expect(trading.risk.maxOpenPositions == 5 && trading.risk.maxPositionQuote == Decimal("250.5") && trading.risk.dailyLossLimitQuote == .zero)
        #expect(configuration.strategies == [
            StrategySpec(name: "rider", kind: .signal(rules: ["pump"]), symbols: ["*"], quote: Decimal(20),
                         exits: ExitRules(stopLossPercent: Decimal(5), maxHolding: .seconds(7200))),
            StrategySpec(name: "trend", kind: .smaCross(fast: 9, slow: 21, interval: .m15), symbols: ["BTCUSDC"], quote: Decimal(50),
                         exits: ExitRules(trailingStopPercent: Decimal("2.5"))),
        ])
    }

    /// An invalid strategy is left out, so later checks (jobs naming it, klines) do not pile onto it.
    @Test func everyTradingMistakeIsNamedAtItsPlace() throws {
        let (file, result) = try load("""
            [trading]
            mode = "live"
            [risk]
            max_open_positions = 0
            [exchanges.kraken]
            key = "x"
            [[strategy]]
            name = "trend"
            kind = "sma_cross"
            fast = 30
            slow = 10
            symbols = ["BTCUSDT"]
            quote = 10
            [[strategy]]
            name = "rider"
            kind = "signal"
            signals = ["nope"]
            symbols = ["*"]
            quote = 10
            [[strategy]]
            name = "any"
            kind = "rsi"
            symbols = ["*"]
            quote = 10
            [[strategy]]
            name = "dip"
            kind = "rsi"
            symbols = ["ETHUSDT"]
            quote = 10
            [[job]]
            name = "eval"
            kind = "strategy.evaluate"
            every = "1m"
            args = { strategy = "missing" }
            """)
        guard case .failure(let errors) = result else {
            Issue.record("accepted")
            return
        }
        #expect(errors.problems.map(\.description) == [
            "\(file):2:8: trading.mode: \"live\" needs [exchanges.binance].key, the name of a key stored with `osprey keys add`",
            "\(file):4:22: risk.max_open_positions: expected an integer from 1 to 1000, found 0",
            "\(file):5:1: exchanges.kraken: unknown exchange; this version trades on: binance",
            "\(file):7:1: strategy.trend.fast: fast (30) must be below slow (10)",
            "\(file):14:1: strategy.rider.signals: \"nope\" is not a configured [[signal]] (configured: )",
            "\(file):23:11: strategy.any.symbols: \"*\" is for signal strategies; a rsi strategy names its symbols",
            "\(file):25:1: strategy.dip.kind: rsi reads Binance klines: add [sources.binance]",
            "\(file):34:21: job.eval.args.strategy: not a configured strategy (configured: rider, dip)",
        ])
    }
}
