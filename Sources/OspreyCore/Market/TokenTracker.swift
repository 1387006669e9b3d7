/// A price and liquidity observation, for signals over a window ("price moved 20 % in 15 minutes").
public struct PricePoint: Sendable, Equatable {
    public var at: Double
    public var price: Decimal?
    public var liquidity: Decimal?

    public init(at: Double, price: Decimal?, liquidity: Decimal?) {
        self.at = at
        self.price = price
        self.liquidity = liquidity
    }
}

/// One token as Osprey tracks it: its most liquid pair's latest snapshot from any source, when each source
/// last updated it, and a short history.
public struct TrackedToken: Sendable, Equatable {
    public var latest: PairSnapshot
    /// Source name → Unix seconds of its last observation.
    public var updatedBy: [String: Double]
    public var firstSeen: Double
    /// The last time something made it worth refreshing first: discovery, a signal, an open position.
    public var lastInteresting: Double
    /// Oldest first, bounded.
    public var history: [PricePoint]

    public init(latest: PairSnapshot, updatedBy: [String: Double], firstSeen: Double, lastInteresting: Double, history: [PricePoint]) {
        self.latest = latest
        self.updatedBy = updatedBy
        self.firstSeen = firstSeen
        self.lastInteresting = lastInteresting
        self.history = history
    }

    public var key: TokenKey { latest.token }

    /// Stale when no source has updated it within that source's `stale_after`: shown, but never as fresh.
    public func isStale(now: Double, staleAfter: (String) -> Duration) -> Bool {
        !updatedBy.contains { source, at in now - at <= staleAfter(source).seconds }
    }

    /// The history point closest to `seconds` ago, at or before it.
    public func point(secondsAgo seconds: Double, now: Double) -> PricePoint? {
        history.last { $0.at <= now - seconds }
    }

    /// Takes a newer snapshot and extends the history. Points older than `span` go, except the newest of
    /// them (a window reads the newest point at or before its start), and at most `limit` stay; old points
    /// are dropped in batches, so a scan does not shift every token's history by one.
    mutating func observe(_ snapshot: PairSnapshot, limit: Int, span: Double) {
        latest = snapshot
        updatedBy[snapshot.source] = snapshot.observedAt
        guard (history.last?.at ?? -.infinity) < snapshot.observedAt else { return }
        history.append(PricePoint(at: snapshot.observedAt, price: snapshot.priceUSD, liquidity: snapshot.liquidityUSD))
        let cutoff = snapshot.observedAt - span
        var (low, high) = (0, history.count)  // first point inside the span
        while low < high {
            let middle = (low + high) / 2
            if history[middle].at < cutoff { low = middle + 1 } else { high = middle }
        }
        let expired = low - 1
        if history.count > limit + limit / 8 || expired >= max(8, history.count / 4) {
            history.removeFirst(max(history.count - limit, expired, 0))
        }
    }
}

/// The bounded set of tracked tokens. Snapshots from every source merge by token; when the set is full, the
/// least recently interesting token that is not pinned (an open position) is evicted. The tokens are kept in
/// one array (in no particular order) with an index by key, so a scan updates each in place and the store
/// reads the ones it saves in place: 10,000 tokens of half a kilobyte each are never copied.
public struct TokenTracker: Sendable {
    public let capacity: Int
    public let historyLimit: Int
    /// Seconds of history the signal windows read (twice the longest); older points are dropped.
    public var historySpan: Double
    public private(set) var tokens: [TrackedToken] = []
    private var positions: [TokenKey: Int] = [:]
    private var pinned: Set<TokenKey> = []

    public init(capacity: Int, historyLimit: Int = 720, historySpan: Double = .infinity) {
        precondition(capacity > 0 && historyLimit > 0, "a tracker holds at least one token and one point")
        self.capacity = capacity
        self.historyLimit = historyLimit
        self.historySpan = historySpan
    }

    public var count: Int { tokens.count }

    public subscript(key: TokenKey) -> TrackedToken? {
        positions[key].map { tokens[$0] }
    }

