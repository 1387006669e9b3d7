/// `[scanner]`: the tracked set.
public struct ScannerSettings: Sendable, Equatable {
    /// Tokens tracked at once; the least recently interesting one is evicted beyond it.
    public var maxTracked: Int
    /// How long price/liquidity snapshots are kept (memory and database) for signal windows.
    public var historyWindow: Duration

    public init(maxTracked: Int = 2000, historyWindow: Duration = .seconds(6 * 3600)) {
        self.maxTracked = maxTracked
        self.historyWindow = historyWindow
    }
}

/// `[sources.sim]`: the built-in simulated market.
public struct SimSourceSettings: Sendable, Equatable {
    public var seed: UInt64
    public var tokens: Int
    public var listingEvery: Duration
    public var staleAfter: Duration

    public init(seed: UInt64 = 42, tokens: Int = 40, listingEvery: Duration = .seconds(300), staleAfter: Duration = .seconds(120)) {
        self.seed = seed
        self.tokens = tokens
        self.listingEvery = listingEvery
        self.staleAfter = staleAfter
    }
}

/// `[sources.dexscreener]`: api.dexscreener.com (public, no key).
public struct DexScreenerSettings: Sendable, Equatable {
    public static let defaultBaseURL = "https://api.dexscreener.com"

    public var baseURL: String
    /// Budget of the profile, boost and search endpoints (published limit: 60 a minute).
    public var requestsPerMinute: Int
    /// Budget of `/tokens/v1` (published limit: 300 a minute).
    public var tokenRequestsPerMinute: Int
    public var staleAfter: Duration
    public var timeout: Duration
    public var proxy: String?
    /// Search queries run on every scan (`/latest/dex/search?q=`).
    public var queries: [String]
    /// Follow new token profiles and boosts to discover tokens.
    public var discover: Bool
    /// Only these chains (empty: all).
    public var chains: [String]

    public init(
        baseURL: String = DexScreenerSettings.defaultBaseURL, requestsPerMinute: Int = 60, tokenRequestsPerMinute: Int = 300,
        staleAfter: Duration = .seconds(300), timeout: Duration = .seconds(10), proxy: String? = nil, queries: [String] = [],
        discover: Bool = true, chains: [String] = []
    ) {
        self.baseURL = baseURL
        self.requestsPerMinute = requestsPerMinute
        self.tokenRequestsPerMinute = tokenRequestsPerMinute
        self.staleAfter = staleAfter
        self.timeout = timeout
        self.proxy = proxy
        self.queries = queries
        self.discover = discover
        self.chains = chains
    }
}

/// `[sources.binance]`: Binance spot public market data (no key).
public struct BinanceMarketSettings: Sendable, Equatable {
    public static let defaultBaseURL = "https://api.binance.com"

    public var baseURL: String
    /// Binance's REQUEST_WEIGHT limit per minute (6000 by default for spot).
    public var weightPerMinute: Int
    /// Symbols quoted in these assets are tracked (their last price read as USD for USD stablecoins).
    public var quoteAssets: [String]
    public var staleAfter: Duration
    public var timeout: Duration
    public var proxy: String?

    public init(
        baseURL: String = BinanceMarketSettings.defaultBaseURL, weightPerMinute: Int = 6000, quoteAssets: [String] = ["USDT"],
        staleAfter: Duration = .seconds(120), timeout: Duration = .seconds(10), proxy: String? = nil
    ) {
        self.baseURL = baseURL
        self.weightPerMinute = weightPerMinute
        self.quoteAssets = quoteAssets
        self.staleAfter = staleAfter
        self.timeout = timeout
        self.proxy = proxy
    }
}

/// `[sources.rpc]`: JSON-RPC nodes per chain, rotated on failure.
public struct RPCSettings: Sendable, Equatable {
    public enum ChainKind: String, Sendable, CaseIterable {
        case evm, solana
    }

    public struct Chain: Sendable, Equatable {
        public var name: String
        public var kind: ChainKind
        public var providers: [String]
        public var wallets: [String]

        public init(name: String, kind: ChainKind, providers: [String], wallets: [String] = []) {
            self.name = name
            self.kind = kind
            self.providers = providers
            self.wallets = wallets
        }
    }

    public var chains: [Chain]
    /// Budget of the whole source (a batch counts once).
    public var requestsPerMinute: Int
    public var staleAfter: Duration
    public var timeout: Duration

    public init(chains: [Chain] = [], requestsPerMinute: Int = 120, staleAfter: Duration = .seconds(120), timeout: Duration = .seconds(10)) {
        self.chains = chains
        self.requestsPerMinute = requestsPerMinute
        self.staleAfter = staleAfter
        self.timeout = timeout
    }
}

/// `[sources.*]`: each present table is a configured source.
public struct SourcesSettings: Sendable, Equatable {
    public var sim: SimSourceSettings?
    public var dexscreener: DexScreenerSettings?
    public var binance: BinanceMarketSettings?
    public var rpc: RPCSettings?

    public init(sim: SimSourceSettings? = nil, dexscreener: DexScreenerSettings? = nil, binance: BinanceMarketSettings? = nil, rpc: RPCSettings? = nil) {
        self.sim = sim
        self.dexscreener = dexscreener
        self.binance = binance
        self.rpc = rpc
    }

    public static let known = ["binance", "dexscreener", "rpc", "sim"]

    public var names: [String] {
        (binance == nil ? [] : ["binance"]) + (dexscreener == nil ? [] : ["dexscreener"]) + (rpc == nil ? [] : ["rpc"]) + (sim == nil ? [] : ["sim"])
    }

    /// How old a source's data may be before it is flagged stale.
    public func staleAfter(_ source: String) -> Duration {
        switch source {
        case "sim": sim?.staleAfter ?? .seconds(120)
        case "dexscreener": dexscreener?.staleAfter ?? .seconds(300)
        case "binance": binance?.staleAfter ?? .seconds(120)
        case "rpc": rpc?.staleAfter ?? .seconds(120)
        default: .seconds(300)
        }
    }
}
