// Trade path latency and ledger throughput, release build, real SQLite files (WAL, synchronous=FULL for the
// ledger). 1. Tick → order handed to the exchange adapter (risk gates, filters, the intent committed and
// fsynced, then `place` called), p50/p99, in paper mode and against the strict Binance fake on 127.0.0.1.
// 2. Durable ledger transitions per second from concurrent writers (group commit shares the fsync).
// Usage: osprey-trading-bench [orders] [seconds]
import Logging
import OspreyCore
import OspreyFakes
import OspreyNet
import OspreyRuntime
import OspreyStore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Records when an order reaches the exchange adapter and when its answer comes back.
final class Stopwatch: Exchange {
    let inner: any Exchange
    let handed = Mutex<ContinuousClock.Instant?>(nil)
    let answered = Mutex<ContinuousClock.Instant?>(nil)
    init(_ inner: any Exchange) { self.inner = inner }
    var name: String { inner.name }
    var receiveWindow: Int64 { inner.receiveWindow }
    var clockOffset: Double? { inner.clockOffset }
    func now() async -> Int64 { await inner.now() }
    func rules(symbol: String) async throws -> SymbolRules { try await inner.rules(symbol: symbol) }
    func place(_ request: OrderRequest, timestamp: Int64) async -> OrderEvent {
        handed.withLock { $0 = .now }
        let event = await inner.place(request, timestamp: timestamp)
        answered.withLock { $0 = .now }
        return event
    }
    func query(symbol: String, clientOrderId: String) async throws -> ExchangeOrder? { try await inner.query(symbol: symbol, clientOrderId: clientOrderId) }
    func cancel(symbol: String, clientOrderId: String) async -> OrderEvent { await inner.cancel(symbol: symbol, clientOrderId: clientOrderId) }
    func openOrders() async throws -> [ExchangeOrder] { try await inner.openOrders() }
    func trades(symbol: String, orderId: Int64, clientOrderId: String) async throws -> [Fill] {
        try await inner.trades(symbol: symbol, orderId: orderId, clientOrderId: clientOrderId)
    }
    func balances() async throws -> [String: Decimal] { try await inner.balances() }
    func keepsBooks(with ledger: any TradeLedger) -> Bool { inner.keepsBooks(with: ledger) }
}

let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
let orders = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2000 : 2000
let seconds = CommandLine.arguments.count > 2 ? Double(CommandLine.arguments[2]) ?? 5 : 5
let unlimited = RiskLimits(maxOpenPositions: 1000, maxPositionQuote: Decimal(1_000_000_000), maxTotalExposureQuote: Decimal(1_000_000_000),
                           minQuoteReserve: .zero, symbolCooldown: .zero, dailyLossLimitQuote: .zero)

func unixTime() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func scratch(_ name: String) -> String { "/tmp/osprey-trading-bench-\(getpid())-\(name)" }

