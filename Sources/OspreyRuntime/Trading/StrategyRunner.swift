import Logging
import OspreyCore
import ServiceLifecycle

/// Runs the `[[strategy]]` tables through the trade engine: the `strategy.evaluate` job checks the exits of
/// the strategy's positions and, for kline strategies, decides on the last closed candle; signal strategies
/// enter when the scanner's bus carries one of their signals. Every order goes through the engine, so risk
/// gates, the ledger and reconciliation apply exactly as to manual orders.
public actor StrategyRunner {
    public struct Summary: Sendable, Equatable {
        public var entries = 0
        public var exits = 0
        public var refused = 0
    }

    let engine: TradeEngine
    let candles: @Sendable (String, KlineInterval, Int) async throws -> [Kline]
    let price: @Sendable (String) async -> Decimal?
    let wallClock: @Sendable () -> Double
    let logger: Logger
    private var strategies: [String: StrategySpec]
    private var quoteAsset: String
    /// Highest price seen per symbol since its position opened, for trailing stops (starts again after a restart).
    private var highs: [String: Decimal] = [:]

    public init(
        engine: TradeEngine, strategies: [StrategySpec], quoteAsset: String, wallClock: @escaping @Sendable () -> Double, logger: Logger,
        price: @escaping @Sendable (String) async -> Decimal?,
        candles: @escaping @Sendable (String, KlineInterval, Int) async throws -> [Kline]
    ) {
        self.engine = engine
        self.strategies = Dictionary(strategies.map { ($0.name, $0) }) { $1 }
        self.quoteAsset = quoteAsset
        self.wallClock = wallClock
        self.logger = logger
        self.price = price
        self.candles = candles
    }

    public func apply(_ strategies: [StrategySpec], quoteAsset: String) {
        self.strategies = Dictionary(strategies.map { ($0.name, $0) }) { $1 }
        self.quoteAsset = quoteAsset
    }

    /// The `strategy.evaluate` job for one strategy.
    @discardableResult
    public func evaluate(_ name: String) async throws -> Summary {
        guard let strategy = strategies[name] else { throw TradeRefusal(.strategy, "no strategy named \"\(name)\" is configured") }
        var summary = Summary()
        guard strategy.enabled else { return summary }
        let owned = await engine.positions().filter { $0.isOpen && strategy.allows($0.symbol) }
        let ownership = await engine.entryReasons()
        for position in owned where ownership[position.symbol] == strategy.entryReason {
            guard let last = await price(position.symbol) else { continue }
            let high = max(highs[position.symbol] ?? last, last)
            highs[position.symbol] = high
            if let reason = strategy.exits.exit(position, price: last, high: high, now: wallClock()) {
                await order(&summary, strategy, position.symbol, exit: reason)
            }
        }
        switch strategy.kind {
        case .signal: break
        case .smaCross(_, _, let interval), .rsi(_, _, _, let interval):
            for symbol in strategy.symbols {
                let closes = try await candles(symbol, interval, strategy.kind.candles + 1).dropLast().map(\.close)  // the last candle is still open
                let held = await engine.positions().contains { $0.symbol == symbol && $0.isOpen }
                switch strategy.kind.decide(closes: Array(closes)) {
                case .enter where !held: await order(&summary, strategy, symbol, exit: nil)
                case .exit where held && ownership[symbol] == strategy.entryReason: await order(&summary, strategy, symbol, exit: "exit:\(strategy.kind.name)")
                default: break
                }
            }
        }
        return summary
    }

    /// A signal from the scanner: every enabled signal strategy it belongs to enters its symbol, once.
    public func handle(_ signal: Signal) async {
        let symbol = signal.token.hasPrefix("binance:") ? String(signal.token.dropFirst("binance:".count)) : signal.symbol + quoteAsset
        for strategy in strategies.values.sorted(by: { $0.name < $1.name }) where strategy.enabled && strategy.allows(symbol) {
            guard case .signal(let rules) = strategy.kind, rules.isEmpty || rules.contains(signal.rule) else { continue }
            guard !(await engine.positions().contains { $0.symbol == symbol && $0.isOpen }) else { continue }
            var summary = Summary()
            await order(&summary, strategy, symbol, exit: nil)
        }
    }

    private func order(_ summary: inout Summary, _ strategy: StrategySpec, _ symbol: String, exit reason: String?) async {
        do {
            if let reason {
                let order = try await engine.sell(symbol: symbol, quantity: nil, reason: reason)
                summary.exits += 1
                if order.status == .filled { highs[symbol] = nil }
            } else {
                _ = try await engine.buy(symbol: symbol, quote: strategy.quote, reason: strategy.entryReason)
                summary.entries += 1
            }
        } catch {
            summary.refused += 1
            logger.info("strategy order not placed", metadata: [
                "strategy": "\(strategy.name)", "symbol": "\(symbol)", "side": "\(reason == nil ? "BUY" : "SELL")", "reason": "\(error)",
            ])
        }
    }
}

/// Feeds the scanner's signals to the strategy runner for as long as the daemon runs.
public struct StrategySignals: Service, CustomStringConvertible {
    public var description: String { "strategy-signals" }
    let runner: StrategyRunner
    let bus: SignalBus

    public init(runner: StrategyRunner, bus: SignalBus) {
        self.runner = runner
        self.bus = bus
    }

    public func run() async throws {
        let signals = bus.subscribe()
        await cancelWhenGracefulShutdown {
            for await signal in signals { await runner.handle(signal) }
        }
    }
}
