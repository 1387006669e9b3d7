import Logging
import Metrics
import OspreyConfig
import OspreyCore
import OspreyHTTP
import OspreyMetrics
import OspreyRuntime
import OspreySecrets
import OspreyStore
import OspreySystemd
import Prometheus
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Assembles the daemon: configuration, logging, metrics, database, then one ServiceGroup.
/// Every start-up failure is one clear line and a non-zero exit, so `systemctl status` shows why.
enum Daemon {
    static func run(configPath: String?) async -> Int32 {
        let startedAt = WallClock.system.now()
        let source = ConfigurationLoader(mainFile: configPath)
        let loaded: LoadedConfiguration
        switch source.load() {
        case .success(let value): loaded = value
        case .failure(let errors):
            for problem in errors.problems { ProcessEnvironment.printError("osprey: configuration error: \(problem)") }
            return 1
        }
        let configuration = loaded.configuration

        let logBackend = LogBackend(format: configuration.log.format, level: configuration.log.level)
        LoggingSystem.bootstrap { _ in logBackend.makeHandler(metadataProvider: nil) }
        let logger = Logger(label: "osprey")

        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(CatalogMetricsFactory(registry: registry))
        let exposition = MetricsExposition(registry: registry, build: Build.info)

        let paths = RuntimePaths.forDaemon(
            configuration, environment: ProcessEnvironment.variables, isRoot: ProcessEnvironment.isRoot,
            workingDirectory: ProcessEnvironment.workingDirectory)
        let database: Database
        let runLog: DaemonRunLog
        let start: DaemonRunLog.Start
        do {
            database = try Database(directory: paths.stateDirectory, logger: logger)
            runLog = DaemonRunLog(database)
            start = try runLog.recordStart(version: Build.version, at: Int64(startedAt))
        } catch {
            logger.critical("cannot start: \(error)", metadata: ["component": "store", "error.kind": "\(error.shortDescription)"])
            return 1
        }
        if start.previousRunClean == false {
            logger.warning("the previous run did not shut down cleanly", metadata: ["component": "store"])
        }

        let notifier = SystemdNotifier()
        let store = ConfigurationStore(loaded)
        store.subscribe { change in logBackend.levelControl.set(change.effective.log.level) }
        let heartbeats = HeartbeatRegistry()
        let statusLine = StatusLine(store: store)
        let health = HealthRegistry { report in notifier.status(statusLine.text(report)) }

        let keyCheck = ExchangeKeyCheck(database: database, health: health, logger: logger.with(component: "secrets"))
        keyCheck.run(configuration)
        store.subscribe { change in keyCheck.run(change.effective) }

        let market = MarketAssembly(logger: logger.with(component: "scanner"))
        let bus = SignalBus()
        let scanner = Scanner(
            configuration: configuration, sources: market.sources(for: configuration.sources, now: WallClock.system.now()),
            store: MarketTables(database), bus: bus, health: health, wallClock: WallClock.system.now,
            logger: logger.with(component: "scanner"))
        do {
            let restored = try await scanner.restore()
            if restored > 0 { logger.info("tracked tokens restored", metadata: ["component": "scanner", "tokens": "\(restored)"]) }
        } catch {
            logger.error("cannot restore the tracked tokens; starting empty", metadata: ["component": "scanner", "error": "\(error)"])
        }
        store.subscribe { change in
            guard change.appliedLive.contains(where: { ["sources", "signal", "scanner"].contains($0) }) else { return }
            scanner.schedule(change.effective, sources: market.sources(for: change.effective.sources, now: WallClock.system.now()))
        }

        let trading: TradingAssembly
        do {
            trading = try TradingAssembly(
                configuration: configuration, database: database, scanner: scanner, market: market, logger: logger.with(component: "trading"))
        } catch {
            logger.critical("cannot start: \(error)", metadata: ["component": "trading"])
            market.shutdown()
            database.close()
            return 1
        }
        let strategies = StrategyRunner(
            engine: trading.engine, strategies: configuration.strategies, quoteAsset: configuration.trading.quoteAsset,
            wallClock: WallClock.system.now, logger: logger.with(component: "strategy"), price: trading.price, candles: market.klines)
        store.subscribe { change in
            guard change.appliedLive.contains(where: { ["risk", "trading.quote_asset", "strategy"].contains($0) }) else { return }
            Task {
                await trading.engine.apply(change.effective.trading)
                await strategies.apply(change.effective.strategies, quoteAsset: change.effective.trading.quoteAsset)
            }
        }

        let scheduler: Scheduler<ContinuousClock>
        do {
            var handlers = JobHandlers(MaintenanceJobs.handlers(database: database, stateDirectory: paths.stateDirectory))
            handlers[JobKinds.scan.name] = { context in
                let summary = try await scanner.scan(source: context.args["source"] ?? "")
                context.logger.info("scan finished", metadata: [
                    "source": "\(context.args["source"] ?? "")", "scan.pairs": "\(summary.pairs)", "scan.updated": "\(summary.updated)",
                    "scan.evicted": "\(summary.evicted)", "scan.skipped": "\(summary.skipped)", "scan.signals": "\(summary.signals.count)",
                ])
            }
            handlers[JobKinds.reconcile.name] = { context in
                let summary = try await trading.engine.reconcile()
                context.logger.info("orders reconciled", metadata: [
                    "orders.checked": "\(summary.checked)", "orders.unknown": "\(summary.stillUnknown)", "orders.adopted": "\(summary.adopted)",
                ])
            }
            handlers[JobKinds.evaluate.name] = { context in
                let summary = try await strategies.evaluate(context.args["strategy"] ?? "")
                context.logger.info("strategy evaluated", metadata: [
                    "strategy": "\(context.args["strategy"] ?? "")", "entries": "\(summary.entries)", "exits": "\(summary.exits)",
                    "refused": "\(summary.refused)",
                ])
            }
            scheduler = try Scheduler(
                settings: configuration.scheduler, jobs: configuration.jobs, store: JobRunTable(database),
                handlers: handlers,
                clock: ContinuousClock(), wallClock: WallClock.system.now, heartbeats: heartbeats,
                logger: logger.with(component: "scheduler"))
        } catch {
            logger.critical("cannot start: \(error)", metadata: ["component": "scheduler"])
            database.close()
            return 1
        }
        store.subscribe { change in
            if change.appliedLive.contains("job") || change.appliedLive.contains("scheduler") {
                scheduler.apply(settings: change.effective.scheduler, jobs: change.effective.jobs)
            }
        }

        let reload = ReloadService(
            source: source, store: store, notifier: notifier, logger: logger.with(component: "config"),
            wallClock: WallClock.system.now, statusLine: { statusLine.text(health.report) })
        let api = ControlAPI(
            status: { statusPayload(startedAt: startedAt, paths: paths, store: store, health: health, reload: reload) },
            reload: reload, scheduler: scheduler, scanner: scanner, signals: MarketTables(database),
            trading: trading.routes(mode: configuration.trading.mode))
        let gate = StartupGate(waitingFor: ["http", "control"]) {
            notifier.ready(status: statusLine.text(health.report))
            logger.notice("osprey is ready", metadata: [
                "http.listen": "\(configuration.http.listen)", "control.socket": "\(paths.controlSocket)",
                "state_dir": "\(paths.stateDirectory)", "version": "\(Build.info.versionLine)",
            ])
        }

        let control: any Service
        do {
            control = try ControlServer.application(
                socketPath: paths.controlSocket, routes: api.routes, logger: logger.with(component: "control"),
                onBound: { gate.partReady("control") })
        } catch {
            logger.critical("cannot start: \(error)", metadata: ["component": "control"])
            database.close()
            return 1
        }
        let http = ObservabilityServer.application(
            settings: configuration.http,
            endpoints: .init(
                metrics: { accept in
                    let format = MetricsExposition.Format(accept: accept)
                    return (format.contentType, exposition.render(format))
                },
                stalledComponents: { heartbeats.stalled() },
                readiness: { health.report }),
            logger: logger.with(component: "http"),
            onBound: { gate.partReady("http") })

        let clock = ContinuousClock()
        let checkpointFailures = RepeatedFailureLog("WAL checkpoint failed", logger: logger.with(component: "store"))
        // Graceful shutdown runs from the last service to the first: STOPPING=1, then the listeners
        // (in-flight requests finish), then the probes, and the database closes last.
        let services: [any Service] = [
            ShutdownHook("close-database") {
                try? runLog.recordStop(runID: start.runID, at: Int64(WallClock.system.now()))
                database.close()
            },
            BlockingPeriodicService("wal-checkpoint", interval: .milliseconds(250), clock: clock) {
                do {
                    try database.checkpoint()
                    checkpointFailures.record(nil)
                } catch {
                    checkpointFailures.record(error)
                }
            },
            ShutdownHook("close-http-client") { market.shutdown() },
            reload,
            scheduler,
            HeartbeatProbe(component: "scanner", interval: .seconds(1), allowedSilence: .seconds(10),
                           heartbeats: heartbeats, health: health, clock: clock) { await scanner.refreshAges() },
            TradingService(engine: trading.engine, health: health, logger: logger.with(component: "trading")),
            StrategySignals(runner: strategies, bus: bus),
            WatchdogService(notifier: notifier, heartbeats: heartbeats, logger: logger.with(component: "watchdog"), clock: clock),
            HeartbeatProbe(component: "store", interval: .seconds(1), allowedSilence: .seconds(10),
                           heartbeats: heartbeats, health: health, clock: clock) { try database.ping() },
            HeartbeatProbe(component: "event-loop", interval: .seconds(1), allowedSilence: .seconds(10),
                           heartbeats: heartbeats, health: health, clock: clock) { try await EventLoopProbe.probe() },
            http,
            control,
            ShutdownHook("announce-stopping") {
                notifier.stopping()
                logger.notice("shutting down")
            },
        ]
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

    static func statusPayload(
        startedAt: Double, paths: RuntimePaths, store: ConfigurationStore, health: HealthRegistry, reload: ReloadService
    ) -> StatusPayload {
        let report = health.report
        let configuration = store.current
        return StatusPayload(
            version: Build.info.version, revision: Build.info.revision, pid: getpid(), startedAt: startedAt,
            uptimeSeconds: WallClock.system.now() - startedAt, stateDirectory: paths.stateDirectory,
            controlSocket: paths.controlSocket, httpListen: configuration.http.listen.description,
            logLevel: configuration.log.level.rawValue, configFiles: store.files,
            lastReloadErrors: reload.lastRejection.map(\.description), ready: report.isReady,
            overall: report.overall.rawValue,
            components: report.components.mapValues { .init(status: $0.status.rawValue, detail: $0.detail) })
    }
}

extension Logger {
    func with(component: String) -> Logger {
        var copy = self
        copy[metadataKey: "component"] = "\(component)"
        return copy
    }
}

extension Error {
    var shortDescription: String {
        (self as? StoreError)?.shortDescription ?? "other"
    }
}
