import Logging
import Metrics
import OspreyCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Reloads the configuration on SIGHUP (and on the control API's reload): RELOADING=1 with
/// MONOTONIC_USEC, read and validate every file, swap the whole new configuration in, READY=1.
/// A rejected configuration leaves the running one in place; the error names file:line:col.
public final class ReloadService: Service, Sendable, CustomStringConvertible {
    public var description: String { "reload" }
    private let source: any ConfigurationSource
    private let store: ConfigurationStore
    private let notifier: any ServiceNotifier
    private let logger: Logger
    private let statusLine: @Sendable () -> String
    /// Serializes reloads and remembers the problems of the last rejected one (empty after a success).
    private let lastProblems = Mutex<[ConfigurationProblem]>([])
    private let successGauge = Gauge(label: MetricCatalog.configReloadSuccessful.name)
    private let timestampGauge = Gauge(label: MetricCatalog.configReloadSuccessTimestamp.name)
    private let wallClock: @Sendable () -> Double

    public init(
        source: any ConfigurationSource,
        store: ConfigurationStore,
        notifier: any ServiceNotifier,
        logger: Logger,
        wallClock: @escaping @Sendable () -> Double,
        statusLine: @escaping @Sendable () -> String
    ) {
        self.source = source
        self.store = store
        self.notifier = notifier
        self.logger = logger
        self.wallClock = wallClock
        self.statusLine = statusLine
        // The start-up load succeeded, or the daemon would not be running.
        successGauge.record(1)
        timestampGauge.record(wallClock())
    }

    public func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// One reload, serialized with any other. Returns what changed, or why the files were rejected.
    @discardableResult
    public func reload() -> Result<ConfigurationChange, ConfigurationErrors> {
        lastProblems.withLock { lastProblems in
            notifier.reloading()
            let started = ContinuousClock.now
            switch source.load() {
            case .failure(let errors):
                successGauge.record(0)
                lastProblems = errors.problems
                for problem in errors.problems {
                    logger.error("configuration rejected, still running the previous one: \(problem)", metadata: Self.metadata(problem))
                }
                notifier.ready(status: "configuration rejected (\(errors.problems[0])); running the previous configuration")
                return .failure(errors)
            case .success(let loaded):
                let change = store.apply(loaded)
                lastProblems = []
                for key in change.restartRequired {
                    logger.warning("configuration key changed; restart osprey to apply it", metadata: ["config.key": "\(key)"])
                }
                successGauge.record(1)
                timestampGauge.record(wallClock())
                logger.notice("configuration reloaded", metadata: [
                    "config.files": "\(loaded.files.joined(separator: ","))",
                    "config.live_keys": "\(change.appliedLive.joined(separator: ","))",
                    "duration_ms": "\((ContinuousClock.now - started).milliseconds)",
                ])
                notifier.ready(status: statusLine())
                return .success(change)
            }
        }
    }

    /// Why the last reload was rejected; empty when it succeeded (or none has happened).
    public var lastRejection: [ConfigurationProblem] {
        lastProblems.withLock { $0 }
    }

    static func metadata(_ problem: ConfigurationProblem) -> Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        if let file = problem.file { metadata["config.file"] = "\(file)" }
        if let location = problem.location {
            metadata["config.line"] = "\(location.line)"
            metadata["config.column"] = "\(location.column)"
        }
        if let key = problem.key { metadata["config.key"] = "\(key)" }
        return metadata
    }
}

extension Duration {
    /// Milliseconds with microsecond precision, for log metadata.
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds / 1_000_000_000_000) / 1000
    }
}
