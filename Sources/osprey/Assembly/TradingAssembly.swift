import Logging
import OspreyCore
import OspreyNet
import OspreyRuntime
import OspreySecrets
import OspreyStore

/// Why live trading cannot start: printed, and the daemon exits non-zero.
struct TradingSetupError: CodedError {
    let description: String
    var code: String { "trading_setup" }
}

/// Builds the trade engine for `[trading].mode`: the paper exchange (on the daemon's database, priced by
/// the scanner) or Binance spot with the key named by `[exchanges.binance].key` from the key store.
struct TradingAssembly {
    let engine: TradeEngine
    let ledger: LedgerTables
    let price: @Sendable (String) async -> Decimal?

    init(configuration: DaemonConfiguration, database: Database, scanner: Scanner, market: MarketAssembly, logger: Logger) throws {
        let trading = configuration.trading
        let quote = trading.quoteAsset
        let price: @Sendable (String) async -> Decimal? = { symbol in await scanner.price(of: symbol, quote: quote) }
        let exchange: any Exchange
        switch trading.mode {
        case .paper:
            exchange = PaperExchange(database: database, settings: trading.paper, quoteAsset: quote, clock: WallClock.system.now, price: price)
        case .live:
            exchange = try Self.binance(configuration, database: database, market: market)
        }
        ledger = LedgerTables(database)
        engine = TradeEngine(exchange: exchange, ledger: ledger, settings: trading, wallClock: WallClock.system.now, logger: logger, price: price)
        self.price = price
    }

    /// Live trading needs a stored key for Binance that the master key opens.
    static func binance(_ configuration: DaemonConfiguration, database: Database, market: MarketAssembly) throws -> BinanceSpotExchange {
        let settings = configuration.trading.binance
        guard let name = settings.key else { throw TradingSetupError(description: "trading.mode = \"live\" needs [exchanges.binance].key") }
        let vault = KeyVault(repository: ExchangeKeyTable(database), master: KeysContext.loadMaster(
            KeysContext.masterKeyPath(configuration, environment: ProcessEnvironment.variables)))
        do {
            guard let record = try vault.list().first(where: { $0.name == name }) else {
                throw TradingSetupError(description: "[exchanges.binance].key = \"\(name)\": no such key; add it with `osprey keys add \(name) --exchange binance`")
            }
            guard record.exchange == "binance" else {
                throw TradingSetupError(description: "[exchanges.binance].key = \"\(name)\" is a key for \(record.exchange), not binance")
            }
            let credentials = try vault.withCredentials(name) { $0 }
            return BinanceSpotExchange(settings: settings, credentials: credentials, client: try market.sharedClient(), clock: .system)
        } catch let error as TradingSetupError {
            throw error
        } catch {
            throw TradingSetupError(description: "[exchanges.binance].key = \"\(name)\" cannot be used: \(error)")
        }
    }

    func routes(mode: TradingSettings.Mode) -> TradingRoutes {
        TradingRoutes(engine: engine, ledger: ledger, mode: mode, price: price)
    }
}
