import Logging
import OspreyControlClient
import OspreyCore
import OspreyFakes
import OspreyStore
import OspreyTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Live trading in the real binary against the strict Binance fake, killed with SIGKILL at random points
/// of a busy order flow and restarted each time. Afterwards the exchange and the ledger must agree exactly.
@Suite(.serialized) struct CrashSafetyTests {
    static let apiKey = "crash-test-key"
    static let secret = "crash-test-secret"

    /// Risk limits no test order reaches, and reconciliation every second.
    static let limitsAndReconcile = """
        [risk]
        max_open_positions = 10
        max_position_quote = 1000000
        max_total_exposure_quote = 1000000
        min_quote_reserve = 0
        symbol_cooldown = "0s"
        daily_loss_limit_quote = 0
        [[job]]
        name = "reconcile"
        kind = "orders.reconcile"
        every = "1s"
        """

    static func config(_ daemon: DaemonHarness, exchangePort: Int, weightPerMinute: Int = 60000) -> String {
        """
        [secrets]
        master_key_file = "\(daemon.directory)/master.key"
        [trading]
        mode = "live"
        [exchanges.binance]
        base_url = "http://127.0.0.1:\(exchangePort)"
        key = "main"
        timeout = "2s"
        recv_window_ms = 3000
        weight_per_minute = \(weightPerMinute)
        \(limitsAndReconcile)
        """
    }

    /// A Binance account with 1,000,000 USDT and BTCUSDT at 50,000, answering after 25 ms.
    static func exchange(weightLimit: Int = 6000) -> FakeBinanceSpot {
        let fake = FakeBinanceSpot(
            apiKey: apiKey, secret: secret,
            markets: ["BTCUSDT": .init(base: "BTC", quote: "USDT", price: Decimal(50000), tick: Decimal("0.01")!, step: Decimal("0.00001")!,
                                      minQuantity: Decimal("0.00001")!, minNotional: Decimal(5))],
            balances: ["USDT": Decimal(1_000_000)], weightLimit: weightLimit)
        fake.setLatency(.milliseconds(25))
        return fake
    }

    /// Creates the master key and stores the fake's key as "main".
    static func storeKey(_ daemon: DaemonHarness) throws {
        let created = try daemon.cli(["keys", "init", "--config", daemon.configPath])
        #expect(created.status == 0, "\(created.stderr)")
        let added = try daemon.cli(["keys", "add", "main", "--exchange", "binance", "--config", daemon.configPath], input: "\(apiKey)\n\(secret)\n")
        #expect(added.status == 0, "\(added.stderr)")
    }

    struct Status: Decodable {
        let ready: Bool
        /// Orders still `pending` or `unknown` (open ones are settled: they rest at the exchange).
        var unresolvedOrders = 0

        enum CodingKeys: CodingKey { case ready }
    }

    struct OrderList: Decodable {
        struct Order: Decodable {
            let clientOrderId: String
            let status: String
        }
        let orders: [Order]
    }

    func status(_ daemon: DaemonHarness) -> Status? {
        let client = ControlClient(socketPath: daemon.controlSocket, timeoutSeconds: 5)
        guard let reply = try? client.send("GET", "/v1/trading"), reply.status == 200, var status = ControlJSON.decode(Status.self, reply.text),
              let open = try? client.send("GET", "/v1/orders?open=true&limit=10000"), let list = ControlJSON.decode(OrderList.self, open.text) else { return nil }
        status.unresolvedOrders = list.orders.filter { $0.status == "pending" || $0.status == "unknown" }.count
        return status
    }

