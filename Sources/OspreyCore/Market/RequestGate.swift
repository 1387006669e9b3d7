/// What one request to a market source came to, as the source adapter classifies it.
public enum GateReply<Value: Sendable>: Sendable {
    /// `remaining`: what the server says is left of its budget (Binance's `X-MBX-USED-WEIGHT-1M` against
    /// the limit), so the gate slows down before the server has to say so.
    case success(Value, code: String, remaining: Double? = nil)
    /// 429 (or 503 with `Retry-After`): nothing more to this source until the delay has passed.
    case rateLimited(retryAfter: Duration?, code: String)
    /// Banned for a while (Binance's 418): the circuit opens until it ends.
    case banned(for: Duration?, code: String)
    /// Timeouts, connection failures, 5xx: retried with backoff.
    case transient(String, code: String)
    /// Any other 4xx, a malformed or unexpected body: never retried.
    case failure(String, code: String)
}

/// Why a source request gave up, in one sentence.
public struct SourceError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case rateLimited = "rate_limited", circuitOpen = "circuit_open", transient, failure
    }

    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// The per-source guard every request goes through: rate budget, `Retry-After`, backoff with jitter for
/// transient failures, and the circuit breaker. Implemented by the scanner service; used by source adapters.
public protocol RequestGate: Sendable {
    /// Runs `attempt` under the budget of `endpoint` (`cost` tokens), retrying as the reply allows.
    func perform<Value: Sendable>(
        _ endpoint: String, cost: Double, _ attempt: @escaping @Sendable () async -> GateReply<Value>
    ) async throws -> Value
}

/// A source of market data. `scan` makes one pass: discovery, searches, refresh of `refresh` (tracked tokens
/// of this source's chains, most important first).
public protocol MarketSource: Sendable {
    var name: String { get }
    func scan(refresh: [TokenKey], now: Double) async throws -> SourceBatch
}

public struct SourceBatch: Sendable {
    public var pairs: [PairSnapshot]
    /// Items in the replies that could not be used (missing identity).
    public var skipped: Int
    /// Chain heads, gas prices and wallet balances (RPC sources).
    public var chains: [ChainState]

    public init(pairs: [PairSnapshot], skipped: Int = 0, chains: [ChainState] = []) {
        self.pairs = pairs
        self.skipped = skipped
        self.chains = chains
    }
}

/// Where the tracked set and signals are persisted (SQLite in the daemon).
public protocol MarketStore: Sendable {
    /// One scan's results in one transaction: the updated tokens with a history row each, deletion of the
    /// evicted ones, the new signals, and history older than `historyBefore` dropped.
    func save(_ scan: ScanRecord) async throws
    /// Signals at or after `since`, newest first.
    func signals(since: Double, limit: Int) throws -> [Signal]
    /// The persisted tracked set with its snapshots since `historySince`, to resume after a restart.
    func load(historySince: Double) throws -> [TrackedToken]
}

extension SourceError: CodedError {
    public var code: String { kind.rawValue }
}
