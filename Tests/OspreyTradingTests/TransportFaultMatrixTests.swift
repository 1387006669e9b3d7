import OspreyCore
import OspreyFakes
import OspreyNet
import OspreyRuntime
import OspreyStore
import OspreyTestSupport
import Testing

/// Order placement, cancel and query through every transport fault of the fault proxy, on a new and on a
/// kept-alive connection: the exchange sees each client order id placed and each cancel sent at most once,
/// reconciliation leaves nothing unknown, and the ledger and the exchange agree on every order and fill.
@Suite struct TransportFaultMatrixTests {
    enum Operation: String, CaseIterable, Sendable {
        case place, cancel, query

        var method: String {
            switch self {
            case .place: "POST"
            case .cancel: "DELETE"
            case .query: "GET"
            }
        }
    }

    @Test(arguments: FaultProxy.Fault.allCases)
    func everyOrderIsSentOnceAndEndsKnown(_ fault: FaultProxy.Fault) async throws {
        for reused in [false, true] {
            for operation in Operation.allCases {
                try await Self.run(operation, through: fault, reused: reused)
            }
        }
    }

    static func run(_ operation: Operation, through fault: FaultProxy.Fault, reused: Bool) async throws {
        let fake = BinanceTradingTests.fake()
        let client = makeFakeServerClient()
        defer { client.shutdown() }
        let label = "\(operation.rawValue) through \(fault.rawValue) on a \(reused ? "reused" : "new") connection"
        try await withFakeServer(fake.router) { port in
            try await withFaultProxy(upstream: port) { proxy in
                try await withTemporaryDirectory { dir in
                    let database = try Database(directory: dir, logger: quiet)
                    defer { database.close() }
                    let exchange = BinanceSpotExchange(
                        settings: BinanceTradingSettings(baseURL: "http://127.0.0.1:\(proxy.port)", key: "main", receiveWindow: .seconds(1), timeout: .seconds(1)),
                        credentials: ExchangeCredentials(apiKey: "test-key", apiSecret: "test-secret"), client: client, clock: .system)
                    let engine = BinanceTradingTests.engine(exchange, database)
                    proxy.keepAlive(reused)
                    try await engine.start()
                    let resting = operation == .place ? nil
                        : try await engine.limit(symbol: "BTCUSDT", side: .buy, quantity: Decimal("0.001")!, price: Decimal(40000), timeInForce: .gtc, reason: "manual")
                    proxy.inject(fault, on: .init(method: operation.method, path: "/api/v3/order", reused: reused))
                    switch operation {
                    case .place: _ = try? await engine.buy(symbol: "BTCUSDT", quote: Decimal(50), reason: "manual")
                    case .cancel: _ = try? await engine.cancel(clientOrderId: resting!.request.clientOrderId)
                    case .query: _ = try await engine.reconcile()
                    }
                    #expect(proxy.seen.contains { $0.fault == fault }, "\(label): the fault was applied")
                    proxy.calm()
                    let settled = ContinuousClock.now.advanced(by: .seconds(10))
                    while try await engine.reconcile().stillUnknown > 0 && ContinuousClock.now < settled {
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    let ledger = LedgerTables(database)
                    let problems = fake.disagreements(ledger: try ledger.orders(unsettledOnly: false, limit: 1000), fills: try ledger.fills(exchange: "binance"))
                    #expect(problems.isEmpty, "\(label): \(problems)")
                    #expect(fake.cancellations.values.allSatisfy { $0 == 1 }, "\(label): one cancel call, sent \(fake.cancellations)")
                }
            }
        }
    }
}
