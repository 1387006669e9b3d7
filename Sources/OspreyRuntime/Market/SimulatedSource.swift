import OspreyCore
import Synchronization

/// The `sim` source: `MarketSimulator` behind the `MarketSource` protocol.
public final class SimulatedSource: MarketSource {
    public let name = "sim"
    private let simulator: Mutex<MarketSimulator>

    public init(_ settings: SimSourceSettings, now: Double) {
        simulator = Mutex(MarketSimulator(seed: settings.seed, tokens: settings.tokens, listingEvery: settings.listingEvery, now: now))
    }

    public func scan(refresh: [TokenKey], now: Double) async throws -> SourceBatch {
        SourceBatch(pairs: simulator.withLock { $0.tick(now: now) })
    }
}
