import Logging
import Metrics
import OspreyCore

/// `RequestGate` for one source, on an injected clock: a token bucket per endpoint group, `Retry-After` holds
/// shared by all of them (no request to the source before a 429's delay has passed), exponential backoff with
/// full jitter for transient failures only, and a circuit breaker. Every request is counted by endpoint and
/// code; the circuit state is exported per source.
public actor SourceGate<C: Clock>: RequestGate where C.Duration == Duration {
    public let source: String
    private let clock: C
    private var buckets: [String: TokenBucket<C.Instant>]
    private let budgets: [String: (requests: Int, per: Duration)]
    private var breaker: CircuitBreaker<C.Instant>
    private let backoff: Backoff
    private let maxAttempts: Int
    private var random: SplitMix64
    private let rateLimited: Counter
    private let circuit: Gauge

    /// `budgets`: endpoint group → requests per period. An endpoint not listed uses the "default" group.
    public init(
        source: String, budgets: [String: (requests: Int, per: Duration)], clock: C, failureThreshold: Int = 5,
        cooldown: Duration = .seconds(60), backoff: Backoff = Backoff(base: .milliseconds(500), cap: .seconds(30)),
        maxAttempts: Int = 3, seed: UInt64 = .random(in: .min ... .max)
    ) {
        precondition(budgets["default"] != nil, "a gate needs a default budget")
        self.source = source
        self.clock = clock
        self.budgets = budgets
        let now = clock.now
        buckets = budgets.mapValues { TokenBucket(requests: $0.requests, per: $0.per, now: now) }
        breaker = CircuitBreaker(threshold: failureThreshold, cooldown: cooldown)
        self.backoff = backoff
        self.maxAttempts = maxAttempts
        random = SplitMix64(seed: seed)
        rateLimited = Counter(label: MetricCatalog.sourceRateLimited.name, dimensions: [("source", source)])
        circuit = Gauge(label: MetricCatalog.sourceCircuitState.name, dimensions: [("source", source)])
        circuit.record(0)
    }

    public var phase: CircuitBreaker<C.Instant>.Phase { breaker.phase }

    public func perform<Value: Sendable>(
        _ endpoint: String, cost: Double, _ attempt: @escaping @Sendable () async -> GateReply<Value>
    ) async throws -> Value {
        let group = budgets[endpoint] == nil ? "default" : endpoint
        var attempts = 0
        while true {
            attempts += 1
            guard breaker.allow(at: clock.now) else {
                publish()
                throw SourceError(.circuitOpen, "\(source): circuit open after repeated failures; requests resume after the cooldown")
            }
            try await waitForBudget(group, cost: cost)
            let started = clock.now
            let reply = await attempt()
            let elapsed = started.duration(to: clock.now)
            Timer(label: MetricCatalog.sourceRequestDuration.name, dimensions: [("source", source), ("endpoint", endpoint)])
                .recordNanoseconds(elapsed.nanoseconds)
            switch reply {
            case .success(let value, let code, let remaining):
                count(endpoint, code)
                if let remaining { buckets[group]?.observe(remaining: remaining, at: clock.now) }
                breaker.succeeded()
                publish()
                return value
            case .rateLimited(let retryAfter, let code):
                count(endpoint, code)
                rateLimited.increment()
                hold(for: retryAfter ?? .seconds(60))
                publish()
                guard attempts < maxAttempts else {
                    throw SourceError(.rateLimited, "\(source): rate limited (HTTP \(code)); waiting \(DurationText.format(retryAfter ?? .seconds(60))) as asked")
                }
            case .banned(let duration, let code):
                count(endpoint, code)
                rateLimited.increment()
                let ban = duration ?? .seconds(300)
                hold(for: ban)
                breaker.open(until: clock.now.advanced(by: ban))
                publish()
                throw SourceError(.rateLimited, "\(source): banned for \(DurationText.format(ban)) (HTTP \(code)); no requests until it ends")
            case .transient(let message, let code):
                count(endpoint, code)
                breaker.failed(at: clock.now)
                publish()
                guard attempts < maxAttempts else { throw SourceError(.transient, "\(source): \(message)") }
                try await clock.sleep(for: backoff.delay(retry: attempts, fraction: random.fraction()))
            case .failure(let message, let code):
                count(endpoint, code)
                breaker.failed(at: clock.now)
                publish()
                throw SourceError(.failure, "\(source): \(message)")
            }
        }
    }

    /// Sleeps until the group's bucket has `cost` tokens (and every hold has passed), then takes them.
    private func waitForBudget(_ group: String, cost: Double) async throws {
        while let wait = buckets[group]?.take(cost, at: clock.now) {
            try await clock.sleep(for: wait)
        }
    }

    private func hold(for delay: Duration) {
        let until = clock.now.advanced(by: delay)
        for group in buckets.keys { buckets[group]?.hold(until: until) }
    }

    private func count(_ endpoint: String, _ code: String) {
        Counter(label: MetricCatalog.sourceRequests.name, dimensions: [("source", source), ("endpoint", endpoint), ("code", code)]).increment()
    }

    private func publish() {
        circuit.record(breaker.phase.rawValue)
    }
}
