/// Closed → open after `threshold` consecutive failures → half-open after `cooldown`, when one probe goes
/// through: its success closes the circuit, its failure opens it again for another cooldown. While open,
/// requests fail fast instead of hammering a source that is down.
public struct CircuitBreaker<Instant: InstantProtocol>: Sendable where Instant: Sendable, Instant.Duration == Duration {
    public enum State: Sendable, Equatable {
        case closed(failures: Int)
        case open(until: Instant)
        case halfOpen(probing: Bool)
    }

    /// As exported in `osprey_source_circuit_state`: 0 closed, 1 half-open, 2 open.
    public enum Phase: Int, Sendable {
        case closed = 0, halfOpen = 1, open = 2
    }

    public let threshold: Int
    public let cooldown: Duration
    public private(set) var state: State = .closed(failures: 0)

    public init(threshold: Int, cooldown: Duration) {
        precondition(threshold > 0 && cooldown > .zero, "a breaker needs a threshold and a cooldown")
        self.threshold = threshold
        self.cooldown = cooldown
    }

    /// Whether a request may go now; in half-open, only the first caller (the probe) is let through.
    public mutating func allow(at now: Instant) -> Bool {
        switch state {
        case .closed:
            return true
        case .open(let until):
            guard until <= now else { return false }
            state = .halfOpen(probing: true)
            return true
        case .halfOpen(let probing):
            guard !probing else { return false }
            state = .halfOpen(probing: true)
            return true
        }
    }

    public mutating func succeeded() {
        state = .closed(failures: 0)
    }

    public mutating func failed(at now: Instant) {
        switch state {
        case .closed(let failures):
            state = failures + 1 >= threshold ? .open(until: now.advanced(by: cooldown)) : .closed(failures: failures + 1)
        case .halfOpen:
            state = .open(until: now.advanced(by: cooldown))
        case .open:
            break  // a request that started before the circuit opened
        }
    }

    /// Opens the circuit until `instant` whatever the count (a ban with a known end).
    public mutating func open(until instant: Instant) {
        state = .open(until: instant)
    }

    public var phase: Phase {
        switch state {
        case .closed: .closed
        case .halfOpen: .halfOpen
        case .open: .open
        }
    }
}