func cleanup(_ directory: String) {
    for file in ["osprey.db", "osprey.db-wal", "osprey.db-shm"] { unlink(directory + "/" + file) }
    rmdir(directory)
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// Copies the WAL into the database file every 250 ms on a thread of its own, as the daemon's
/// wal-checkpoint service does, so no commit in the measured path has to run SQLite's automatic checkpoint.
func checkpointing(_ database: Database) -> Task<Void, Never> {
    Task.detached {
        try? await BlockingPeriodicService("wal-checkpoint", interval: .milliseconds(250), clock: ContinuousClock()) {
            _ = try? database.checkpoint()
        }.run()
    }
}

func milliseconds(_ elapsed: Duration) -> Double {
    Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
}

/// Buys then sells `count` times; returns tick → handed latencies and the place round trips (handed →
/// answered), in milliseconds.
func measure(_ exchange: Stopwatch, database: Database, symbol: String, count: Int) async throws -> (handed: [Double], roundTrip: [Double]) {
    let engine = TradeEngine(exchange: exchange, ledger: LedgerTables(database), settings: TradingSettings(risk: unlimited), wallClock: unixTime,
                             logger: quiet) { _ in Decimal(50000) }
    try await engine.start()
    let checkpoints = checkpointing(database)
    defer { checkpoints.cancel() }
    var latencies: [Double] = []
    var roundTrips: [Double] = []
    for index in 0..<count {
        let tick = ContinuousClock.now
        let order = index % 2 == 0
            ? try await engine.buy(symbol: symbol, quote: Decimal(20), reason: "bench")
            : try await engine.sell(symbol: symbol, quantity: nil, reason: "bench")
        guard order.status == .filled, let handed = exchange.handed.withLock({ $0 }), let answered = exchange.answered.withLock({ $0 }) else {
            fatalError("order \(index): \(order.status) \(order.detail)")
        }
        latencies.append(milliseconds(tick.duration(to: handed)))
        roundTrips.append(milliseconds(handed.duration(to: answered)))
    }
    return (latencies, roundTrips)
}

func report(_ label: String, _ latencies: [Double], what: String = "tick → handed to the exchange") {
    print("\(label): \(what), \(latencies.count) orders: p50 \(percentile(latencies, 0.5)) ms, p99 \(percentile(latencies, 0.99)) ms")
}

// 1a. Paper.
do {
    let directory = scratch("paper")
    let database = try Database(directory: directory, logger: quiet)
    let paper = PaperExchange(database: database, settings: PaperSettings(startingBalances: ["USDT": Decimal(1_000_000_000)]), quoteAsset: "USDT",
                              clock: unixTime) { _ in Decimal(50000) }
    report("paper", try await measure(Stopwatch(paper), database: database, symbol: "BTCUSDT", count: orders).handed)
    database.close()
    cleanup(directory)
}

// 1b. Binance spot against the strict fake on 127.0.0.1: tick → handed, and the place round trip (orders are
// sent at most once: kept-alive connection, libcurl's re-send refused). For comparison, through the fault
// proxy without faults: kept alive, and a new connection per request (the other way to be sure of at most once).
func binance(port: Int, directory name: String) async throws -> (handed: [Double], roundTrip: [Double]) {
    let directory = scratch(name)
    let database = try Database(directory: directory, logger: quiet)
    let client = try CurlHTTPClient(configuration: HTTPClientConfiguration(userAgent: "osprey/bench"))
    defer {
        client.shutdown()
        database.close()
        cleanup(directory)
    }
    let exchange = BinanceSpotExchange(
        settings: BinanceTradingSettings(baseURL: "http://127.0.0.1:\(port)", key: "bench", weightPerMinute: 10_000_000),
        credentials: ExchangeCredentials(apiKey: "bench-key", apiSecret: "bench-secret"), client: client, clock: .system)
    return try await measure(Stopwatch(exchange), database: database, symbol: "BTCUSDT", count: orders)
}

do {
    let fake = FakeBinanceSpot(
        apiKey: "bench-key", secret: "bench-secret",
        markets: ["BTCUSDT": .init(base: "BTC", quote: "USDT", price: Decimal(50000), tick: Decimal("0.01")!, step: Decimal("0.00001")!,
                                  minQuantity: Decimal("0.00001")!, minNotional: Decimal(5))],
        balances: ["USDT": Decimal(1_000_000_000)], weightLimit: 10_000_000)
    try await withFakeServer(fake.router) { port in
        let direct = try await binance(port: port, directory: "binance")
        report("loopback binance", direct.handed)
        report("loopback binance", direct.roundTrip, what: "place round trip, kept-alive connection")
        try await withFaultProxy(upstream: port) { proxy in
            let kept = try await binance(port: proxy.port, directory: "proxy-kept")
            report("through the proxy", kept.roundTrip, what: "place round trip, kept-alive connection")
            proxy.keepAlive(false)
            let fresh = try await binance(port: proxy.port, directory: "proxy-fresh")
            report("through the proxy", fresh.roundTrip, what: "place round trip, a new connection per request")
        }
    }
}

// 2. Durable transitions per second: 64 writers saving order states, each save committed with synchronous=FULL.
do {
    let directory = scratch("ledger")
    let database = try Database(directory: directory, logger: quiet)
    let ledger = LedgerTables(database)
    var intents: [LedgerOrder] = []
    for index in 0..<64 {
        intents.append(try await ledger.record(NewIntent(exchange: "bench", symbol: "BTCUSDT", side: .buy, type: .market, quoteQuantity: Decimal(10),
                                                          reason: "bench", createdAt: Double(index), deadline: 0)))
    }
    let checkpoints = checkpointing(database)
    defer { checkpoints.cancel() }
    let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
    let started = ContinuousClock.now
    let count = try await withThrowingTaskGroup(of: Int.self) { group in
        for intent in intents {
            group.addTask {
                var order = intent
                var saved = 0
                while ContinuousClock.now < deadline {
                    order.status = saved % 2 == 0 ? .unknown : .pending
                    order.updatedAt = Double(saved)
                    try await ledger.save(order)
                    saved += 1
                }
                return saved
            }
        }
        var total = 0
        for try await saved in group { total += saved }
        return total
    }
    let elapsed = started.duration(to: .now)
    let rate = Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    print("ledger: \(count) durable transitions in \(seconds) s from 64 writers: \(Int(rate)) per second (synchronous=FULL, group commit)")
    database.close()
    cleanup(directory)
}
