import OspreyCore
import Testing

@Suite struct TokenBucketTests {
    let t0 = ContinuousClock.now

    @Test func aBudgetAllowsItsBurstThenOneRequestPerRefillInterval() throws {
        var bucket = TokenBucket(requests: 60, per: .seconds(60), burst: 3, now: t0)
        let burst = (0..<3).map { _ in bucket.take(at: t0) }
        #expect(burst == [nil, nil, nil])
        let fourth = bucket.take(at: t0)
        let almost = bucket.take(at: t0.advanced(by: .milliseconds(999)))
        let refilled = bucket.take(at: t0.advanced(by: .seconds(1)))
        let later = bucket.take(at: t0.advanced(by: .seconds(100)))
        #expect(fourth == .seconds(1), "the 4th request waits exactly one refill")
        #expect(almost == .milliseconds(1) && refilled == nil && later == nil)
        #expect(bucket.available(at: t0.advanced(by: .seconds(100))) == 2, "refill stops at the burst size")
    }

    @Test func retryAfterHoldsEveryRequestToTheMillisecond() {
        var bucket = TokenBucket(requests: 300, per: .seconds(60), now: t0)
        bucket.hold(until: t0.advanced(by: .milliseconds(2500)))
        let held = bucket.take(at: t0.advanced(by: .milliseconds(2499)))
        #expect(held == .milliseconds(1), "tokens left, but held")
        bucket.hold(until: t0.advanced(by: .seconds(1)))
        #expect(bucket.holdEnds == t0.advanced(by: .milliseconds(2500)), "a shorter hold does not cut a longer one")
        let released = bucket.take(at: t0.advanced(by: .milliseconds(2500)))
        #expect(released == nil)
    }

    @Test func weightsAndTheServersOwnCount() {
        var bucket = TokenBucket(requests: 6000, per: .seconds(60), now: t0)  // Binance: 6000 weight / min
        let first = bucket.take(80, at: t0)  // 24hr ticker for all symbols
        bucket.observe(remaining: 100, at: t0)  // the server says 5900 were used (by other clients too)
        let second = bucket.take(80, at: t0)
        let third = bucket.take(80, at: t0)
        #expect(first == nil && second == nil)
        #expect(third == .milliseconds(600), "60 missing at 100 per second")
    }
}

@Suite struct CircuitBreakerTests {
    let t0 = ContinuousClock.now

    @Test func opensAfterConsecutiveFailuresProbesOnceThenCloses() {
        var breaker = CircuitBreaker<ContinuousClock.Instant>(threshold: 3, cooldown: .seconds(30))
        breaker.failed(at: t0)
        breaker.failed(at: t0)
        breaker.succeeded()
        breaker.failed(at: t0)
        breaker.failed(at: t0)
        #expect(breaker.phase == .closed, "a success resets the count")
        breaker.failed(at: t0)
        #expect(breaker.phase == .open)
        let early = breaker.allow(at: t0.advanced(by: .seconds(29)))
        let probe = breaker.allow(at: t0.advanced(by: .seconds(30)))
        let second = breaker.allow(at: t0.advanced(by: .seconds(30)))
        #expect(!early && probe && !second && breaker.phase == .halfOpen, "fail fast, then exactly one probe")
        breaker.succeeded()
        let after = breaker.allow(at: t0.advanced(by: .seconds(31)))
        #expect(breaker.phase == .closed && after)
    }

    @Test func aFailedProbeOpensItForAnotherCooldown() {
        var breaker = CircuitBreaker<ContinuousClock.Instant>(threshold: 1, cooldown: .seconds(10))
        breaker.failed(at: t0)
        let probe = breaker.allow(at: t0.advanced(by: .seconds(10)))
        #expect(probe)
        breaker.failed(at: t0.advanced(by: .seconds(10)))
        #expect(breaker.state == .open(until: t0.advanced(by: .seconds(20))))
        breaker.open(until: t0.advanced(by: .seconds(3600)))  // a 418 ban
        let banned = breaker.allow(at: t0.advanced(by: .seconds(3599)))
        #expect(!banned)
    }
}

@Suite struct RetryAfterTests {
    let now = 784_111_777.0  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func secondsAndTheThreeHTTPDateFormats() {
        #expect(RetryAfter.delay("120", now: now) == .seconds(120))
        #expect(RetryAfter.delay(" 0 ", now: now) == .zero)
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:40 GMT", now: now) == .seconds(3))
        #expect(RetryAfter.delay("Sunday, 06-Nov-94 08:50:37 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.delay("Sun Nov  6 08:49:47 1994", now: now) == .seconds(10))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero, "a past date means now")
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37.5 GMT", now: now) == nil)
        #expect(RetryAfter.delay("soon", now: now) == nil)
        #expect(RetryAfter.delay("-5", now: now) == nil)
        #expect(RetryAfter.delay("99999999999999999999999", now: now) == nil)
    }
}

@Suite struct ExpiringCacheTests {
    @Test func entriesExpireAndTheLeastRecentlyUsedIsEvicted() {
        var cache = ExpiringCache<String, Int>(capacity: 2)
        cache.set("a", 1, ttl: 10, now: 0)
        cache.set("b", 2, ttl: 10, now: 0)
        let touched = cache.get("a", now: 1)  // a is now the most recent
        cache.set("c", 3, ttl: 10, now: 2)
        let (b, a, c) = (cache.get("b", now: 2), cache.get("a", now: 2), cache.get("c", now: 2))
        #expect(touched == 1 && b == nil && a == 1 && c == 3, "b was least recently used")
        let expired = cache.get("a", now: 10)
        #expect(expired == nil && cache.count == 1, "expired at its TTL")
        for key in 0..<1000 { cache.set("k\(key)", key, ttl: 5, now: 20) }
        let (last, beforeLast) = (cache.get("k999", now: 21), cache.get("k998", now: 21))
        #expect(cache.count == 2 && last == 999 && beforeLast == 998)
    }
}
