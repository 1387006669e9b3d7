import Logging
import OspreyCore
import OspreyHTTP
import OspreyMetrics
import OspreyRuntime
import OspreyStore
import ServiceLifecycle

/// The daemon's services in ServiceGroup order. Graceful shutdown runs from the last to the first: STOPPING=1,
/// then the listeners (in-flight requests finish), then the probes, and the teardown (the HTTP client's
/// thread, then the stop recorded and the database closed) last.
struct Services {
    let configuration: DaemonConfiguration
    let environment: OspreyApplication.Environment
    let logger: Logger
    let database: Database
    let heartbeats: HeartbeatRegistry
    let health: HealthRegistry
    let statusLine: StatusLine
    let reload: ReloadService
    let scheduler: Scheduler<ContinuousClock>
    let scanner: Scanner
    let engine: TradeEngine
    let strategies: StrategyRunner
    let bus: SignalBus
    let routes: [ControlRoute]
    let followers: [any Service]
    let teardown: Teardown

    func list() throws(StartupFailure) -> [any Service] {
        let (notifier, paths, exposition) = (environment.notifier, environment.paths, environment.exposition)
        let (health, heartbeats, statusLine, logger, configuration) = (health, heartbeats, statusLine, logger, configuration)
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
                socketPath: paths.controlSocket, routes: routes, logger: logger.with(component: "control"), onBound: { gate.partReady("control") })
        } catch {
            throw StartupFailure(component: "control", error: error)
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
        let (database, scanner, teardown) = (database, scanner, teardown)
        let checkpointFailures = RepeatedFailureLog("WAL checkpoint failed", logger: logger.with(component: "store"))
        return [
            ShutdownHook("teardown") { teardown.run() },
            BlockingPeriodicService("wal-checkpoint", interval: .milliseconds(250), clock: clock) {
                do {
                    try database.checkpoint()
                    checkpointFailures.record(nil)
                } catch {
                    checkpointFailures.record(error)
                }
            },
            reload,
            scheduler,
        ] + followers + [
            HeartbeatProbe(component: "scanner", interval: .seconds(1), allowedSilence: .seconds(10),
                           heartbeats: heartbeats, health: health, clock: clock) { await scanner.refreshAges() },
            TradingService(engine: engine, health: health, logger: logger.with(component: "trading")),
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
    }
}
