import Logging
import Metrics
import OspreyConfig
import OspreyCore
import OspreyMetrics
import OspreyRuntime
import OspreyStore
import OspreySystemd
import Prometheus

#if canImport(Glibc)
import Glibc
#endif

/// `osprey run`: loads the configuration, sets up the process-wide logging and metrics, builds the
/// application and runs it. Every start-up failure is one clear line and exit 1, so `systemctl status` shows
/// why; whatever was started by then has been stopped and the stop recorded.
enum Daemon {
    static func run(configPath: String?) async -> Int32 {
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

        let environment = OspreyApplication.Environment(
            paths: RuntimePaths.forDaemon(
                configuration, environment: ProcessEnvironment.variables, isRoot: ProcessEnvironment.isRoot,
                workingDirectory: ProcessEnvironment.workingDirectory),
            clock: .system, notifier: SystemdNotifier(), exposition: MetricsExposition(registry: registry, build: Build.info),
            setLogLevel: { logBackend.levelControl.set($0) })
        let application: OspreyApplication
        do {
            application = try await OspreyApplication.build(loaded, source: source, environment: environment, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)", metadata: ["component": "\(error.component)", "error.kind": "\(error.code)"])
            return 1
        }
        return await application.run()
    }
}

extension OspreyApplication {
    static func statusPayload(
        startedAt: Double, now: Double, paths: RuntimePaths, store: ConfigurationStore, health: HealthRegistry, reload: ReloadService
    ) -> StatusPayload {
        let report = health.report
        let configuration = store.current
        return StatusPayload(
            version: Build.info.version, revision: Build.info.revision, pid: getpid(), startedAt: startedAt,
            uptimeSeconds: now - startedAt, stateDirectory: paths.stateDirectory,
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
