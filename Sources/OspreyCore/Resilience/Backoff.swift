/// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the wait
/// before retry n is uniform in [0, min(cap, base · 2ⁿ⁻¹)]. Spreads retries out so many clients do not
/// return in step. Used for job retries and for transient source failures.
public struct Backoff: Sendable, Equatable {
    public let base: Duration
    public let cap: Duration

    public init(base: Duration, cap: Duration) {
        precondition(base > .zero && cap >= base, "backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
    }

    /// The upper bound of the wait before retry `retry` (1 for the first retry).
    public func ceiling(retry: Int) -> Duration {
        var ceiling = base
        for _ in 1..<max(retry, 1) {
            ceiling = ceiling * 2
            if ceiling >= cap { return cap }
        }
        return min(ceiling, cap)
    }

    /// The wait before retry `retry`, given a uniform random fraction in [0, 1).
    public func delay(retry: Int, fraction: Double) -> Duration {
        ceiling(retry: retry) * min(max(fraction, 0), 1)
    }

    /// The wait before retry `retry`, drawing the fraction from `generator`.
    public func delay(retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        delay(retry: retry, fraction: Double.random(in: 0..<1, using: &generator))
    }
}