    /// Merges one source's batch; returns the positions in `tokens` of those updated (in the batch's order)
    /// and the keys of those evicted to stay within capacity.
    public mutating func ingest(_ snapshots: [PairSnapshot], now: Double) -> (updated: [Int], evicted: [TokenKey]) {
        // The most liquid pair of each token, as positions in the batch: snapshots are not copied around.
        var chosen: [Int] = []
        var slots: [TokenKey: Int] = [:]
        slots.reserveCapacity(snapshots.count)
        for index in snapshots.indices {
            let snapshot = snapshots[index]
            if let slot = slots[snapshot.token] {
                if (snapshots[chosen[slot]].liquidityUSD ?? .zero) < (snapshot.liquidityUSD ?? .zero) { chosen[slot] = index }
            } else {
                slots[snapshot.token] = chosen.count
                chosen.append(index)
            }
        }
        var updated: [Int] = []
        updated.reserveCapacity(chosen.count)
        for index in chosen {
            if let position = positions[snapshots[index].token] {
                tokens[position].observe(snapshots[index], limit: historyLimit, span: historySpan)  // in place: no copies
                updated.append(position)
            } else {
                let snapshot = snapshots[index]
                positions[snapshot.token] = tokens.count
                updated.append(tokens.count)
                tokens.append(TrackedToken(
                    latest: snapshot, updatedBy: [snapshot.source: snapshot.observedAt], firstSeen: now, lastInteresting: now,
                    history: [PricePoint(at: snapshot.observedAt, price: snapshot.priceUSD, liquidity: snapshot.liquidityUSD)]))
            }
        }
        guard tokens.count > capacity else { return (updated, []) }
        // Positions are sorted, not tokens: a full set evicts on every scan that discovers one.
        let candidates = tokens.indices.filter { !pinned.contains(tokens[$0].key) }
            .sorted { (tokens[$0].lastInteresting, tokens[$0].firstSeen, tokens[$0].key) < (tokens[$1].lastInteresting, tokens[$1].firstSeen, tokens[$1].key) }
        let evicted = candidates.prefix(tokens.count - capacity).map { tokens[$0].key }.sorted()
        let updatedKeys = updated.map { tokens[$0].key }
        let gone = Set(evicted)
        tokens.removeAll { gone.contains($0.key) }
        reindex()
        return (updatedKeys.compactMap { positions[$0] }, evicted)
    }

    private mutating func reindex() {
        positions = Dictionary(uniqueKeysWithValues: zip(tokens.lazy.map(\.key), tokens.indices))
    }

    /// Tokens persisted by an earlier run (the most recently updated first, up to the capacity).
    public mutating func restore(_ restored: [TrackedToken]) {
        for token in restored.sorted(by: { ($0.updatedBy.values.max() ?? 0) > ($1.updatedBy.values.max() ?? 0) }).prefix(capacity - tokens.count)
        where positions[token.key] == nil {
            var token = token
            if token.history.count > historyLimit { token.history.removeFirst(token.history.count - historyLimit) }
            positions[token.key] = tokens.count
            tokens.append(token)
        }
    }

    public mutating func markInteresting(_ key: TokenKey, at now: Double) {
        if let position = positions[key] { tokens[position].lastInteresting = now }
    }

    /// Tokens with open positions: refreshed first, never evicted.
    public mutating func pin(_ keys: Set<TokenKey>) {
        pinned = keys
    }

    /// Which tokens of `chain` to refresh first: pinned ones, then the most recently interesting, then the
    /// longest without an update. Runs every scan: each token's sort key is computed once, and positions are
    /// sorted, not tokens.
    public func refreshOrder(chain: String? = nil, limit: Int) -> [TokenKey] {
        tokens.indices.lazy.filter { chain == nil || tokens[$0].key.chain == chain }
            .map { (pinned: pinned.contains(tokens[$0].key), interesting: tokens[$0].lastInteresting, updated: tokens[$0].updatedBy.values.max() ?? 0, at: $0) }
            .sorted { a, b in
                if a.pinned != b.pinned { return a.pinned }
                if a.interesting != b.interesting { return a.interesting > b.interesting }
                return (a.updated, tokens[a.at].key) < (b.updated, tokens[b.at].key)
            }
            .prefix(limit).map { tokens[$0.at].key }
    }
}
