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
/// least recently interesting token that is not pinned (an open position) is evicted.
public struct TokenTracker: Sendable {
    public let capacity: Int
    public let historyLimit: Int
    /// Seconds of history the signal windows read (twice the longest); older points are dropped.
    public var historySpan: Double
    public private(set) var tokens: [TokenKey: TrackedToken] = [:]
    private var pinned: Set<TokenKey> = []

    public init(capacity: Int, historyLimit: Int = 720, historySpan: Double = .infinity) {
        precondition(capacity > 0 && historyLimit > 0, "a tracker holds at least one token and one point")
        self.capacity = capacity
        self.historyLimit = historyLimit
        self.historySpan = historySpan
    }

    public var count: Int { tokens.count }

    /// Merges one source's batch; returns the tokens updated (in the batch's order) and those evicted to
    /// stay within capacity.
    public mutating func ingest(_ snapshots: [PairSnapshot], now: Double) -> (updated: [TokenKey], evicted: [TokenKey]) {
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
        var fresh: [Int] = []
        for index in chosen {
            if let position = tokens.index(forKey: snapshots[index].token) {
                tokens.values[position].observe(snapshots[index], limit: historyLimit, span: historySpan)  // in place: no history copy
            } else {
                fresh.append(index)
            }
        }
        // Room for exactly the new ones: reserving for the whole batch would double the table (and its memory)
        // on every scan of a set that is already tracked.
        tokens.reserveCapacity(tokens.count + fresh.count)
        for index in fresh {
            let snapshot = snapshots[index]
            tokens[snapshot.token] = TrackedToken(
                latest: snapshot, updatedBy: [snapshot.source: snapshot.observedAt], firstSeen: now, lastInteresting: now,
                history: [PricePoint(at: snapshot.observedAt, price: snapshot.priceUSD, liquidity: snapshot.liquidityUSD)])
        }
        var evicted: [TokenKey] = []
        if tokens.count > capacity {
            let candidates = tokens.values.filter { !pinned.contains($0.key) }
                .sorted { ($0.lastInteresting, $0.firstSeen, $0.key) < ($1.lastInteresting, $1.firstSeen, $1.key) }
            for victim in candidates.prefix(tokens.count - capacity) {
                tokens[victim.key] = nil
                evicted.append(victim.key)
            }
            evicted.sort()
        }
        let updated = chosen.lazy.map { snapshots[$0].token }
        return (evicted.isEmpty ? Array(updated) : updated.filter { self.tokens[$0] != nil }, evicted)
    }

    /// Tokens persisted by an earlier run (the most recently updated first, up to the capacity).
    public mutating func restore(_ restored: [TrackedToken]) {
        for token in restored.sorted(by: { ($0.updatedBy.values.max() ?? 0) > ($1.updatedBy.values.max() ?? 0) }).prefix(capacity - tokens.count)
        where tokens[token.key] == nil {
            var token = token
            if token.history.count > historyLimit { token.history.removeFirst(token.history.count - historyLimit) }
            tokens[token.key] = token
        }
    }

    public mutating func markInteresting(_ key: TokenKey, at now: Double) {
        tokens[key]?.lastInteresting = now
    }

    /// Tokens with open positions: refreshed first, never evicted.
    public mutating func pin(_ keys: Set<TokenKey>) {
        pinned = keys
    }

    /// Which tokens of `chain` to refresh first: pinned ones, then the most recently interesting, then the
    /// longest without an update.
    public func refreshOrder(chain: String? = nil, limit: Int) -> [TokenKey] {
        tokens.values.filter { chain == nil || $0.key.chain == chain }
            .sorted { a, b in
                let (pa, pb) = (pinned.contains(a.key), pinned.contains(b.key))
                if pa != pb { return pa }
                if a.lastInteresting != b.lastInteresting { return a.lastInteresting > b.lastInteresting }
                return (a.updatedBy.values.max() ?? 0, a.key) < (b.updatedBy.values.max() ?? 0, b.key)
            }
            .prefix(limit).map(\.key)
    }
}
