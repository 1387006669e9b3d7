import OspreyCore

extension FakeBinanceSpot {
    /// Where a ledger disagrees with this exchange, one sentence each (empty when they agree): a client
    /// order id placed twice, an exchange order missing from the ledger or in another
    /// state there, a ledger order the exchange never had that is not `not_placed` or `rejected`, an
    /// unsettled (`pending`/`unknown`) order, fills that are not exactly the exchange's trades.
    public func disagreements(ledger orders: [LedgerOrder], fills: [Fill]) -> [String] {
        var problems: [String] = []
        for (client, count) in placements where count > 1 { problems.append("\(client) was placed \(count) times") }
        let atExchange = orderStatuses
        let inLedger = Dictionary(orders.map { ($0.request.clientOrderId, $0) }) { first, _ in first }
        for (client, status) in atExchange where inLedger[client]?.status != OrderStatus(exchange: status) {
            problems.append("\(client) is \(status) at the exchange, \(inLedger[client].map { $0.status.rawValue } ?? "missing") in the ledger")
        }
        for order in orders where atExchange[order.request.clientOrderId] == nil && order.status != .notPlaced && order.status != .rejected {
            problems.append("\(order.request.clientOrderId) is \(order.status.rawValue) in the ledger but the exchange never had it")
        }
        for order in orders where order.status.isUnresolved { problems.append("\(order.request.clientOrderId) is still \(order.status.rawValue)") }
        if Set(fills.map(\.tradeId)).count != fills.count { problems.append("a fill was recorded twice") }
        let booked = Dictionary(grouping: fills, by: \.clientOrderId).mapValues { $0.map(\.tradeId).sorted() }
        if booked != tradeIDs { problems.append("ledger fills \(booked) are not the exchange's trades \(tradeIDs)") }
        return problems
    }
}
