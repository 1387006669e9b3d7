import Logging
import OspreyCore
import OspreyNet
import OspreyRuntime
import Synchronization

/// Builds the configured market sources. libcurl is loaded (and its thread started) only when a network
/// source is configured; a source whose settings did not change keeps its instance (and its simulator
/// state, rate budgets and circuit) across reloads.
final class MarketAssembly: Sendable {
    private struct State {
        var client: CurlHTTPClient?
        var built: [String: (settings: String, source: any MarketSource)] = [:]
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func sources(for settings: SourcesSettings, now: Double) -> [String: any MarketSource] {
        state.withLock { state in
            var sources: [String: any MarketSource] = [:]
            if let sim = settings.sim {
                sources["sim"] = reuse(&state, "sim", "\(sim)") { SimulatedSource(sim, now: now) }
            }
            if let dex = settings.dexscreener {
                sources["dexscreener"] = network(&state, "dexscreener", "\(dex)") { client in
                    DexScreenerSource(settings: dex, client: client, gate: SourceGate(
                        source: "dexscreener",
                        budgets: ["default": (dex.requestsPerMinute, .seconds(60)), "tokens": (dex.tokenRequestsPerMinute, .seconds(60))],
                        clock: ContinuousClock()), clock: .system)
                }
            }
            if let binance = settings.binance {
                sources["binance"] = network(&state, "binance", "\(binance)") { client in
                    BinanceMarketSource(settings: binance, client: client, gate: SourceGate(
                        source: "binance", budgets: ["default": (binance.weightPerMinute, .seconds(60))], clock: ContinuousClock()), clock: .system)
                }
            }
            if let rpc = settings.rpc {
                sources["rpc"] = network(&state, "rpc", "\(rpc)") { client in
                    RPCSource(settings: rpc, client: client, gate: SourceGate(
                        source: "rpc", budgets: ["default": (rpc.requestsPerMinute, .seconds(60))], clock: ContinuousClock(),
                        maxAttempts: max(3, rpc.chains.map(\.providers.count).max() ?? 1)))
                }
            }
            state.built = state.built.filter { sources[$0.key] != nil }
            return sources
        }
    }

    /// Candles from the configured Binance market source, for kline strategies.
    func klines(_ symbol: String, _ interval: KlineInterval, _ limit: Int) async throws -> [Kline] {
        guard let source = state.withLock({ $0.built["binance"]?.source as? BinanceMarketSource }) else {
            throw SourceError(.failure, "klines need [sources.binance]")
        }
        return try await source.klines(symbol: symbol, interval: interval, limit: limit)
    }

    /// The HTTP client the market sources use, for the trading exchange (loads libcurl on first use).
    func sharedClient() throws -> CurlHTTPClient {
        try state.withLock { state in try httpClient(&state) }
    }

    func shutdown() {
        state.withLock { $0.client.take() }?.shutdown()
    }

    /// A source over HTTP: nil (and an error logged) when libcurl cannot be loaded.
    private func network(
        _ state: inout State, _ name: String, _ settings: String, make: (CurlHTTPClient) -> any MarketSource
    ) -> (any MarketSource)? {
        do {
            let client = try httpClient(&state)
            return reuse(&state, name, settings) { make(client) }
        } catch {
            logger.error("a market source cannot run", metadata: ["source": "\(name)", "error": "\(error)"])
            return nil
        }
    }

    private func reuse(_ state: inout State, _ name: String, _ settings: String, make: () -> any MarketSource) -> any MarketSource {
        if let existing = state.built[name], existing.settings == settings { return existing.source }
        let source = make()
        state.built[name] = (settings, source)
        return source
    }

    private func httpClient(_ state: inout State) throws -> CurlHTTPClient {
        if let client = state.client { return client }
        let client = try CurlHTTPClient(configuration: HTTPClientConfiguration(userAgent: "osprey/\(Build.info.version)"))
        logger.info("HTTP client ready", metadata: ["component": "scanner", "libcurl": "\(client.libraryVersion)"])
        state.client = client
        return client
    }
}
