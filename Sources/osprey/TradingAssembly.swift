import Logging
import OspreyCore
import OspreyRuntime
import OspreyStore

/// Builds the trade engine for `[trading].mode`: the paper exchange (on the daemon's database, priced by
/// the scanner) or Binance spot with a key from the key store.
struct TradingAssembly {
    let engine: TradeEngine
    let ledger: LedgerTables
    let price: @Sendable (String) async -> Decimal?

    init(configuration: DaemonConfiguration, database: Database, scanner: Scanner, logger: Logger) {
        let quote = configuration.trading.quoteAsset
        let price: @Sendable (String) async -> Decimal? = { symbol in await scanner.price(of: symbol, quote: quote) }
        let exchange = PaperExchange(
            database: database, settings: configuration.trading.paper, quoteAsset: quote, clock: { ProcessInfo.unixTime }, price: price)
        ledger = LedgerTables(database)
        engine = TradeEngine(
            exchange: exchange, ledger: ledger, settings: configuration.trading, wallClock: { ProcessInfo.unixTime }, logger: logger, price: price)
        self.price = price
    }

    func routes(mode: TradingSettings.Mode) -> TradingRoutes {
        TradingRoutes(engine: engine, ledger: ledger, mode: mode, price: price)
    }
}
