/// What an RPC source reports about a chain: its head, its gas price (EVM), watched wallets' balances.
public struct ChainState: Sendable, Equatable {
    public var chain: String
    /// EVM block number or Solana slot.
    public var height: Int64?
    /// EVM gas price in gwei.
    public var gasPriceGwei: Decimal?
    /// Watched address → balance in the chain's native unit (ETH, SOL…), exact.
    public var balances: [String: Decimal]
    public var observedAt: Double

    public init(chain: String, height: Int64? = nil, gasPriceGwei: Decimal? = nil, balances: [String: Decimal] = [:], observedAt: Double) {
        self.chain = chain
        self.height = height
        self.gasPriceGwei = gasPriceGwei
        self.balances = balances
        self.observedAt = observedAt
    }
}

/// RPC providers of one chain, each with a health score: a success raises it (to 10), a failure lowers it
/// by 3; a provider at 0 or below rests for a cooldown. Requests go to the healthiest provider that is not
/// resting, and rotate on failure.
public struct ProviderPool: Sendable {
    public struct Provider: Sendable, Equatable {
        public let url: String
        public fileprivate(set) var score: Int = 10
        public fileprivate(set) var restingUntil: Double?
    }

    public private(set) var providers: [Provider]
    public let cooldown: Double

    public init(urls: [String], cooldown: Double = 60) {
        providers = urls.map { Provider(url: $0) }
        self.cooldown = cooldown
    }

    /// Providers to try in order: healthy ones by score (then configured order), then resting ones.
    public func order(now: Double) -> [Int] {
        providers.indices.sorted { a, b in
            let restingA = (providers[a].restingUntil ?? 0) > now
            let restingB = (providers[b].restingUntil ?? 0) > now
            if restingA != restingB { return !restingA }
            if providers[a].score != providers[b].score { return providers[a].score > providers[b].score }
            return a < b
        }
    }

    public func isHealthy(_ index: Int, now: Double) -> Bool {
        (providers[index].restingUntil ?? 0) <= now && providers[index].score > 0
    }

    public mutating func succeeded(_ index: Int) {
        providers[index].score = min(providers[index].score + 1, 10)
        providers[index].restingUntil = nil
    }

    public mutating func failed(_ index: Int, now: Double) {
        providers[index].score -= 3
        if providers[index].score <= 0 {
            providers[index].restingUntil = now + cooldown
            providers[index].score = 1  // back with a low score after resting
        }
    }
}
