import Logging
import OspreyCore
import OspreyRuntime
import Synchronization
import Testing

/// A source that serves the batches a test queues (or fails).
final class QueuedSource: MarketSource {
    let name: String
    let batches: Mutex<[Result<[PairSnapshot], SourceError>]>

    init(_ name: String, _ batches: [Result<[PairSnapshot], SourceError>]) {
        self.name = name
        self.batches = Mutex(batches)
    }

    func scan(refresh: [TokenKey], now: Double) async throws -> SourceBatch {
        SourceBatch(pairs: try batches.withLock { $0.isEmpty ? .success([]) : $0.removeFirst() }.get())
    }
}

final class MemoryMarketStore: MarketStore {
    let saved = Mutex<[(tokens: Int, evicted: Int, signals: [Signal])]>([])

    func save(_ scan: ScanRecord) async throws {
        saved.withLock { $0.append((scan.updated.count, scan.evicted.count, scan.signals)) }
    }

    func signals(since: Double, limit: Int) throws -> [Signal] {
        saved.withLock { $0.flatMap(\.signals) }.filter { $0.at >= since }
    }

    func load(historySince: Double) throws -> [TrackedToken] { [] }
}

@Suite struct ScannerTests {
    static func pair(_ address: String, liquidity: String, at: Double, created: Double? = nil) -> PairSnapshot {
        PairSnapshot(token: TokenKey(chain: "solana", address: address), symbol: address.uppercased(), priceUSD: Decimal(1),
                     liquidityUSD: Decimal(liquidity), createdAt: created, source: "dex", observedAt: at)
    }

    @Test func scansMergeSignalOncePersistAndReportSourceHealth() async throws {
        let now = Mutex(1000.0)
        let source = QueuedSource("dex", [
            .success([Self.pair("a", liquidity: "50000", at: 1000, created: 900), Self.pair("b", liquidity: "10", at: 1000)]),
            .success([Self.pair("a", liquidity: "50000", at: 1010, created: 900)]),
            .failure(SourceError(.rateLimited, "dex: rate limited (HTTP 429)")),
        ])
        var configuration = DaemonConfiguration()
        configuration.scanner.maxTracked = 10
        configuration.signals = [SignalRule(name: "fresh", condition: .newPair(maxAge: .seconds(3600), minLiquidity: Decimal(1000)))]
        let store = MemoryMarketStore()
        let health = HealthRegistry()
        let scanner = Scanner(configuration: configuration, sources: ["dex": source], store: store, bus: SignalBus(), health: health,
                              wallClock: { now.withLock { $0 } }, logger: Logger(label: "test"))
        let first = try await scanner.scan(source: "dex")
        #expect(first.pairs == 2 && first.updated == 2 && first.signals.map(\.token) == ["solana:a"])
        now.withLock { $0 = 1010 }
        let second = try await scanner.scan(source: "dex")
        #expect(second.signals.isEmpty, "once per cooldown")
        #expect(store.saved.withLock { $0.map(\.tokens) } == [2, 1])
        #expect(health.report.components["source:dex"]?.status == .up)

        await #expect(throws: SourceError.self) { try await scanner.scan(source: "dex") }
        #expect(health.report.components["source:dex"]?.status == .down)
        #expect(health.report.isReady, "a source outage does not make the daemon unready")
        now.withLock { $0 = 1000 + 301 }
        let tokens = await scanner.tokens(sort: .volume, limit: 10)
        #expect(tokens.first { $0.token == "solana:b" }?.stale == true, "no update for longer than stale_after (5m)")
        #expect(tokens.first { $0.token == "solana:a" }?.stale == false)
        await #expect(throws: ScanError.self) { try await scanner.scan(source: "nope") }
    }
}