    /// `clients` workers send orders back to back until the daemon dies (each runs `worker` on a thread of
    /// its own until a request fails); `rounds` times, a SIGKILL lands at a random point and the daemon
    /// starts again. `beforeRound` runs once the daemon is ready.
    func killRepeatedly(
        _ daemon: DaemonHarness, rounds: Int, clients: Int = 4, beforeRound: () -> Void = {},
        worker: @escaping @Sendable (_ client: ControlClient, _ index: Int) -> Void
    ) async throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<rounds {
            try await daemon.startReady()
            try await eventually("trading ready (round \(round))", timeout: .seconds(20)) { status(daemon)?.ready == true }
            beforeRound()
            let client = ControlClient(socketPath: daemon.controlSocket, timeoutSeconds: 10)
            let orders = Task.detached {
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<clients {
                        group.addTask { await onOwnThread { worker(client, index) } }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...400, using: &generator)))
            daemon.signal(SIGKILL)
            _ = try await daemon.waitForExit()
            await orders.value
        }
    }

    /// Buys and sells, alternating by worker, until a request fails.
    static func marketFlow(buy: String, sell: String) -> @Sendable (ControlClient, Int) -> Void {
        { client, worker in
            for index in 0... {
                let (path, body) = (worker + index) % 3 == 2 ? ("/v1/trade/sell", sell) : ("/v1/trade/buy", buy)
                guard (try? client.send("POST", path, body: Array(body.utf8))) != nil else { return }
            }
        }
    }

    /// Market buys and sells, LIMIT buys that rest below the market, IOC buys that fill, and cancels of
    /// resting orders found in the ledger, until a request fails.
    static let mixedFlow: @Sendable (ControlClient, Int) -> Void = { client, worker in
        for index in 0... {
            let (path, body): (String, String)
            switch (worker + index) % 5 {
            case 0: (path, body) = ("/v1/trade/buy", #"{"symbol":"BTCUSDT","quote":"21"}"#)
            case 1: (path, body) = ("/v1/trade/buy", #"{"symbol":"BTCUSDT","quantity":"0.0002","price":"45000"}"#)
            case 2: (path, body) = ("/v1/trade/sell", #"{"symbol":"BTCUSDT","quantity":"0.0002"}"#)
            case 3: (path, body) = ("/v1/trade/buy", #"{"symbol":"BTCUSDT","quantity":"0.0002","price":"50000","time_in_force":"IOC"}"#)
            default:
                guard let listed = try? client.send("GET", "/v1/orders?open=true&limit=50") else { return }
                guard let resting = ControlJSON.decode(OrderList.self, listed.text)?.orders.filter({ $0.status == "open" }).randomElement() else { continue }
                (path, body) = ("/v1/trade/cancel", #"{"client_order_id":"\#(resting.clientOrderId)"}"#)
            }
            guard (try? client.send("POST", path, body: Array(body.utf8))) != nil else { return }
        }
    }

    /// Live trading through the fault proxy: a quarter of the order requests (placements, cancels, queries)
    /// meet a transport fault, four clients trade, and the daemon is killed `OSPREY_CRASH_KILLS` times (20 by
    /// default; `.ci/crash-campaign` runs 100). Afterwards no client order id was placed twice, every exchange
    /// order is in the ledger in the exchange's state, every fill is imported once, nothing is left unknown,
    /// and the database passes its integrity check.
    @Test func killNineDuringLiveOrdersThroughTransportFaultsNeverDuplicatesOrLosesAnything() async throws {
        let kills = getenv("OSPREY_CRASH_KILLS").flatMap { Int(String(cString: $0)) } ?? 20
        let fake = Self.exchange(weightLimit: 600_000)  // the flow packs hours of trading into a minute
        try await withFakeServer(fake.router) { port in
            try await withFaultProxy(upstream: port) { proxy in
                proxy.chaos(FaultProxy.Fault.allCases, probability: 0.25, on: .init(path: "/api/v3/order"), seed: UInt64.random(in: 0...UInt64.max))
                let daemon = try DaemonHarness()
                try daemon.writeConfig(extra: Self.config(daemon, exchangePort: proxy.port, weightPerMinute: 120_000))
                try Self.storeKey(daemon)
                // Each round's first order is placed but answered late, so the kill often lands between the
                // exchange accepting it and the ledger hearing back.
                try await killRepeatedly(daemon, rounds: kills, beforeRound: { fake.inject(.answerLate(.milliseconds(300))) }, worker: Self.mixedFlow)
                proxy.calm()
                let started = ContinuousClock.now
                let database = try await settle(daemon)
                defer { database.close() }
                let ledger = LedgerTables(database)
                let recorded = try ledger.orders(unsettledOnly: false, limit: 100_000)
                let fills = try ledger.fills(exchange: "binance")
                #expect(fake.placements.count > kills, "the flow placed orders")
                let problems = fake.disagreements(ledger: recorded, fills: fills)
                #expect(problems.isEmpty, "\(problems.prefix(20))")
                let faults = Dictionary(grouping: proxy.seen.compactMap(\.fault), by: \.rawValue).mapValues(\.count)
                print("""
                    crash campaign: \(kills) kills, \(recorded.count) ledger orders \(Dictionary(grouping: recorded, by: \.status.rawValue).mapValues(\.count)), \
                    \(fake.placements.count) exchange orders, \(fake.placements.values.filter { $0 > 1 }.count) placed twice, \
                    \(fake.cancellations.count) orders cancelled, \(fills.count) fills for \(fake.tradeCount) trades, \
                    \(recorded.filter(\.status.isUnresolved).count) unknown left, settled in \(started.duration(to: .now)); \
                    transport faults: \(faults.values.reduce(0, +)) \(faults)
                    """)
            }
        }
    }

    /// Paper trading: the paper exchange keeps its books in the ledger's database, and the intent is not
    /// fsynced on its own (`PaperExchange.keepsBooks(with:)`). Killed mid-flow, the two still agree.
    @Test func killNineDuringPaperOrdersKeepsTheLedgerAndThePaperBooksInStep() async throws {
        let daemon = try DaemonHarness()
        try daemon.writeConfig(extra: """
            [trading]
            mode = "paper"
            [trading.paper.balances]
            USDT = "1000000"
            \(Self.limitsAndReconcile)
            [sources.sim]
            tokens = 3
            [[job]]
            name = "scan"
            kind = "scan"
            every = "1s"
            args = { source = "sim" }
            """)
        try await killRepeatedly(daemon, rounds: 10, worker: Self.marketFlow(buy: #"{"symbol":"SIM1USDT","quote":"21"}"#, sell: #"{"symbol":"SIM1USDT","all":true}"#))
        let database = try await settle(daemon)
        defer { database.close() }

        let recorded = try LedgerTables(database).orders(unsettledOnly: false, limit: 100_000)
        let byClientID = Dictionary(uniqueKeysWithValues: recorded.map { ($0.request.clientOrderId, $0) })
        let booked = try database.read { try $0.query("SELECT client_order_id, status FROM paper_order") }.map { ($0[0].text ?? "", $0[1].text ?? "") }
        #expect(booked.count > 20, "the flow placed orders")
        for (clientID, status) in booked {
            let order = byClientID[clientID]
            #expect(status == "FILLED" && order?.status == .filled, "paper order \(clientID) is \(status), \(order?.status.rawValue ?? "missing") in the ledger")
        }
        #expect(recorded.filter { $0.status == .filled }.count == booked.count, "every filled ledger order is one paper order")
        let trades = try database.read { try $0.query("SELECT count(*) FROM paper_trade").first?[0].integer ?? -1 }
        #expect(try LedgerTables(database).fills(exchange: "paper").count == Int(trades))
        print("crash safety (paper): \(booked.count) paper orders, ledger \(Dictionary(grouping: recorded, by: \.status.rawValue).mapValues(\.count))")
    }

    /// A last start: reconciliation (at start and by the job, once each request's window has closed) settles
    /// everything; then the daemon stops and its database is opened for checking.
    func settle(_ daemon: DaemonHarness) async throws -> Database {
        try await daemon.startReady()
        try await eventually("every order settled", timeout: .seconds(30)) { status(daemon).map { $0.ready && $0.unresolvedOrders == 0 } ?? false }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        let database = try Database(directory: daemon.stateDirectory, logger: Logger(label: "check") { _ in SwiftLogNoOpLogHandler() })
        #expect(try database.read { try $0.query("PRAGMA integrity_check").first?[0].text } == "ok")
        return database
    }
}
