import Logging
import OspreyConfig
import OspreyCore
import OspreyHTTP
import OspreyMetrics
import OspreyRuntime
import OspreyStore
import ServiceLifecycle
import UnixSignals

/// The daemon's object graph, built from a loaded configuration apart from running it: `build` opens the
/// database and makes every component and service; `run` runs them as one ServiceGroup. Tests build it
/// in-process and drive its parts. Whatever `build` started is stopped by one teardown, in reverse order,
/// with the stop recorded: after a graceful shutdown, after an error, and when `build` itself fails.
struct OspreyApplication {
    /// What the process gives the daemon: paths, the wall clock, systemd, metrics, the log level switch.
    struct Environment {
        var paths: RuntimePaths
        var clock: WallClock
        var notifier: any ServiceNotifier
        var exposition: MetricsExposition
        var setLogLevel: @Sendable (LogLevel) -> Void
    }

    let configuration: ConfigurationStore
    let database: Database
    let scanner: Scanner
    let bus: SignalBus
    let engine: TradeEngine
    let strategies: StrategyRunner
    let scheduler: Scheduler<ContinuousClock>
    let health: HealthRegistry
    /// The services that apply each component's settings after a reload (also in `services`).
    let followers: [any Service]
    let services: [any Service]
    let teardown: Teardown
    let logger: Logger

    static func build(
        _ loaded: LoadedConfiguration, source: ConfigurationLoader, environment: Environment, logger: Logger
    ) async throws(StartupFailure) -> OspreyApplication {
        let teardown = Teardown()
        do {
            return try await assemble(loaded, source: source, environment: environment, logger: logger, teardown: teardown)
        } catch {
            teardown.run()
            throw error
        }
    }

    private static func assemble(
        _ loaded: LoadedConfiguration, source: ConfigurationLoader, environment: Environment, logger: Logger, teardown: Teardown
    ) async throws(StartupFailure) -> OspreyApplication {
        let configuration = loaded.configuration
        let clock = environment.clock
        let startedAt = clock.now()
        let database: Database
        do {
            database = try Database(directory: environment.paths.stateDirectory, logger: logger)
            let runLog = DaemonRunLog(database)
            let start = try runLog.recordStart(version: Build.version, at: Int64(startedAt))
            teardown.add {
                try? runLog.recordStop(runID: start.runID, at: Int64(clock.now()))
                database.close()
            }
            if start.previousRunClean == false {
                logger.warning("the previous run did not shut down cleanly", metadata: ["component": "store"])
            }
        } catch {
            throw StartupFailure(component: "store", error: error)
        }

        let store = ConfigurationStore(loaded)
        store.onEveryReload { change in environment.setLogLevel(change.effective.log.level) }
        let heartbeats = HeartbeatRegistry()
        let statusLine = StatusLine(store: store)
        let notifier = environment.notifier
        let health = HealthRegistry { report in notifier.status(statusLine.text(report)) }
        let keyCheck = ExchangeKeyCheck(database: database, health: health, logger: logger.with(component: "secrets"))
        keyCheck.run(configuration)
        store.onEveryReload { change in keyCheck.run(change.effective) }

        let market = MarketAssembly(logger: logger.with(component: "scanner"))
        teardown.add { market.shutdown() }
        let bus = SignalBus()
        let scanner = Scanner(
            configuration: configuration, sources: market.sources(for: configuration.sources, now: clock.now()),
            store: MarketTables(database), bus: bus, health: health, wallClock: clock.now, logger: logger.with(component: "scanner"))
        do {
            let restored = try await scanner.restore()
            if restored > 0 { logger.info("tracked tokens restored", metadata: ["component": "scanner", "tokens": "\(restored)"]) }
        } catch {
            logger.error("cannot restore the tracked tokens; starting empty", metadata: ["component": "scanner", "error": "\(error)"])
        }

        let trading: TradingAssembly
        do {
            trading = try TradingAssembly(
                configuration: configuration, database: database, scanner: scanner, market: market, logger: logger.with(component: "trading"))
        } catch {
            throw StartupFailure(component: "trading", error: error)
        }
        let strategies = StrategyRunner(
            engine: trading.engine, strategies: configuration.strategies, quoteAsset: configuration.trading.quoteAsset,
            wallClock: clock.now, logger: logger.with(component: "strategy"), price: trading.price, candles: market.klines)

        let scheduler: Scheduler<ContinuousClock>
        do {
            var handlers = JobHandlers(MaintenanceJobs.handlers(database: database, stateDirectory: environment.paths.stateDirectory))
            for (kind, handler) in DaemonJobs.handlers(scanner: scanner, engine: trading.engine, strategies: strategies) { handlers[kind] = handler }
            scheduler = try Scheduler(
                settings: configuration.scheduler, jobs: configuration.jobs, store: JobRunTable(database), handlers: handlers,
                clock: ContinuousClock(), wallClock: clock.now, heartbeats: heartbeats, logger: logger.with(component: "scheduler"))
        } catch {
            throw StartupFailure(component: "scheduler", error: error)
        }
        let engine = trading.engine
        let followers: [any Service] = [
            SettingsFollower("scanner", store.watch(ScannerInputs.init)) { inputs in
                scanner.schedule(store.current, sources: market.sources(for: inputs.sources, now: clock.now()))
            },
            SettingsFollower("trading", store.watch(TradingInputs.init)) { inputs in
                await engine.apply(inputs.trading)
                await strategies.apply(inputs.strategies, quoteAsset: inputs.trading.quoteAsset)
            },
            SettingsFollower("scheduler", store.watch(SchedulerInputs.init)) { inputs in
                scheduler.apply(settings: inputs.scheduler, jobs: inputs.jobs)
            },
        ]

        let reload = ReloadService(
            source: source, store: store, notifier: notifier, logger: logger.with(component: "config"),
            wallClock: clock.now, statusLine: { statusLine.text(health.report) })
        let api = ControlAPI(
            status: { statusPayload(startedAt: startedAt, now: clock.now(), paths: environment.paths, store: store, health: health, reload: reload) },
            reload: reload, scheduler: scheduler, scanner: scanner, signals: MarketTables(database),
            trading: trading.routes(mode: configuration.trading.mode))
        let services = try Services(
            configuration: configuration, environment: environment, logger: logger, database: database, heartbeats: heartbeats,
            health: health, statusLine: statusLine, reload: reload, scheduler: scheduler, scanner: scanner, engine: trading.engine,
            strategies: strategies, bus: bus, routes: api.routes, followers: followers, teardown: teardown
        ).list()
        return OspreyApplication(
            configuration: store, database: database, scanner: scanner, bus: bus, engine: trading.engine, strategies: strategies,
            scheduler: scheduler, health: health, followers: followers, services: services, teardown: teardown, logger: logger)
    }

    /// Runs every service until SIGTERM or SIGINT (0) or an error (1); the teardown runs either way.
    func run() async -> Int32 {
        defer { teardown.run() }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger.with(component: "lifecycle")))
        do {
            try await group.run()
            return 0
        } catch {
            logger.critical("stopped on an error: \(error)", metadata: ["component": "lifecycle"])
            return 1
        }
    }
}
