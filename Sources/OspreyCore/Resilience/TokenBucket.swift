/// A request budget: `capacity` tokens, refilled continuously at `perSecond`. A request costs one token or,
/// for weighted APIs like Binance's, its weight. `holdUntil` obeys a `Retry-After` or a ban: nothing passes
/// before that instant, whatever the tokens say. Pure, on any clock's instants, so tests drive the time.
public struct TokenBucket<Instant: InstantProtocol>: Sendable where Instant: Sendable, Instant.Duration == Duration {
    public let capacity: Double
    public let perSecond: Double
    private var tokens: Double
    private var updated: Instant
    private var heldUntil: Instant?

    /// A bucket that allows `requests` per `period` with bursts of up to `burst` (default: all of them).
    public init(requests: Int, per period: Duration, burst: Int? = nil, now: Instant) {
        precondition(requests > 0 && period > .zero, "a budget allows at least one request per period")
        capacity = Double(burst ?? requests)
        perSecond = Double(requests) / period.seconds
        tokens = capacity
        updated = now
    }

    /// Takes `cost` tokens if they are there and nothing is held; otherwise returns how long to wait.
    public mutating func take(_ cost: Double = 1, at now: Instant) -> Duration? {
        refill(now)
        if let held = heldUntil {
            if now < held { return now.duration(to: held) }
            heldUntil = nil
        }
        guard tokens >= cost else {
            return .nanoseconds(Int64(((min(cost, capacity) - tokens) / perSecond * 1e9).rounded(.up)))
        }
        tokens -= cost
        return nil
    }

    /// No request passes before `instant` (`Retry-After`, a 418 ban). A later hold extends an earlier one.
    public mutating func hold(until instant: Instant) {
        if heldUntil.map({ $0 < instant }) ?? true { heldUntil = instant }
    }

    /// Aligns the bucket with a server's own count (Binance's `X-MBX-USED-WEIGHT-1M`): never more tokens
    /// than the server says are left.
    public mutating func observe(remaining: Double, at now: Instant) {
        refill(now)
        tokens = min(tokens, max(remaining, 0))
    }

    public func available(at now: Instant) -> Double {
        var copy = self
        copy.refill(now)
        return copy.tokens
    }

    public var holdEnds: Instant? { heldUntil }

    private mutating func refill(_ now: Instant) {
        guard updated < now else { return }
        tokens = min(capacity, tokens + updated.duration(to: now).seconds * perSecond)
        updated = now
    }
}
