import OspreyCore

/// Why an order was not sent; nothing was written for it.
public struct TradeRefusal: CodedError, Sendable {
    public enum Reason: String, Sendable {
        /// Trading has not finished its start-up reconciliation.
        case notReady = "not_ready"
        /// The symbol's exchange filters (lot size, tick, notional, order type).
        case filter
        /// A risk gate: a limit, the kill switch, the pause, the cooldown.
        case risk
        /// Not a symbol, no market for it, or the exchange could not say what its rules are.
        case symbol
        /// Selling what the account does not hold, or a position too small to sell.
        case holding
        /// A cancel of an order that is missing, final or already being cancelled.
        case order
        /// The exchange refused a cancel.
        case exchange
        /// A strategy name that is not configured.
        case strategy
    }

    public let reason: Reason
    public let description: String
    public var code: String { reason.rawValue }

    public init(_ reason: Reason, _ description: String) {
        (self.reason, self.description) = (reason, description)
    }
}
