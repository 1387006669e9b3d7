import ArgumentParser
import OspreyControlClient
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
        commandName: "trade", abstract: "Place or cancel a manual order (like Freqtrade's forceenter/forceexit).",
        subcommands: [Buy.self, Sell.self, Cancel.self])

    /// `--limit PRICE [--ioc]`: a LIMIT order instead of a MARKET one.
    struct LimitOptions: ParsableArguments {
        @Option(name: .customLong("limit"), help: "Place a LIMIT order at this price (with --quantity).") var price: String?
        @Flag(name: .customLong("ioc"), help: "Immediate-or-cancel instead of good-till-cancelled.") var ioc = false

        func validate(quantity: String?) throws {
            guard let price else { return }
            guard (Decimal(price).map { $0 > .zero } ?? false) else { throw ValidationError("--limit must be a positive decimal price") }
            guard quantity != nil else { throw ValidationError("a limit order needs --quantity") }
        }
    }

    struct Buy: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Buy SYMBOL spending --quote, or --quantity at a --limit price.")
        @OptionGroup var control: ControlOptions
        @Argument(help: "Exchange symbol, e.g. BTCUSDT.") var symbol: String
        @Option(name: .customLong("quote"), help: "Quote amount to spend, e.g. 25 (market order).") var quote: String?
        @Option(name: .customLong("quantity"), help: "Base quantity (limit order).") var quantity: String?
        @OptionGroup var limit: LimitOptions

        func validate() throws {
            try limit.validate(quantity: quantity)
            if limit.price == nil {
                guard let quote, (Decimal(quote).map { $0 > .zero } ?? false) else { throw ValidationError("a market buy needs a positive --quote") }
            } else if let quantity, (Decimal(quantity).map { $0 > .zero } ?? false) == false {
                throw ValidationError("--quantity must be a positive decimal number")
            }
        }

        func run() throws {
            try TradeCommand.send(control, "/v1/trade/buy", TradeRequestPayload(
                symbol: symbol, quote: quote.flatMap { Decimal($0) }, quantity: quantity.flatMap { Decimal($0) },
                price: limit.price.flatMap { Decimal($0) }, timeInForce: limit.price == nil ? nil : (limit.ioc ? "IOC" : "GTC")))
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an open order by its client order id (see osprey orders --open).")
        @OptionGroup var control: ControlOptions
        @Argument(help: "Client order id, e.g. osp3f2a9c1e-1a.") var clientOrderId: String

        func run() throws {
            guard let order = try control.answer(OrderView.self, "POST", "/v1/trade/cancel",
                                                 body: Array(ControlCodec.encode(CancelRequestPayload(clientOrderId: clientOrderId)).utf8)) else { return }
            print("\(order.clientOrderId): \(order.status), executed \(order.executedQuantity)")
        }
    }

    struct Sell: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sell the whole position (--all) or --quantity of SYMBOL.")
        @OptionGroup var control: ControlOptions
        @Argument(help: "Exchange symbol, e.g. BTCUSDT.") var symbol: String
        @Flag(name: .customLong("all"), help: "Sell the whole position (market order).") var all = false
        @Option(name: .customLong("quantity"), help: "Base quantity to sell.") var quantity: String?
        @OptionGroup var limit: LimitOptions

        func validate() throws {
            try limit.validate(quantity: quantity)
            guard all != (quantity != nil), !(all && limit.price != nil) else { throw ValidationError("give either --all or --quantity (a limit order needs --quantity)") }
            if let quantity, (Decimal(quantity).map { $0 > .zero } ?? false) == false { throw ValidationError("--quantity must be a positive decimal number") }
        }

        func run() throws {
            try TradeCommand.send(control, "/v1/trade/sell", TradeRequestPayload(
                symbol: symbol, quantity: quantity.flatMap { Decimal($0) }, all: all ? true : nil, price: limit.price.flatMap { Decimal($0) },
                timeInForce: limit.price == nil ? nil : (limit.ioc ? "IOC" : "GTC")))
        }
    }

    static func send(_ control: ControlOptions, _ path: String, _ payload: TradeRequestPayload) throws {
        guard let order = try control.answer(OrderView.self, "POST", path, body: Array(ControlCodec.encode(payload).utf8), timeoutSeconds: 60) else { return }
        let average = order.averagePrice.map { " at " + PositionsCommand.amount($0) } ?? ""
        print("\(order.side) \(order.symbol) \(order.clientOrderId): \(order.status), executed \(order.executedQuantity)\(average)")
        if !order.detail.isEmpty { print(order.detail) }
        if order.status == "rejected" { throw ExitCode(1) }
    }
}
