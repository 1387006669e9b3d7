import Logging
import Metrics
import OspreyCore
import Synchronization

/// How `osprey tokens` sorts.
public enum TokenSort: String, Sendable, CaseIterable {
    case volume, change, age
}

/// A tracked token as the control API shows it.
public struct TokenView: Sendable, Codable, Equatable {
    public var token: String
    public var symbol: String
    public var name: String
    public var dex: String
    public var priceUsd: Decimal?
    public var liquidityUsd: Decimal?
    public var volumeH24Usd: Decimal?
    public var changeH24Percent: Decimal?
    public var createdAt: Double?
    public var updatedAt: Double
    public var sources: [String]
    /// True when no source has refreshed it within its `stale_after`: never shown as fresh.
    public var stale: Bool
}

public struct ScanSummary: Sendable {
    public var pairs: Int
    public var updated: Int
    public var evicted: Int
    public var skipped: Int
    public var signals: [Signal]
}

public struct ScanError: CodedError, Sendable {
    public let description: String
    public var code: String { "unknown_source" }
}

/// The scanner: runs a source's pass for a `scan` job, merges it into the bounded tracked set, evaluates
/// signals on what was updated, persists the lot in one transaction and publishes the signals.
public actor Scanner {
    private var tracker: TokenTracker
    private var engine: SignalEngine
    private var settings: DaemonConfiguration
    private var sources: [String: any MarketSource]
    private var lastData: [String: Double] = [:]
    /// The last report of each chain (RPC sources), for balance changes.
    private var chains: [String: ChainState] = [:]
    private let store: any MarketStore
    private let bus: SignalBus
    private let health: HealthRegistry?
    private let wallClock: @Sendable () -> Double
    private let logger: Logger
    private let tracked = Gauge(label: MetricCatalog.tokensTracked.name)
    private let pending = Mutex<(DaemonConfiguration, [String: any MarketSource])?>(nil)

    public init(
        configuration: DaemonConfiguration, sources: [String: any MarketSource], store: any MarketStore, bus: SignalBus,
        health: HealthRegistry? = nil, wallClock: @escaping @Sendable () -> Double, logger: Logger
    ) {
        tracker = TokenTracker(capacity: configuration.scanner.maxTracked, historySpan: Self.historySpan(configuration))
        engine = SignalEngine(rules: configuration.signals)
        settings = configuration
        self.sources = sources
        self.store = store
        self.bus = bus
        self.health = health
        self.wallClock = wallClock
        self.logger = logger
        tracked.record(0)
    }

    /// A reload, from any thread: applied before the next scan or query, latest wins.
    public nonisolated func schedule(_ configuration: DaemonConfiguration, sources: [String: any MarketSource]) {
        pending.withLock { $0 = (configuration, sources) }
    }

    private func applyPending() {
        if let (configuration, sources) = pending.withLock({ $0.take() }) { apply(configuration, sources: sources) }
    }

    /// New rules, sources and capacity (a smaller capacity evicts at once).
    public func apply(_ configuration: DaemonConfiguration, sources: [String: any MarketSource]) {
        if configuration.scanner.maxTracked != tracker.capacity {
            var resized = TokenTracker(capacity: configuration.scanner.maxTracked, historySpan: Self.historySpan(configuration))
            _ = resized.ingest(tracker.tokens.map(\.latest), now: wallClock())
            tracker = resized
        }
        tracker.historySpan = Self.historySpan(configuration)
        engine.replaceRules(configuration.signals)
        settings = configuration
        self.sources = sources
        for name in lastData.keys where sources[name] == nil { lastData[name] = nil }
        health?.removeAll(prefix: "source:", except: Set(sources.keys.map { "source:\($0)" }))
    }

    /// One pass of `source` (the `scan` job).
    @discardableResult
    public func scan(source name: String) async throws -> ScanSummary {
        applyPending()
        guard let source = sources[name] else { throw ScanError(description: "no source named \"\(name)\" is configured") }
        let refresh = tracker.refreshOrder(limit: 300)
        let batch: SourceBatch
        do {
            batch = try await source.scan(refresh: refresh, now: wallClock())
        } catch {
            Gauge(label: MetricCatalog.sourceUp.name, dimensions: [("source", name)]).record(0)
            health?.set("source:\(name)", ComponentHealth(status: .down, detail: "\(error)", required: false))
            throw error
        }
        Gauge(label: MetricCatalog.sourceUp.name, dimensions: [("source", name)]).record(1)
        let now = wallClock()
        let (updated, evicted) = tracker.ingest(batch.pairs, now: now)
        var signals: [Signal] = []
        for position in updated {
            let fired = engine.evaluate(tracker.tokens[position], now: now)
            if !fired.isEmpty { tracker.markInteresting(tracker.tokens[position].key, at: now) }
            signals += fired
        }
        for state in batch.chains {
            signals += engine.evaluate(chain: state, previous: chains[state.chain], now: now)
            chains[state.chain] = state
        }
        try await store.save(ScanRecord(
            tracked: tracker.tokens, updated: updated, evicted: evicted, signals: signals,
            historyBefore: now - settings.scanner.historyWindow.seconds))
        bus.publish(signals)
        lastData[name] = now
        tracked.record(tracker.count)
        for signal in signals {
            Counter(label: MetricCatalog.signals.name, dimensions: [("rule", signal.rule)]).increment()
            logger.notice("signal", metadata: [
                "signal.rule": "\(signal.rule)", "signal.kind": "\(signal.kind)", "token": "\(signal.token)",
                "signal.value": "\(signal.value)", "signal.message": "\(signal.message)",
            ])
        }
        health?.set("source:\(name)", ComponentHealth(status: .up, detail: "\(batch.pairs.count) pairs in the last scan", required: false))
        return ScanSummary(pairs: batch.pairs.count + batch.chains.count, updated: updated.count, evicted: evicted.count, skipped: batch.skipped, signals: signals)
    }

    /// Resumes the tracked set persisted by the previous run, with the snapshot history its signal windows
    /// read: start-up reads no more than signals need.
    @discardableResult
    public func restore() throws -> Int {
        tracker.restore(try store.load(historySince: wallClock() - tracker.historySpan))
        tracked.record(tracker.count)
        return tracker.count
    }

    /// Seconds of price history kept in memory: twice the longest signal window (a window reads the newest
    /// point older than itself; none without windowed rules), at most `scanner.history`.
    static func historySpan(_ configuration: DaemonConfiguration) -> Double {
        let longest = configuration.signals.compactMap { rule -> Duration? in
            switch rule.condition {
            case .priceMove(let window, _), .liquidityDrop(let window, _): window
            default: nil
            }
        }.max() ?? .zero
        return min(longest * 2, configuration.scanner.historyWindow).seconds
    }

    /// Exports each source's data age and flags a source whose data went stale; run every second.
    public func refreshAges() {
        let now = wallClock()
        for name in sources.keys {
            let age = lastData[name].map { now - $0 }
            Gauge(label: MetricCatalog.sourceDataAge.name, dimensions: [("source", name)]).record(age ?? 0)
            if let age, age > settings.sources.staleAfter(name).seconds {
                health?.set("source:\(name)", ComponentHealth(status: .degraded, detail: "no data for \(Int(age)) s", required: false))
            }
        }
    }

    /// The latest USD price of an exchange symbol (`BTCUSDT`): Binance's own ticker when tracked, else the
    /// most liquid tracked token whose symbol is the base (`SIM3` for `SIM3USDT`), for paper trading.
    public func price(of symbol: String, quote: String) -> Decimal? {
        applyPending()
        if let ticker = tracker[TokenKey(chain: "binance", address: symbol)] { return ticker.latest.priceUSD }
        guard symbol.hasSuffix(quote) else { return nil }
        let base = symbol.dropLast(quote.count)
        return tracker.tokens.filter { $0.latest.symbol == base && $0.latest.priceUSD != nil }
            .max { ($0.latest.liquidityUSD ?? .zero, $1.key) < ($1.latest.liquidityUSD ?? .zero, $0.key) }?.latest.priceUSD
    }

    public func tokens(sort: TokenSort, limit: Int) -> [TokenView] {
        applyPending()
        let now = wallClock()
        let views = tracker.tokens.map { token -> TokenView in
            let latest = token.latest
            return TokenView(
                token: token.key.description, symbol: latest.symbol, name: latest.name, dex: latest.dex, priceUsd: latest.priceUSD,
                liquidityUsd: latest.liquidityUSD, volumeH24Usd: latest.volumeUSD.h24, changeH24Percent: latest.priceChangePercent.h24,
                createdAt: latest.createdAt, updatedAt: token.updatedBy.values.max() ?? 0, sources: token.updatedBy.keys.sorted(),
                stale: token.isStale(now: now, staleAfter: settings.sources.staleAfter))
        }
        let sorted: [TokenView] = switch sort {
        case .volume: views.sorted { ($0.volumeH24Usd ?? .zero, $1.token) > ($1.volumeH24Usd ?? .zero, $0.token) }
        case .change: views.sorted { ($0.changeH24Percent?.magnitude ?? .zero, $1.token) > ($1.changeH24Percent?.magnitude ?? .zero, $0.token) }
        case .age: views.sorted { ($0.createdAt ?? 0, $1.token) > ($1.createdAt ?? 0, $0.token) }
        }
        return Array(sorted.prefix(limit))
    }
}
