/// One order in the ledger: the intent as committed before its request left, and what is known since.
public struct LedgerOrder: Sendable, Equatable {
    /// The ledger's sequence number: the intent's identity, encoded in `request.clientOrderId`.
    public var id: Int64
    public var request: OrderRequest
    public var status: OrderStatus
    public var exchangeOrderId: Int64?
    public var executedQuantity: Decimal
    public var cumulativeQuote: Decimal
    /// Who wanted it: `manual`, `strategy:<name>`, `exit:<rule>`.
    public var reason: String
    /// Unix seconds: when the intent was committed, and of the last change.
    public var createdAt: Double
    public var updatedAt: Double
    /// Exchange milliseconds after which the request can no longer be accepted (its timestamp plus
    /// `recvWindow`): an order still absent after it was never placed.
    public var deadline: Int64
    /// The exchange's `updateTime` of the newest report applied: older reports are ignored.
    public var exchangeUpdateTime: Int64
    /// The last error or anomaly, for `osprey orders`.
    public var detail: String

    public init(
        id: Int64, request: OrderRequest, status: OrderStatus = .pending, exchangeOrderId: Int64? = nil, executedQuantity: Decimal = .zero,
        cumulativeQuote: Decimal = .zero, reason: String, createdAt: Double, updatedAt: Double? = nil, deadline: Int64,
        exchangeUpdateTime: Int64 = 0, detail: String = ""
    ) {
        self.id = id
        self.request = request
        self.status = status
        self.exchangeOrderId = exchangeOrderId
        self.executedQuantity = executedQuantity
        self.cumulativeQuote = cumulativeQuote
        self.reason = reason
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deadline = deadline
        self.exchangeUpdateTime = exchangeUpdateTime
        self.detail = detail
    }

    /// Average execution price so far, if anything executed.
    public var averagePrice: Decimal? {
        executedQuantity.isZero ? nil : cumulativeQuote.divided(by: executedQuantity, scale: 12, rounding: .halfUp)
    }
}

/// What happened to an order, as the engine learns it.
public enum OrderEvent: Sendable, Equatable {
    /// The exchange reported the order: a place reply, a query, a cancel reply.
    case reported(ExchangeOrder)
    /// A definite refusal of the place request (a 4xx with an error code): the order does not exist.
    case refused(String)
    /// No definite answer: timeout, dropped connection, 5xx, `-1007`. It may have executed.
    case noAnswer(String)
    /// `-2010 Duplicate order sent.`: an order with this client id is already at the exchange.
    case duplicate
    /// A query found no such order (`-2013`). `windowClosed`: the exchange's clock is past the deadline.
    case absent(windowClosed: Bool)
}

public enum OrderAction: Sendable, Equatable {
    /// Ask the exchange by client order id (`GET /api/v3/order?origClientOrderId=`), never send again.
    case query
    /// The executed quantity grew: import the fills (`myTrades`).
    case importFills
}

public struct OrderTransition: Sendable, Equatable {
    public var order: LedgerOrder
    public var actions: [OrderAction]
    /// Something the exchange should never do (an order reappearing after it was declared never placed, an
    /// unknown status): the exchange's word is taken and the engine logs it at error level.
    public var anomaly: String?

    public var changed: Bool
}

/// The order lifecycle as a pure function: events in, new state and actions out. The exchange is the truth:
/// a report always wins over what the ledger believed, except a report older than one already applied.
public enum OrderLifecycle {
    public static func apply(_ event: OrderEvent, to order: LedgerOrder, at now: Double) -> OrderTransition {
        var next = order
        var actions: [OrderAction] = []
        var anomaly: String?
        switch event {
        case .reported(let report):
            guard report.updateTime >= order.exchangeUpdateTime else { break }  // an older report arriving late
            guard let status = OrderStatus(exchange: report.status) else {
                anomaly = "the exchange reported status \"\(report.status)\""
                break
            }
            if order.status == .notPlaced || (order.status.isFinal && status != order.status) {
                anomaly = "an order the ledger had as \(order.status.rawValue) is \(report.status) at the exchange"
            }
            if report.executedQuantity < order.executedQuantity {
                anomaly = "the exchange reports less executed (\(report.executedQuantity)) than recorded (\(order.executedQuantity))"
            }
            if report.executedQuantity > order.executedQuantity { actions.append(.importFills) }
            next.status = status
            next.exchangeOrderId = report.orderId
            next.executedQuantity = report.executedQuantity
            next.cumulativeQuote = report.cumulativeQuote
            next.exchangeUpdateTime = report.updateTime
            next.detail = ""
        case .refused(let reason):
            guard order.status == .pending else {
                anomaly = "a refusal (\(reason)) for an order already \(order.status.rawValue)"
                break
            }
            next.status = .rejected
            next.detail = reason
        case .noAnswer(let reason):
            next.detail = reason
            if order.status.isUnresolved {
                next.status = .unknown
                actions.append(.query)
            }
        case .duplicate:
            if order.status.isUnresolved {
                next.status = .unknown
                next.detail = "the exchange already has this client order id"
                actions.append(.query)
            }
        case .absent(let windowClosed):
            if order.status.isUnresolved {
                next.status = windowClosed ? .notPlaced : .unknown
                next.detail = windowClosed ? "absent at the exchange after its window closed" : "not at the exchange yet"
                if !windowClosed { actions.append(.query) }
            } else if order.status == .open {
                anomaly = "an open order is absent at the exchange"
                actions.append(.query)
            }
        }
        let changed = next != order
        if changed { next.updatedAt = now }
        return OrderTransition(order: next, actions: actions, anomaly: anomaly, changed: changed)
    }
}
