import ArgumentParser
import OspreyCore

/// `osprey trading status|pause|resume`.
struct TradingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trading", abstract: "Show, pause or resume trading (resume also clears the kill switch).",
        subcommands: [Status.self, Pause.self, Resume.self], defaultSubcommand: Status.self)

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mode, exchange, switches, P&L and unsettled orders.")
        @OptionGroup var control: ControlOptions
        func run() throws { try TradingCommand.show(control, "GET", "/v1/trading") }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop new entries (exits still run); kept across restarts.")
        @OptionGroup var control: ControlOptions
        func run() throws { try TradingCommand.show(control, "POST", "/v1/trading/pause") }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Allow new entries again, clearing a pause and the kill switch.")
        @OptionGroup var control: ControlOptions
        func run() throws { try TradingCommand.show(control, "POST", "/v1/trading/resume") }
    }

    static func show(_ control: ControlOptions, _ method: String, _ path: String) throws {
        guard let status = try control.answer(TradingStatusPayload.self, method, path) else { return }
        let state = status.killSwitch.map { "KILL SWITCH: \($0)" } ?? (status.paused ? "paused" : (status.ready ? "trading" : "reconciling"))
        print("mode:       \(status.mode) (\(status.exchange))")
        print("state:      \(state)")
        print("positions:  \(status.openPositions) open")
        print("orders:     \(status.unsettledOrders) not settled")
        print("realized:   \(PositionsCommand.amount(status.realizedPnlQuote))")
    }
}

/// `osprey orders [--open]`: the ledger, newest first.
struct OrdersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orders", abstract: "List orders from the ledger, newest first.")
    @OptionGroup var control: ControlOptions
    @Flag(name: .customLong("open"), help: "Only orders that are pending, unknown or open.") var open = false
    @Option(name: .customLong("limit"), help: "How many orders (1-10000).") var limit = 50

    func run() throws {
        guard let list = try control.answer(OrderListPayload.self, "GET", "/v1/orders?open=\(open)&limit=\(limit)") else { return }
        guard !list.orders.isEmpty else { return print(open ? "no open orders" : "no orders yet") }
        let rows = list.orders.map { order -> [String] in
            let amount = order.quantity.map { "\($0)" } ?? order.quoteQuantity.map { "\($0) quote" } ?? "-"
            let created = UTCDateTime(unixSeconds: Int64(order.createdAt)).rfc3339()
            let average = PositionsCommand.amount(order.averagePrice)
            return [created, order.clientOrderId, order.symbol, order.side, order.type, amount, order.status, order.executedQuantity.description,
                    average, order.reason, order.detail]
        }
        JobsCommand.printTable(["CREATED", "CLIENT ID", "SYMBOL", "SIDE", "TYPE", "AMOUNT", "STATUS", "EXECUTED", "AVG PRICE", "REASON", "DETAIL"], rows)
    }
}

/// `osprey positions`.
struct PositionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "positions", abstract: "List open positions with cost and unrealized P&L.")
    @OptionGroup var control: ControlOptions

    func run() throws {
        guard let list = try control.answer(PositionListPayload.self, "GET", "/v1/positions") else { return }
        guard !list.positions.isEmpty else { return print("no open positions") }
        let rows = list.positions.map { position -> [String] in
            let cost = Self.amount(position.costQuote)
            let average = Self.amount(position.averagePrice)
            let unrealized = Self.amount(position.unrealizedPnlQuote)
            return [position.symbol, position.quantity.description, cost, average, Self.amount(position.price), unrealized]
        }
        JobsCommand.printTable(["SYMBOL", "QUANTITY", "COST", "AVG PRICE", "PRICE", "UNREALIZED"], rows)
    }

    /// At most 8 decimals, "-" when unknown.
    static func amount(_ value: Decimal?) -> String {
        value.map { $0.rounded(scale: 8).description } ?? "-"
    }
}

/// `osprey trade buy|sell`: manual orders, through the same risk gates, ledger and reconciliation.
struct TradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trade", abstract: "Place a manual MARKET order (like Freqtrade's forceenter/forceexit).", subcommands: [Buy.self, Sell.self])

    struct Buy: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Buy SYMBOL spending --quote of the quote asset.")
        @OptionGroup var control: ControlOptions
        @Argument(help: "Exchange symbol, e.g. BTCUSDT.") var symbol: String
        @Option(name: .customLong("quote"), help: "Quote amount to spend, e.g. 25.") var quote: String

        func validate() throws {
            guard let amount = Decimal(quote), amount > .zero else { throw ValidationError("--quote must be a positive decimal number") }
        }

        func run() throws {
            try TradeCommand.send(control, "/v1/trade/buy", TradeRequestPayload(symbol: symbol, quote: Decimal(quote)))
        }
    }

    struct Sell: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sell the whole position (--all) or --quantity of SYMBOL.")
        @OptionGroup var control: ControlOptions
        @Argument(help: "Exchange symbol, e.g. BTCUSDT.") var symbol: String
        @Flag(name: .customLong("all"), help: "Sell the whole position.") var all = false
        @Option(name: .customLong("quantity"), help: "Base quantity to sell.") var quantity: String?

        func validate() throws {
            guard all != (quantity != nil) else { throw ValidationError("give either --all or --quantity") }
            if let quantity, (Decimal(quantity).map { $0 > .zero } ?? false) == false { throw ValidationError("--quantity must be a positive decimal number") }
        }

        func run() throws {
            try TradeCommand.send(control, "/v1/trade/sell",
                                  TradeRequestPayload(symbol: symbol, quantity: quantity.flatMap { Decimal($0) }, all: all ? true : nil))
        }
    }

    static func send(_ control: ControlOptions, _ path: String, _ payload: TradeRequestPayload) throws {
        guard let order = try control.answer(OrderView.self, "POST", path, body: Array(ControlAPI.json(payload).utf8), timeoutSeconds: 60) else { return }
        let average = order.averagePrice.map { " at " + PositionsCommand.amount($0) } ?? ""
        print("\(order.side) \(order.symbol) \(order.clientOrderId): \(order.status), executed \(order.executedQuantity)\(average)")
        if !order.detail.isEmpty { print(order.detail) }
        if order.status == "rejected" { throw ExitCode(1) }
    }
}
