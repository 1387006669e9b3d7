/// The `sim` source: a deterministic market (seeded random walks, new listings, volume spikes, the odd rug
/// pull) so a new install shows tokens and signals with no network at all. Same seed and tick times, same
/// market. Every amount is an exact decimal built from integers.
public struct MarketSimulator: Sendable {
    struct SimToken: Sendable {
        var key: TokenKey
        var symbol: String
        var price: Decimal
        var liquidity: Decimal
        var hourlyVolume: Decimal
        var createdAt: Double
    }

    public let seed: UInt64
    public let listingEvery: Duration
    private var random: SplitMix64
    private var tokens: [SimToken] = []
    private var nextListing: Double?
    private var listed = 0

    public init(seed: UInt64, tokens count: Int, listingEvery: Duration, now: Double) {
        self.seed = seed
        self.listingEvery = listingEvery
        random = SplitMix64(seed: seed)
        for _ in 0..<count { list(now: now, age: Double(random.below(30 * 86400))) }
        nextListing = now + listingEvery.seconds
    }

    /// Advances the market to `now` and returns a snapshot of every token.
    public mutating func tick(now: Double) -> [PairSnapshot] {
        while let due = nextListing, due <= now {
            list(now: due, age: 0)
            nextListing = due + listingEvery.seconds
        }
        var snapshots: [PairSnapshot] = []
        snapshots.reserveCapacity(tokens.count)
        for index in tokens.indices {
            var token = tokens[index]
            // ±2 % a tick; 1 in 100 ticks a ±15 % jump; 1 in 500 a rug pull draining 70 % of the liquidity.
            let jump = random.below(100) == 0
            let bps = Int(random.below(jump ? 3001 : 401)) - (jump ? 1500 : 200)
            token.price = token.price.multiplied(by: Decimal(significand: Int128(10_000 + bps), scale: 4))?.rounded(scale: 12) ?? token.price
            if random.below(500) == 0 {
                token.liquidity = token.liquidity.multiplied(by: Decimal(significand: 3, scale: 1))?.rounded(scale: 2) ?? token.liquidity
            }
            let spike = random.below(50) == 0
            let m5 = token.hourlyVolume.multiplied(by: Decimal(significand: Int128(spike ? 200 + random.below(200) : 5 + random.below(15)), scale: 2))?.rounded(scale: 2) ?? .zero
            let buys = Int64(random.below(spike ? 200 : 40)) + 1
            let sells = Int64(random.below(40)) + 1
            tokens[index] = token
            snapshots.append(PairSnapshot(
                token: token.key, symbol: token.symbol, name: "Simulated \(token.symbol)", pairAddress: token.key.address + "-usd",
                dex: "simdex", quoteSymbol: "USD", priceUSD: token.price, liquidityUSD: token.liquidity,
                volumeUSD: Windows(m5: m5, h1: token.hourlyVolume, h6: token.hourlyVolume.multiplied(by: Decimal(6)), h24: token.hourlyVolume.multiplied(by: Decimal(24))),
                trades: Windows(m5: TradeCounts(buys: buys, sells: sells)), createdAt: token.createdAt, source: "sim", observedAt: now))
        }
        return snapshots
    }

    private mutating func list(now: Double, age: Double) {
        listed += 1
        let symbol = "SIM\(listed)"
        tokens.append(SimToken(
            key: TokenKey(chain: "sim", address: "sim-\(listed)"), symbol: symbol,
            price: Decimal(significand: Int128(1 + random.below(5_000_000)), scale: 6),
            liquidity: Decimal(Int(20_000 + random.below(480_000))),
            hourlyVolume: Decimal(Int(1_000 + random.below(50_000))), createdAt: now - age))
    }
}

extension SplitMix64 {
    /// Uniform in 0..<bound.
    mutating func below(_ bound: UInt64) -> UInt64 {
        next() % bound
    }
}
